using System;
using System.Globalization;
using System.Text;

namespace CommerceServices.Php
{
    /// <summary>
    /// Writes a value exactly as PHP's <c>var_export()</c> does, so what we read from a
    /// configuration file can be compared byte for byte with what PHP reads.
    /// </summary>
    public static class PhpVarExport
    {
        /// <summary>The var_export() text of a value.</summary>
        public static string Export(object? value)
        {
            var output = new StringBuilder();
            Write(output, value, 0);
            return output.ToString();
        }

        private static void Write(StringBuilder output, object? value, int indent)
        {
            switch (value)
            {
                case null:
                    output.Append("NULL");
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
                    output.Append(String(s));
                    break;
                case PhpArray array:
                    output.Append("array (\n");
                    foreach (var pair in array)
                    {
                        output.Append(' ', indent + 2);
                        output.Append(pair.Key is long key ? key.ToString(CultureInfo.InvariantCulture) : String((string)pair.Key));
                        output.Append(" => ");
                        if (pair.Value is PhpArray)
                        {
                            output.Append('\n').Append(' ', indent + 2);
                        }

                        Write(output, pair.Value, indent + 2);
                        output.Append(",\n");
                    }

                    output.Append(' ', indent).Append(')');
                    break;
                default:
                    throw new ArgumentException("Not a PHP configuration value: " + value.GetType().Name, nameof(value));
            }
        }

        /// <summary>A single-quoted PHP string; NUL bytes become <c>' . "\0" . '</c> as var_export writes them.</summary>
        private static string String(string s) =>
            "'" + s.Replace("\\", "\\\\").Replace("'", "\\'").Replace("\0", "' . \"\\0\" . '") + "'";

        /// <summary>The shortest round-trip form, with ".0" for whole numbers and PHP's exponent style.</summary>
        private static string Float(double d)
        {
            if (double.IsNaN(d))
            {
                return "NAN";
            }

            if (double.IsInfinity(d))
            {
                return d > 0 ? "INF" : "-INF";
            }

            string text = d.ToString("R", CultureInfo.InvariantCulture);
            if (d == 0 && BitConverter.DoubleToInt64Bits(d) < 0)
            {
                return "-0.0";
            }

            int e = text.IndexOf('E');
            string mantissa = e < 0 ? text : text.Substring(0, e);
            if (mantissa.IndexOf('.') < 0)
            {
                mantissa += ".0";
            }

            if (e < 0)
            {
                return mantissa;
            }

            int exponent = int.Parse(text.Substring(e + 1), CultureInfo.InvariantCulture);
            return mantissa + "E" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        }
    }
}
