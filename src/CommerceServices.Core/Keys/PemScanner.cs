using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace CommerceServices.Keys
{
    /// <summary>One BEGIN/END block found in PEM text.</summary>
    internal sealed class PemBlock
    {
        public PemBlock(string label, IReadOnlyDictionary<string, string> headers, byte[] content)
        {
            Label = label;
            Headers = headers;
            Content = content;
        }

        public string Label { get; }

        /// <summary>RFC 1421 headers such as <c>Proc-Type</c> (legacy encrypted PKCS#1 keys).</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>The decoded DER content. Cleared by <see cref="Clear"/>.</summary>
        public byte[] Content { get; }

        public void Clear() => Array.Clear(Content, 0, Content.Length);
    }

    /// <summary>
    /// Reads PEM text the way people actually paste it: a BOM, CRLF, literal <c>\n</c>, the whole
    /// key on one line, spaces instead of newlines, indentation, trailing blanks, three or four
    /// dashes instead of five, extra spaces in the BEGIN/END lines. What cannot be repaired becomes a <see cref="ApiKeyProblemId.MalformedPem"/>
    /// problem whose message never quotes the key.
    /// </summary>
    internal static class PemScanner
    {
        // Three to five dashes: Adobe's own documentation mistypes the markers.
        private static readonly Regex Marker = new Regex(
            @"(-{3,5})[ \t]*(BEGIN|END)[ \t]+([A-Z0-9]+(?:[ \t]+[A-Z0-9]+)*)[ \t]*(-{3,5})",
            RegexOptions.CultureInvariant);

        private static readonly Regex HeaderLine = new Regex(
            @"^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$", RegexOptions.CultureInvariant);

        public sealed class Result
        {
            public List<PemBlock> Blocks { get; } = new List<PemBlock>();

            public HashSet<PemRepair> Repairs { get; } = new HashSet<PemRepair>();

            public ApiKeyProblem? Problem { get; set; }
        }

        public static Result Scan(string text)
        {
            var result = new Result();

            if (text.IndexOf('\uFEFF') >= 0)
            {
                text = text.Replace("\uFEFF", string.Empty);
                result.Repairs.Add(PemRepair.ByteOrderMark);
            }

            if (text.IndexOf('\r') >= 0)
            {
                text = text.Replace("\r\n", "\n").Replace('\r', '\n');
                result.Repairs.Add(PemRepair.LineEndings);
            }

            if (text.IndexOf("\\n", StringComparison.Ordinal) >= 0 && text.IndexOf("-----", StringComparison.Ordinal) >= 0)
            {
                text = text.Replace("\\r\\n", "\n").Replace("\\n", "\n");
                result.Repairs.Add(PemRepair.EscapedNewlines);
            }

            // Each step below looks at the text between two neighbouring markers at most a few
            // times, so the whole scan is linear in the length of the text, whatever the number of
            // blocks (it used to search each marker's whole line, quadratic on one-line input).
            Match[] markers = ToArray(Marker.Matches(text));
            if (markers.Length == 0)
            {
                result.Problem = KeyProblems.NoMarkers();
                return result;
            }

            int index = 0;
            int consumedTo = 0;
            var outside = new StringBuilder();
            while (index < markers.Length)
            {
                Match begin = markers[index];
                string beginLabel = NormalizeLabel(begin.Groups[3].Value);
                outside.Append(text, consumedTo, begin.Index - consumedTo);

                if (begin.Groups[2].Value != "BEGIN")
                {
                    result.Problem = KeyProblems.EndWithoutBegin(beginLabel);
                    return result;
                }

                if (index + 1 >= markers.Length)
                {
                    result.Problem = KeyProblems.MissingEnd(beginLabel);
                    return result;
                }

                Match end = markers[index + 1];
                string endLabel = NormalizeLabel(end.Groups[3].Value);
                if (end.Groups[2].Value != "END")
                {
                    result.Problem = KeyProblems.MissingEnd(beginLabel);
                    return result;
                }

                if (!string.Equals(beginLabel, endLabel, StringComparison.Ordinal))
                {
                    result.Problem = KeyProblems.MismatchedMarkers(beginLabel, endLabel);
                    return result;
                }

                CheckMarker(begin, result);
                CheckMarker(end, result);

                int bodyStart = begin.Index + begin.Length;
                string body = text.Substring(bodyStart, end.Index - bodyStart);
                PemBlock? block = ReadBody(beginLabel, body, result);
                if (block == null)
                {
                    return result;
                }

                result.Blocks.Add(block);
                consumedTo = end.Index + end.Length;
                index += 2;
            }

            outside.Append(text, consumedTo, text.Length - consumedTo);
            CheckOutsideText(text, markers, outside.ToString(), result);
            return result;
        }

        private static Match[] ToArray(MatchCollection matches)
        {
            var array = new Match[matches.Count];
            matches.CopyTo(array, 0);
            return array;
        }

        private static string NormalizeLabel(string label) =>
            Regex.Replace(label, @"[ \t]+", " ");

        private static void CheckMarker(Match marker, Result result)
        {
            if (marker.Groups[1].Length != 5 || marker.Groups[4].Length != 5)
            {
                result.Repairs.Add(PemRepair.MarkerDashes);
            }

            // OpenSSL reads only BEGIN or END, one space and the label with single spaces between the dashes.
            string canonical = marker.Groups[1].Value + marker.Groups[2].Value + " " + NormalizeLabel(marker.Groups[3].Value) + marker.Groups[4].Value;
            if (!string.Equals(marker.Value, canonical, StringComparison.Ordinal))
            {
                result.Repairs.Add(PemRepair.MarkerSpacing);
            }
        }

        private static PemBlock? ReadBody(string label, string body, Result result)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (body.IndexOf('\n') < 0)
            {
                result.Repairs.Add(PemRepair.SingleLine);
            }

            var base64 = new StringBuilder(body.Length);
            string[] lines = body.Split('\n');
            bool sawBody = false;
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i];
                string trimmed = line.Trim(' ', '\t');
                if (trimmed.Length == 0)
                {
                    // An empty line right after BEGIN or before END is what a line break produces.
                    bool edge = i == 0 || i == lines.Length - 1;
                    if (line.Length > 0 || (!edge && sawBody))
                    {
                        result.Repairs.Add(PemRepair.TrailingWhitespace);
                    }

                    continue;
                }

                if (!sawBody)
                {
                    Match header = HeaderLine.Match(trimmed);
                    if (header.Success)
                    {
                        headers[header.Groups[1].Value] = header.Groups[2].Value;
                        continue;
                    }
                }

                sawBody = true;
                if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && i > 0)
                {
                    result.Repairs.Add(PemRepair.Indentation);
                }

                if (line.Length > 0 && (line[line.Length - 1] == ' ' || line[line.Length - 1] == '\t') && i < lines.Length - 1)
                {
                    result.Repairs.Add(PemRepair.TrailingWhitespace);
                }

                if (trimmed.IndexOf(' ') >= 0 || trimmed.IndexOf('\t') >= 0)
                {
                    result.Repairs.Add(PemRepair.SpacesForNewlines);
                }

                foreach (char c in trimmed)
                {
                    if (c == ' ' || c == '\t')
                    {
                        continue;
                    }

                    if (!IsBase64Char(c))
                    {
                        result.Problem = KeyProblems.InvalidBase64(label);
                        return null;
                    }

                    base64.Append(c);
                }
            }

            if (base64.Length == 0)
            {
                result.Problem = KeyProblems.EmptyBody(label);
                return null;
            }

            if (base64.Length % 4 != 0 || !PaddingIsValid(base64))
            {
                result.Problem = KeyProblems.TruncatedBase64(label);
                return null;
            }

            byte[] content;
            try
            {
                content = Convert.FromBase64String(base64.ToString());
            }
            catch (FormatException)
            {
                result.Problem = KeyProblems.InvalidBase64(label);
                return null;
            }
            finally
            {
                base64.Clear();
            }

            return new PemBlock(label, headers, content);
        }

        private static bool IsBase64Char(char c) =>
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';

        private static bool PaddingIsValid(StringBuilder base64)
        {
            // '=' may only appear as the last one or two characters.
            for (int i = 0; i < base64.Length; i++)
            {
                if (base64[i] == '=' && i < base64.Length - 2)
                {
                    return false;
                }
            }

            return !(base64.Length >= 2 && base64[base64.Length - 2] == '=' && base64[base64.Length - 1] != '=');
        }

        private static void CheckOutsideText(string text, Match[] markers, string outside, Result result)
        {
            // A label or quotes around the key are ignored; whitespace around it is an accident.
            if (outside.Trim().Length > 0)
            {
                result.Repairs.Add(PemRepair.SurroundingText);
            }

            for (int i = 0; i < markers.Length; i++)
            {
                Match marker = markers[i];

                // Whitespace alone between the start of the marker's line and the marker. The line
                // is searched back only to the previous marker: a marker before it on the same line
                // is not whitespace.
                int previousEnd = i == 0 ? 0 : markers[i - 1].Index + markers[i - 1].Length;
                int newline = marker.Index == previousEnd ? -1 : text.LastIndexOf('\n', marker.Index - 1, marker.Index - previousEnd);
                int lineStart = newline >= 0 ? newline + 1 : (i == 0 ? 0 : -1);
                if (lineStart >= 0 && lineStart < marker.Index && IsWhiteSpace(text, lineStart, marker.Index))
                {
                    result.Repairs.Add(PemRepair.Indentation);
                }

                // Whitespace alone between the marker and the end of its line, searched up to the next marker.
                int afterStart = marker.Index + marker.Length;
                int nextStart = i == markers.Length - 1 ? text.Length : markers[i + 1].Index;
                int lineEnd = afterStart == nextStart ? -1 : text.IndexOf('\n', afterStart, nextStart - afterStart);
                int afterEnd = lineEnd >= 0 ? lineEnd : (i == markers.Length - 1 ? text.Length : -1);
                if (afterEnd > afterStart && IsWhiteSpace(text, afterStart, afterEnd))
                {
                    result.Repairs.Add(PemRepair.TrailingWhitespace);
                }
            }

            string beforeFirst = text.Substring(0, markers[0].Index);
            Match last = markers[markers.Length - 1];
            string afterLast = text.Substring(last.Index + last.Length);
            if ((beforeFirst.IndexOf('\n') >= 0 && beforeFirst.Trim().Length == 0)
                || (afterLast.Trim().Length == 0 && afterLast.Length > 0 && afterLast != "\n"))
            {
                result.Repairs.Add(PemRepair.TrailingWhitespace);
            }
        }

        /// <summary>True when <paramref name="text"/> has only white space from <paramref name="start"/> to <paramref name="end"/> (exclusive), as <see cref="string.Trim()"/> counts it.</summary>
        private static bool IsWhiteSpace(string text, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (!char.IsWhiteSpace(text[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
