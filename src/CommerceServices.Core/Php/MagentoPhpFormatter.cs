using System;
using System.Globalization;
using System.Text;

namespace CommerceServices.Php
{
    /// <summary>
    /// Writes a configuration array as Magento's own <c>PhpFormatter</c> writes env.php and
    /// config.php (reference magento-instance.md §1.5): <c>&lt;?php</c>, <c>return [</c> ... <c>];</c>,
    /// four spaces per level, short arrays, no trailing comma, lists without keys, scalars as
    /// <c>var_export</c> writes them and lower-case <c>null</c>.
    /// </summary>
    public static class MagentoPhpFormatter
    {
        /// <summary>The file text for <paramref name="config"/>.</summary>
        public static string Format(PhpArray config)
        {
            var output = new StringBuilder("<?php\nreturn ");
            WriteArray(output, config, 0);
            output.Append(";\n");
            return output.ToString();
        }

        private static void WriteArray(StringBuilder output, PhpArray array, int depth)
        {
            output.Append('[');
            if (array.Count == 0)
            {
                output.Append(']');
                return;
            }

            bool list = array.IsList;
            string indent = new string(' ', (depth + 1) * 4);
            bool first = true;
            foreach (var pair in array)
            {
                output.Append(first ? "\n" : ",\n").Append(indent);
                first = false;
                if (!list)
                {
                    output.Append(pair.Key is long key ? key.ToString(CultureInfo.InvariantCulture) : Quote((string)pair.Key)).Append(" => ");
                }

                WriteValue(output, pair.Value, depth + 1);
            }

            output.Append('\n').Append(' ', depth * 4).Append(']');
        }

        private static void WriteValue(StringBuilder output, object? value, int depth)
        {
            switch (value)
            {
                case null:
                    output.Append("null");
                    break;
                case PhpArray array:
                    WriteArray(output, array, depth);
                    break;
                default:
                    // Scalars are exactly what var_export() writes.
                    output.Append(PhpVarExport.Export(value));
                    break;
            }
        }

        private static string Quote(string key) => PhpVarExport.Export(key);
    }
}
