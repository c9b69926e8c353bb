using System;
using System.Globalization;
using System.Text;

namespace CommerceServices.Php
{
    /// <summary>
    /// Writes a value exactly as PHP's <c>var_export()</c> does, so what we read from a
    /// configuration file can be compared byte for byte with what PHP reads: strings are written as they are, so the
    /// text's <see cref="PhpBytes.Encode"/> bytes are PHP's, bytes that are not UTF-8 included.
    /// </summary>
    public static class PhpVarExport
    {
        /// <summary>The var_export() text of a value.</summary>
        /// <exception cref="ArgumentException">The value nests arrays deeper than <see cref="PhpConfigReader.MaxNestingDepth"/> levels (or holds itself).</exception>
        public static string Export(object? value)
        {
            var output = new StringBuilder();
            Write(output, value, 0);
            return output.ToString();
        }

        [System.Runtime.CompilerServices.MethodImpl(PhpConfigReader.AggressiveOptimization)]
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
                    if (indent / 2 >= PhpConfigReader.MaxNestingDepth)
                    {
                        throw new ArgumentException("The value is nested deeper than " + PhpConfigReader.MaxNestingDepth.ToString(CultureInfo.InvariantCulture) + " levels (or an array holds itself).", nameof(value));
                    }

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

        /// <summary>
        /// PHP's serialize_precision -1 form: the shortest digits that round-trip, written as zend_gcvt does with
        /// precision 17: fixed with ".0" for whole numbers when 1e-4 &lt;= |d| &lt; 1e17 (1e15 is
        /// 1000000000000000.0), otherwise d.dddE+x ("1.0E+17", "1.0E-5").
        /// </summary>
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

            if (d == 0)
            {
                return BitConverter.DoubleToInt64Bits(d) < 0 ? "-0.0" : "0.0";
            }

            // The shortest round-trip digits and the decimal point position: value = 0.digits * 10^point.
            string shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
            int e = shortest.IndexOf('E');
            string mantissa = e < 0 ? shortest : shortest.Substring(0, e);
            int exponent = e < 0 ? 0 : int.Parse(shortest.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            int dot = mantissa.IndexOf('.');
            string digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
            int point = (dot < 0 ? mantissa.Length : dot) + exponent;
            int leadingZeros = 0;
            while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
            {
                leadingZeros++;
            }

            digits = digits.Substring(leadingZeros).TrimEnd('0');
            point -= leadingZeros;
            if (digits.Length == 0)
            {
                digits = "0";
            }

            var output = new StringBuilder(d < 0 ? "-" : string.Empty);
            if (point < -3 || point > 17)
            {
                output.Append(digits[0]).Append('.').Append(digits.Length > 1 ? digits.Substring(1) : "0");
                int power = point - 1;
                output.Append('E').Append(power < 0 ? '-' : '+').Append(Math.Abs(power).ToString(CultureInfo.InvariantCulture));
            }
            else if (point <= 0)
            {
                output.Append("0.").Append('0', -point).Append(digits);
            }
            else if (point >= digits.Length)
            {
                output.Append(digits).Append('0', point - digits.Length).Append(".0");
            }
            else
            {
                output.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
            }

            return output.ToString();
        }
    }
}
