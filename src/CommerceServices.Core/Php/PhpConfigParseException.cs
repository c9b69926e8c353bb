using System;

namespace CommerceServices.Php
{
    /// <summary>
    /// A configuration file holds something that cannot be read without running PHP (a function
    /// call, a constant, a concatenation, ...), or is not valid PHP. Names the file, the line and
    /// the construct; the message, <see cref="Construct"/> and everything else in it never repeat text
    /// of the file that could be a value (only punctuation, PHP keywords, function and class-constant
    /// names), so a password or an unquoted crypt key next to the error is not shown.
    /// </summary>
    public sealed class PhpConfigParseException : FormatException
    {
        public PhpConfigParseException(string file, int line, int column, string construct, string message)
            : base(file + ", line " + line + ", column " + column + ": " + message)
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

        /// <summary>What was found, e.g. "function call getenv()"; never text of the file that could be a value.</summary>
        public string Construct { get; }
    }
}
