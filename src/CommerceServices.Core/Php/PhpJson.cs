using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CommerceServices.Php
{
    /// <summary>
    /// PHP's <c>json_encode()</c> with default flags, for the values configuration files hold:
    /// "/" escaped as "\/", non-ASCII as \uXXXX (UTF-16 pairs), lists as JSON arrays and other
    /// arrays as objects, floats in PHP's shortest form. Magento hashes deployment-config sections
    /// with it (flag config_hash). A string (key or value) whose bytes are not UTF-8 (see <see cref="PhpBytes"/>)
    /// is refused as json_encode refuses it (it returns false, "Malformed UTF-8 characters, possibly
    /// incorrectly encoded"; Magento's Json serializer then throws "Unable to serialize value").
    /// </summary>
    public static class PhpJson
    {
        /// <summary>What json_encode() writes for <paramref name="value"/>.</summary>
        /// <exception cref="PhpJsonMalformedUtf8Exception">A string in it is not UTF-8: json_encode() fails.</exception>
        public static string Encode(object? value)
        {
            var output = new StringBuilder();
            Write(output, value, 0);
            return output.ToString();
        }

        /// <summary>
        /// The path (keys joined by '/') of the first string in <paramref name="value"/>, key or value, whose bytes are
        /// not UTF-8 (so json_encode() fails on the whole value), or null when there is none.
        /// </summary>
        public static string? FindMalformedUtf8(object? value) => FindMalformedUtf8(value, string.Empty, 0);

        /// <summary>Magento's section hash: sha1(json_encode(section)), lowercase hex.</summary>
        /// <exception cref="PhpJsonMalformedUtf8Exception">A string in it is not UTF-8: json_encode() fails, and Magento cannot hash it.</exception>
        public static string Sha1OfJson(object? value)
        {
            using (SHA1 sha = SHA1.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(Encode(value)));
                var hex = new StringBuilder(40);
                foreach (byte b in hash)
                {
                    hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
                }

                return hex.ToString();
            }
        }

        /// <summary>Writes a value; <paramref name="depth"/> arrays hold it (refused beyond <see cref="PhpConfigReader.MaxNestingDepth"/>, so no stack overflow).</summary>
        [System.Runtime.CompilerServices.MethodImpl(PhpConfigReader.AggressiveOptimization)]
        private static void Write(StringBuilder output, object? value, int depth)
        {
            if (value is PhpArray && depth >= PhpConfigReader.MaxNestingDepth)
            {
                throw new ArgumentException("The value is nested deeper than " + PhpConfigReader.MaxNestingDepth.ToString(CultureInfo.InvariantCulture) + " levels (or an array holds itself).", nameof(value));
            }

            switch (value)
            {
                case null:
                    output.Append("null");
                    break;
                case bool b:
                    output.Append(b ? "true" : "false");
                    break;
                case long l:
                    output.Append(l.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    output.Append(Float(d));
                    break;
                case string s:
                    WriteString(output, s);
                    break;
                case PhpArray array when array.IsList:
                    output.Append('[');
                    bool firstItem = true;
                    foreach (var pair in array)
                    {
                        if (!firstItem)
                        {
                            output.Append(',');
                        }

                        firstItem = false;
                        Write(output, pair.Value, depth + 1);
                    }

                    output.Append(']');
                    break;
                case PhpArray map:
                    output.Append('{');
                    bool first = true;
                    foreach (var pair in map)
                    {
                        if (!first)
                        {
                            output.Append(',');
                        }

                        first = false;
                        WriteString(output, pair.Key is long key ? key.ToString(CultureInfo.InvariantCulture) : (string)pair.Key);
                        output.Append(':');
                        Write(output, pair.Value, depth + 1);
                    }

                    output.Append('}');
                    break;
                default:
                    throw new ArgumentException("Not a PHP configuration value: " + value.GetType().Name, nameof(value));
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(PhpConfigReader.AggressiveOptimization)]
        private static string? FindMalformedUtf8(object? value, string path, int depth)
        {
            if (value is string s)
            {
                return PhpBytes.IsUtf8(s) ? null : path;
            }

            if (!(value is PhpArray array) || depth >= PhpConfigReader.MaxNestingDepth)
            {
                return null;
            }

            foreach (var pair in array)
            {
                string key = pair.Key is long index ? index.ToString(CultureInfo.InvariantCulture) : (string)pair.Key;
                string at = path.Length == 0 ? key : path + "/" + key;
                if (!PhpBytes.IsUtf8(key))
                {
                    return at;
                }

                string? found = FindMalformedUtf8(pair.Value, at, depth + 1);
                if (found != null)
                {
                    return found;
                }
            }

            return null;
        }

        private static void WriteString(StringBuilder output, string s)
        {
            if (!PhpBytes.IsUtf8(s))
            {
                throw new PhpJsonMalformedUtf8Exception();
            }

            output.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': output.Append("\\\""); break;
                    case '\\': output.Append("\\\\"); break;
                    case '/': output.Append("\\/"); break;
                    case '\b': output.Append("\\b"); break;
                    case '\f': output.Append("\\f"); break;
                    case '\n': output.Append("\\n"); break;
                    case '\r': output.Append("\\r"); break;
                    case '\t': output.Append("\\t"); break;
                    default:
                        if (c < 0x20 || c >= 0x80)
                        {
                            output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            output.Append(c);
                        }

                        break;
                }
            }

            output.Append('"');
        }

        private static string Float(double d)
        {
            if (double.IsNaN(d) || double.IsInfinity(d))
            {
                throw new ArgumentException("json_encode cannot encode NAN or INF.");
            }

            string text = d.ToString("R", CultureInfo.InvariantCulture);
            int e = text.IndexOf('E');
            if (e < 0)
            {
                return text;
            }

            string mantissa = text.Substring(0, e);
            if (mantissa.IndexOf('.') < 0)
            {
                mantissa += ".0";
            }

            int exponent = int.Parse(text.Substring(e + 1), CultureInfo.InvariantCulture);
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        }
    }
}

namespace CommerceServices.Php
{
    /// <summary>
    /// json_encode() fails on the value: a string in it is not UTF-8 (JSON_ERROR_UTF8). Magento's Json serializer
    /// turns that failure into "Unable to serialize value. Error: Malformed UTF-8 characters, possibly incorrectly encoded".
    /// </summary>
    public sealed class PhpJsonMalformedUtf8Exception : ArgumentException
    {
        public PhpJsonMalformedUtf8Exception()
            : base("json_encode() fails on this value: a string in it holds bytes that are not UTF-8 (Malformed UTF-8 characters, possibly incorrectly encoded).")
        {
        }
    }
}
