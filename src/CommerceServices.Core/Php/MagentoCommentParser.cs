using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace CommerceServices.Php
{
    /// <summary>
    /// Finds the section comments of env.php and config.php as Magento's
    /// <c>DeploymentConfig\CommentParser</c> finds them, so that a rewrite keeps them as Magento's
    /// deployment-config writer does. Rules (Magento 2.2 to 2.4):
    /// <list type="bullet">
    /// <item>Every doc comment of the file counts (a <c>/**</c> followed by white space, up to <c>*/</c>),
    /// wherever it stands; other comments never do.</item>
    /// <item>Its section is the text after the first "<c>* For the section: </c>" that follows white
    /// space, up to the end of that line (or the last white space before the end of the comment), trimmed.</item>
    /// <item>Its text is every other line that begins with white space, a star and a character other
    /// than a slash, and does not contain "For the section": trimmed, then without the star and one
    /// white-space character after it; the lines are joined with "\n" (PHP_EOL where Magento runs).</item>
    /// <item>A comment is kept only when both its section and its text are true in PHP (neither "" nor
    /// "0"); a later comment for the same section replaces the text of an earlier one.</item>
    /// </list>
    /// </summary>
    public static class MagentoCommentParser
    {
        /// <summary>The characters PCRE's <c>\s</c> matches (without the u modifier).</summary>
        private const string PcreWhiteSpace = " \t\n\v\f\r";

        /// <summary>The characters PHP's <c>trim()</c> removes by default.</summary>
        private static readonly char[] PhpTrimCharacters = { ' ', '\t', '\n', '\r', '\0', '\v' };

        /// <summary>White space, "* For the section: ", the name (rest of the line), then one white-space character.</summary>
        private static readonly Regex SectionName = new Regex(@"[ \t\n\v\f\r]+\* For the section: ([^\n]+)[ \t\n\v\f\r]", RegexOptions.CultureInvariant);

        private static readonly Regex LineBreak = new Regex("\r?\n", RegexOptions.CultureInvariant);

        /// <summary>
        /// The section comments among a file's doc comments (each with its <c>/**</c> and <c>*/</c>), in
        /// file order: section name (a PHP array key) to comment text.
        /// </summary>
        public static PhpArray SectionComments(IEnumerable<string> docComments)
        {
            var comments = new PhpArray();
            foreach (string docComment in docComments)
            {
                string? text = CommentText(docComment);
                string? section = SectionOf(docComment);
                if (!PhpTruth.IsEmpty(section) && !PhpTruth.IsEmpty(text))
                {
                    comments.Set(section!, text);
                }
            }

            return comments;
        }

        /// <summary>
        /// The comments Magento's <c>Writer::saveConfig</c> hands to its formatter when it rewrites a file
        /// and its caller adds none (as <c>config:set --lock-env</c> and <c>downloadable:domains:*</c> do):
        /// <c>array_merge</c> of the file's comments with nothing, which keeps section names that are
        /// strings and renumbers integer ones from 0 in their order.
        /// </summary>
        public static PhpArray KeptOnRewrite(PhpArray sectionComments)
        {
            var kept = new PhpArray();
            foreach (var pair in sectionComments)
            {
                if (pair.Key is long)
                {
                    kept.Add(pair.Value);
                }
                else
                {
                    kept.Set(pair.Key, pair.Value);
                }
            }

            return kept;
        }

        private static string? SectionOf(string docComment)
        {
            Match match = SectionName.Match(docComment);
            return match.Success ? match.Groups[1].Value.Trim(PhpTrimCharacters) : null;
        }

        private static string? CommentText(string docComment)
        {
            var lines = new List<string>();
            foreach (string line in LineBreak.Split(docComment))
            {
                if (!IsStarredTextLine(line) || line.IndexOf("For the section", StringComparison.Ordinal) >= 0)
                {
                    continue;
                }

                string trimmed = line.Trim(PhpTrimCharacters);
                if (trimmed.StartsWith("*", StringComparison.Ordinal))
                {
                    int drop = trimmed.Length > 1 && PcreWhiteSpace.IndexOf(trimmed[1]) >= 0 ? 2 : 1;
                    trimmed = trimmed.Substring(drop);
                }

                lines.Add(trimmed);
            }

            return lines.Count == 0 ? null : string.Join("\n", lines);
        }

        /// <summary>A line that starts with white space, then a star, then a character other than '/'.</summary>
        private static bool IsStarredTextLine(string line)
        {
            int star = 0;
            while (star < line.Length && PcreWhiteSpace.IndexOf(line[star]) >= 0)
            {
                star++;
            }

            return star > 0 && star + 1 < line.Length && line[star] == '*' && line[star + 1] != '/';
        }
    }
}
