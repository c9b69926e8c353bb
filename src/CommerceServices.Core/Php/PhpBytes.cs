using System;
using System.Text;

namespace CommerceServices.Php
{
    /// <summary>
    /// PHP strings are bytes, .NET strings are UTF-16: this codec carries every byte of a configuration
    /// file through a .NET string and back unchanged, as Python's "surrogateescape" does. Valid UTF-8
    /// (strict: no overlong forms, no encoded surrogates, nothing above U+10FFFF) becomes the characters it
    /// encodes; every other byte 0x80..0xFF becomes the lone low surrogate U+DC80..U+DCFF ("an escaped
    /// byte"), which no valid UTF-8 decodes to, so <see cref="Encode"/> gives back exactly the bytes
    /// <see cref="Decode(byte[])"/> read. The reader decodes files with it (and builds the bytes of
    /// "\xFF", "\377" and "\u{D800}" escapes with it, as PHP does), the writer encodes files with it: a
    /// password <c>p\xE9ss</c> is written back as the four bytes it was. Code that shows such a value as
    /// text may show U+FFFD for an escaped byte; PHP's json_encode refuses such a string (see <see cref="PhpJson"/>).
    /// </summary>
    public static class PhpBytes
    {
        /// <summary>The escaped byte 0x80 (U+DC80); byte b is U+DC00 + b.</summary>
        public const char FirstEscapedByte = '\uDC80';

        /// <summary>The escaped byte 0xFF (U+DCFF).</summary>
        public const char LastEscapedByte = '\uDCFF';

        /// <summary>The character that stands for byte <paramref name="b"/>: itself when ASCII, else an escaped byte.</summary>
        public static char ByteChar(int b) => b < 0x80 ? (char)b : (char)(0xDC00 + (b & 0xFF));

        /// <summary>Whether <paramref name="c"/> is an escaped byte (U+DC80..U+DCFF).</summary>
        public static bool IsEscapedByte(char c) => c >= FirstEscapedByte && c <= LastEscapedByte;

        /// <summary>The text of <paramref name="bytes"/>: UTF-8 decoded, every byte that is not part of valid UTF-8 escaped.</summary>
        public static string Decode(byte[] bytes) => Decode(bytes, 0, bytes.Length);

        /// <summary>The text of <paramref name="count"/> bytes from <paramref name="offset"/>; see <see cref="Decode(byte[])"/>.</summary>
        public static string Decode(byte[] bytes, int offset, int count)
        {
            int end = offset + count;
            int ascii = AsciiLength(bytes, offset, end);
            if (ascii == count)
            {
                // All ASCII, as nearly every configuration file is: one bulk conversion (vectorized on .NET).
                return Encoding.ASCII.GetString(bytes, offset, count);
            }

            // No byte gives more than one UTF-16 character (a 4-byte sequence gives two).
            char[] text = new char[count];
            int length = Encoding.ASCII.GetChars(bytes, offset, ascii, text, 0);
            int i = offset + ascii;
            while (i < end)
            {
                int b = bytes[i];
                if (b < 0x80)
                {
                    text[length++] = (char)b;
                    i++;
                    continue;
                }

                int sequenceLength = SequenceLength(bytes, i, end);
                if (sequenceLength == 0)
                {
                    text[length++] = ByteChar(b);
                    i++;
                    continue;
                }

                int codePoint = sequenceLength == 2 ? b & 0x1F : sequenceLength == 3 ? b & 0x0F : b & 0x07;
                for (int k = 1; k < sequenceLength; k++)
                {
                    codePoint = (codePoint << 6) | (bytes[i + k] & 0x3F);
                }

                if (codePoint < 0x10000)
                {
                    text[length++] = (char)codePoint;
                }
                else
                {
                    codePoint -= 0x10000;
                    text[length++] = (char)(0xD800 + (codePoint >> 10));
                    text[length++] = (char)(0xDC00 + (codePoint & 0x3FF));
                }

                i += sequenceLength;
            }

            return new string(text, 0, length);
        }

        /// <summary>How many bytes from <paramref name="offset"/> are ASCII, checked eight at a time.</summary>
        private static int AsciiLength(byte[] bytes, int offset, int end)
        {
            int i = offset;
            while (i + 8 <= end && (BitConverter.ToUInt64(bytes, i) & 0x8080808080808080UL) == 0)
            {
                i += 8;
            }

            while (i < end && bytes[i] < 0x80)
            {
                i++;
            }

            return i - offset;
        }

        /// <summary>
        /// The bytes of <paramref name="text"/>: UTF-8, escaped bytes as the bytes they stand for.
        /// </summary>
        /// <exception cref="ArgumentException">The text holds a lone surrogate that is not an escaped byte (not text, and no byte).</exception>
        public static byte[] Encode(string text)
        {
            var bytes = new byte[Utf8Length(text)];
            int at = 0;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c < 0x80)
                {
                    bytes[at++] = (byte)c;
                }
                else if (c < 0x800)
                {
                    bytes[at++] = (byte)(0xC0 | (c >> 6));
                    bytes[at++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (char.IsHighSurrogate((char)c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    int codePoint = char.ConvertToUtf32((char)c, text[++i]);
                    bytes[at++] = (byte)(0xF0 | (codePoint >> 18));
                    bytes[at++] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                    bytes[at++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                    bytes[at++] = (byte)(0x80 | (codePoint & 0x3F));
                }
                else if (IsEscapedByte((char)c))
                {
                    bytes[at++] = (byte)(c - 0xDC00);
                }
                else if (char.IsSurrogate((char)c))
                {
                    throw LoneSurrogate();
                }
                else
                {
                    bytes[at++] = (byte)(0xE0 | (c >> 12));
                    bytes[at++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    bytes[at++] = (byte)(0x80 | (c & 0x3F));
                }
            }

            return bytes;
        }

        /// <summary>Whether the bytes of <paramref name="text"/> are valid UTF-8 (it holds no escaped byte).</summary>
        public static bool IsUtf8(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                }
                else if (IsEscapedByte(c))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The same bytes in the one text <see cref="Decode(byte[])"/> gives for them: escaped bytes that together
        /// are valid UTF-8 (as "\xC3\xA9" is) become the character they encode. Other characters stay as they are
        /// (a run of escaped bytes is always whole code points apart: UTF-8 never continues across ASCII or a
        /// character that is already complete).
        /// </summary>
        public static string Normalize(string text)
        {
            int first = -1;
            for (int i = 0; i < text.Length; i++)
            {
                if (IsEscapedByte(text[i]) && (i == 0 || !char.IsHighSurrogate(text[i - 1])))
                {
                    first = i;
                    break;
                }
            }

            if (first < 0)
            {
                return text;
            }

            var result = new StringBuilder(text.Length);
            result.Append(text, 0, first);
            int at = first;
            while (at < text.Length)
            {
                if (!IsEscapedByte(text[at]) || (at > 0 && char.IsHighSurrogate(text[at - 1])))
                {
                    result.Append(text[at++]);
                    continue;
                }

                int end = at;
                while (end < text.Length && IsEscapedByte(text[end]))
                {
                    end++;
                }

                var run = new byte[end - at];
                for (int k = 0; k < run.Length; k++)
                {
                    run[k] = (byte)(text[at + k] - 0xDC00);
                }

                result.Append(Decode(run));
                at = end;
            }

            return result.ToString();
        }

        /// <summary>The length of the valid UTF-8 sequence of a non-ASCII lead byte at <paramref name="i"/>, or 0 when it is not one (Unicode table 3-7).</summary>
        private static int SequenceLength(byte[] bytes, int i, int end)
        {
            int b = bytes[i];
            int length;
            int low = 0x80, high = 0xBF;
            if (b >= 0xC2 && b <= 0xDF)
            {
                length = 2;
            }
            else if (b >= 0xE0 && b <= 0xEF)
            {
                length = 3;
                low = b == 0xE0 ? 0xA0 : 0x80;
                high = b == 0xED ? 0x9F : 0xBF;
            }
            else if (b >= 0xF0 && b <= 0xF4)
            {
                length = 4;
                low = b == 0xF0 ? 0x90 : 0x80;
                high = b == 0xF4 ? 0x8F : 0xBF;
            }
            else
            {
                return 0;
            }

            if (i + length > end || bytes[i + 1] < low || bytes[i + 1] > high)
            {
                return 0;
            }

            for (int k = 2; k < length; k++)
            {
                if ((bytes[i + k] & 0xC0) != 0x80)
                {
                    return 0;
                }
            }

            return length;
        }

        private static int Utf8Length(string text)
        {
            int length = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < 0x80 || IsEscapedByte(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1])))
                {
                    length += 1;
                }
                else if (c < 0x800)
                {
                    length += 2;
                }
                else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    length += 4;
                    i++;
                }
                else
                {
                    length += 3;
                }
            }

            return length;
        }

        private static ArgumentException LoneSurrogate() =>
            new ArgumentException("The text holds a lone UTF-16 surrogate, which is neither a character nor a byte PHP could hold; it cannot be written.", "text");
    }
}
