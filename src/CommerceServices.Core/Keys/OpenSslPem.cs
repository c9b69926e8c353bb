using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace CommerceServices.Keys
{
    /// <summary>
    /// Whether Magento's connector can read a stored private key as it is stored: it hands the text to OpenSSL
    /// (openssl_pkey_get_private) without repairing anything. OpenSSL's PEM reader copes with some of what this
    /// module repairs (a byte order mark, CRLF line endings, trailing blanks, text on lines of its own around the
    /// key) and with nothing else (a lone CR, literal \n, one line, indentation, odd markers, header lines), as
    /// PHP's OpenSSL shows (OpenSslPemTests).
    /// </summary>
    internal static class OpenSslPem
    {
        private static readonly PemRepair[] RepairsOpenSslMakes =
        {
            PemRepair.ByteOrderMark, PemRepair.LineEndings, PemRepair.TrailingWhitespace, PemRepair.SurroundingText,
        };

        /// <summary>The BEGIN line at the start of a line, the END line ending its line (or the text).</summary>
        private static readonly Regex MarkersOnTheirOwnLines = new Regex(
            @"(?:^|\n)-----BEGIN [A-Z0-9 ]+-----[ \t]*\r?\n[\s\S]*\n-----END [A-Z0-9 ]+-----[ \t]*(?:\r?\n|$)",
            RegexOptions.CultureInvariant);

        /// <summary>True when OpenSSL reads <paramref name="text"/>, which this module read with <paramref name="repairs"/>.</summary>
        public static bool ReadsAsStored(string text, IReadOnlyCollection<PemRepair> repairs)
        {
            // CRLF, not a lone CR; text around the key, not on the markers' lines.
            return repairs.All(r => RepairsOpenSslMakes.Contains(r))
                && !(repairs.Contains(PemRepair.LineEndings) && Regex.IsMatch(text, "\r(?!\n)"))
                && !(repairs.Contains(PemRepair.SurroundingText) && !MarkersOnTheirOwnLines.IsMatch(text));
        }
    }
}
