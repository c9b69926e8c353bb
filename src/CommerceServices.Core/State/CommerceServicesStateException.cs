using System;
using System.Collections.Generic;

namespace CommerceServices.State
{
    /// <summary>
    /// A desired state that cannot be used as written: every problem found, each naming its key. The messages never
    /// repeat a value that could be a secret.
    /// </summary>
    public sealed class CommerceServicesStateException : FormatException
    {
        public CommerceServicesStateException(string? source, IReadOnlyList<string> problems)
            : base((source == null ? "The desired state" : "The desired state in '" + source + "'") + " cannot be used: " + string.Join(" ", problems))
        {
            File = source;
            Problems = problems;
        }

        /// <summary>The file the state came from; null for a state given in memory.</summary>
        public string? File { get; }

        /// <summary>What is wrong, one sentence each.</summary>
        public IReadOnlyList<string> Problems { get; }
    }
}
