using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CommerceServices.Php
{
    /// <summary>
    /// Writes a configuration array as Magento's own <c>PhpFormatter</c> (2.4) writes env.php and
    /// config.php (reference magento-instance.md §1.5), in one of its two layouts:
    /// <list type="bullet">
    /// <item>Without section comments, the short layout: <c>&lt;?php</c>, <c>return [</c> ... <c>];</c>,
    /// four spaces per level, no trailing comma, lists without keys, scalars as <c>var_export</c> writes
    /// them and lower-case <c>null</c>. An empty array is never a list to Magento and is written with a
    /// blank line between its brackets, the closing one at its key's indentation.</item>
    /// <item>With section comments (what Magento's writer keeps from the file, see
    /// <see cref="MagentoCommentParser"/>), the long layout: each element on its own line with a comma
    /// after it, the last one too; every key written, lists' integer keys included; a nested array as
    /// <c>key => [</c>, its elements four spaces deeper, then <c>],</c> (an empty one leaves an empty
    /// line); and before each top-level key that has a comment the block <c>/**</c>,
    /// <c> * For the section: key</c>, one <c> * line</c> per line of the comment, <c> */</c>.</item>
    /// </list>
    /// </summary>
    public static class MagentoPhpFormatter
    {
        private const string Indent = "    ";

        /// <summary>The file text for <paramref name="config"/>, in the short layout.</summary>
        public static string Format(PhpArray config) => Format(config, null);

        /// <summary>
        /// The file text for <paramref name="config"/>: in the long layout with the comments when
        /// <paramref name="sectionComments"/> (top-level key to comment text) holds any, as Magento's
        /// formatter does even when none of them belongs to a key that is still there; otherwise in the
        /// short layout.
        /// </summary>
        public static string Format(PhpArray config, PhpArray? sectionComments)
        {
            if (sectionComments != null && sectionComments.Count > 0)
            {
                return "<?php\nreturn [\n" + LongLayout(config, sectionComments, Indent) + "\n];\n";
            }

            var output = new StringBuilder("<?php\nreturn ");
            WriteArray(output, config, 0);
            output.Append(";\n");
            return output.ToString();
        }

        /// <summary>Short layout: "[", the elements joined by ",\n", then "\n" and the closing bracket (so "[\n\n]" when empty).</summary>
        private static void WriteArray(StringBuilder output, PhpArray array, int depth)
        {
            bool list = array.IsList;
            string indent = new string(' ', (depth + 1) * 4);
            output.Append("[\n");
            bool first = true;
            foreach (var pair in array)
            {
                output.Append(first ? string.Empty : ",\n").Append(indent);
                first = false;
                if (!list)
                {
                    output.Append(Key(pair.Key)).Append(" => ");
                }

                WriteValue(output, pair.Value, depth + 1);
            }

            output.Append('\n').Append(' ', depth * 4).Append(']');
        }

        private static void WriteValue(StringBuilder output, object? value, int depth)
        {
            if (value is PhpArray array)
            {
                WriteArray(output, array, depth);
            }
            else
            {
                output.Append(Scalar(value));
            }
        }

        /// <summary>Long layout: one line per element (and per comment line), joined by "\n"; "" for an empty array.</summary>
        private static string LongLayout(PhpArray array, PhpArray? sectionComments, string indent)
        {
            var lines = new List<string>();
            foreach (var pair in array)
            {
                if (sectionComments?[pair.Key] is string comment && MagentoCommentParser.IsTrueInPhp(comment))
                {
                    lines.Add(indent + "/**");
                    lines.Add(indent + " * For the section: " + Convert.ToString(pair.Key, CultureInfo.InvariantCulture));
                    foreach (string line in comment.Split('\n'))
                    {
                        lines.Add(indent + " * " + line);
                    }

                    lines.Add(indent + " */");
                }

                if (pair.Value is PhpArray nested)
                {
                    lines.Add(indent + Key(pair.Key) + " => [");
                    lines.Add(LongLayout(nested, null, indent + Indent));
                    lines.Add(indent + "],");
                }
                else
                {
                    lines.Add(indent + Key(pair.Key) + " => " + Scalar(pair.Value) + ",");
                }
            }

            return string.Join("\n", lines);
        }

        /// <summary>A key as var_export() writes it: integers bare, strings single-quoted.</summary>
        private static string Key(object key) =>
            key is long index ? index.ToString(CultureInfo.InvariantCulture) : PhpVarExport.Export((string)key);

        /// <summary>Scalars are exactly what var_export() writes, except null, which Magento writes in lower case.</summary>
        private static string Scalar(object? value) => value == null ? "null" : PhpVarExport.Export(value);
    }
}
