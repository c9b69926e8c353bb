using System;
using System.Globalization;
using System.Text;

namespace CommerceServices.Php
{
    /// <summary>
    /// Writes a configuration array as Magento's own <c>PhpFormatter</c> (2.4) writes env.php and
    /// config.php (through <c>DeploymentConfig\Writer</c>), in one of its two layouts:
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
    /// An array nested deeper than <see cref="PhpConfigReader.MaxNestingDepth"/> levels (more than the reader
    /// reads, or an array that holds itself) is an <see cref="ArgumentException"/>, never a stack overflow.
    /// The text is turned into the file's bytes by <see cref="PhpBytes.Encode"/> (not UTF8Encoding), so strings
    /// holding bytes that are not UTF-8 are written back byte for byte.
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
        /// <exception cref="ArgumentException"><paramref name="config"/> is nested deeper than <see cref="PhpConfigReader.MaxNestingDepth"/> levels.</exception>
        public static string Format(PhpArray config, PhpArray? sectionComments)
        {
            if (sectionComments != null && sectionComments.Count > 0)
            {
                var text = new StringBuilder("<?php\nreturn [\n");
                LongLayout(text, config, sectionComments, 1);
                return text.Append("\n];\n").ToString();
            }

            var output = new StringBuilder("<?php\nreturn ");
            WriteArray(output, config, 0);
            output.Append(";\n");
            return output.ToString();
        }

        /// <summary>Short layout: "[", the elements joined by ",\n", then "\n" and the closing bracket (so "[\n\n]" when empty).</summary>
        [System.Runtime.CompilerServices.MethodImpl(PhpConfigReader.AggressiveOptimization)]
        private static void WriteArray(StringBuilder output, PhpArray array, int depth)
        {
            CheckDepth(depth + 1);
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

        [System.Runtime.CompilerServices.MethodImpl(PhpConfigReader.AggressiveOptimization)]
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

        /// <summary>
        /// Long layout at <paramref name="depth"/> (1 for the returned array, indented four spaces per level): one
        /// line per element (and per comment line), joined by "\n"; nothing for an empty array.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(PhpConfigReader.AggressiveOptimization)]
        private static void LongLayout(StringBuilder output, PhpArray array, PhpArray? sectionComments, int depth)
        {
            CheckDepth(depth);
            string indent = new string(' ', depth * 4);
            bool first = true;
            foreach (var pair in array)
            {
                if (!first)
                {
                    output.Append('\n');
                }

                first = false;
                if (sectionComments?[pair.Key] is string comment && !PhpTruth.IsEmpty(comment))
                {
                    output.Append(indent).Append("/**\n");
                    output.Append(indent).Append(" * For the section: ").Append(Convert.ToString(pair.Key, CultureInfo.InvariantCulture)).Append('\n');
                    foreach (string line in comment.Split('\n'))
                    {
                        output.Append(indent).Append(" * ").Append(line).Append('\n');
                    }

                    output.Append(indent).Append(" */\n");
                }

                if (pair.Value is PhpArray nested)
                {
                    output.Append(indent).Append(Key(pair.Key)).Append(" => [\n");
                    LongLayout(output, nested, null, depth + 1);
                    output.Append('\n').Append(indent).Append("],");
                }
                else
                {
                    output.Append(indent).Append(Key(pair.Key)).Append(" => ").Append(Scalar(pair.Value)).Append(',');
                }
            }
        }

        private static void CheckDepth(int depth)
        {
            if (depth > PhpConfigReader.MaxNestingDepth)
            {
                throw new ArgumentException("The configuration is nested deeper than " + PhpConfigReader.MaxNestingDepth.ToString(CultureInfo.InvariantCulture) + " levels (or an array holds itself); it is not written.", "config");
            }
        }

        /// <summary>A key as var_export() writes it: integers bare, strings single-quoted.</summary>
        private static string Key(object key) =>
            key is long index ? index.ToString(CultureInfo.InvariantCulture) : PhpVarExport.Export((string)key);

        /// <summary>Scalars are exactly what var_export() writes, except null, which Magento writes in lower case.</summary>
        private static string Scalar(object? value) => value == null ? "null" : PhpVarExport.Export(value);
    }
}
