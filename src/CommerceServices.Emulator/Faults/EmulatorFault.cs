using System;
using System.Text.RegularExpressions;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// A fault applied to the next <see cref="Count"/> requests that match <see cref="Method"/>
    /// and <see cref="PathPattern"/> (all requests when both are null), before authentication.
    /// </summary>
    public sealed class EmulatorFault
    {
        private int remaining;

        public EmulatorFault(FaultKind kind, int count = 1)
        {
            Kind = kind;
            Count = count;
            remaining = count;
        }

        public FaultKind Kind { get; }

        /// <summary>How many matching requests the fault applies to; 0 means every one until cleared.</summary>
        public int Count { get; }

        /// <summary>An HTTP method to match (GET, POST, ...), or null for any.</summary>
        public string? Method { get; set; }

        /// <summary>A regular expression matched against the request path, or null for any.</summary>
        public string? PathPattern { get; set; }

        /// <summary>The environment to match, or null for both.</summary>
        public EmulatorEnvironment? Environment { get; set; }

        /// <summary>For <see cref="FaultKind.Latency"/>.</summary>
        public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>For <see cref="FaultKind.MessageBody"/>: the top-level message of the body.</summary>
        public string Message { get; set; } = "Registry temporarily read-only";

        /// <summary>The <c>Retry-After</c> header for 429 and 503, in seconds.</summary>
        public int? RetryAfterSeconds { get; set; } = 1;

        /// <summary>How many requests the fault has been applied to.</summary>
        public int Applied => Count == 0 ? -remaining : Count - remaining;

        internal bool TryApply(string method, string path, EmulatorEnvironment environment)
        {
            if ((Method != null && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
                || (PathPattern != null && !Regex.IsMatch(path, PathPattern))
                || (Environment != null && Environment != environment))
            {
                return false;
            }

            lock (this)
            {
                if (Count == 0)
                {
                    remaining--;
                    return true;
                }

                if (remaining <= 0)
                {
                    return false;
                }

                remaining--;
                return true;
            }
        }

        public override string ToString() => Kind + (Method != null ? " " + Method : string.Empty) + (PathPattern != null ? " " + PathPattern : string.Empty);
    }
}
