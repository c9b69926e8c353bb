using System;

namespace CommerceServices.Php
{
    /// <summary>
    /// A configuration file holds something that cannot be read without running PHP (a function
    /// call, a constant, a concatenation, ...), or is not valid PHP. Names the file, the line and
    /// the construct.
    /// </summary>
    public sealed class PhpConfigParseException : FormatException
    {
        public PhpConfigParseException(string file, int line, int column, string construct, string message)
            : base(file + ", line " + line + ": " + message)
        {
            File = file;
            Line = line;
            Column = column;
            Construct = construct;
        }

        /// <summary>The file, as named to the reader.</summary>
        public string File { get; }

        /// <summary>1-based line of the construct.</summary>
        public int Line { get; }

        /// <summary>1-based column of the construct.</summary>
        public int Column { get; }

        /// <summary>What was found, e.g. "function call getenv()".</summary>
        public string Construct { get; }
    }
}
