using System;
using System.Linq;

namespace CommerceServices
{
    /// <summary>Writes arguments so that a POSIX shell (sh, bash, zsh) reads them back exactly: the commands this module prints for people to run.</summary>
    internal static class PosixShell
    {
        /// <summary>
        /// <paramref name="argument"/> as it is when it holds only characters no shell treats specially, else in
        /// single quotes (an option keeps its --name= outside them).
        /// </summary>
        public static string Quote(string argument)
        {
            if (argument.Length > 0 && argument.All(IsSafe))
            {
                return argument;
            }

            int equals = argument.IndexOf('=');
            if (argument.StartsWith("--", StringComparison.Ordinal) && equals > 2 && argument.Substring(0, equals).All(IsSafe))
            {
                return argument.Substring(0, equals + 1) + QuoteAlways(argument.Substring(equals + 1));
            }

            return QuoteAlways(argument);
        }

        /// <summary><paramref name="argument"/> in single quotes, each single quote in it written as '\''; newlines stay as they are.</summary>
        public static string QuoteAlways(string argument) => "'" + argument.Replace("'", "'\\''") + "'";

        private static bool IsSafe(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_-.,/:=@%+".IndexOf(c) >= 0;
    }
}
