using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace CommerceServices.Php
{
    /// <summary>
    /// Reads Magento's <c>app/etc/env.php</c> and <c>config.php</c> without running PHP: a
    /// <c>&lt;?php</c> file whose only statement is <c>return &lt;array&gt;;</c> (after an optional
    /// <c>declare(strict_types=1);</c>). Accepts what Magento (its PhpFormatter, older installs' var_export)
    /// and people write: both array syntaxes, trailing commas or not, every comment style,
    /// single- and double-quoted strings with their escapes, heredoc and nowdoc, integer keys,
    /// multi-line strings, true/false/null in any case, signed integers and floats in every PHP
    /// notation. Anything that would need PHP to evaluate (function calls such as getenv(),
    /// constants other than true, false, null, INF and NAN, concatenation, variables, interpolation) is a
    /// <see cref="PhpConfigParseException"/> naming the file, the line, the column and the construct, without
    /// repeating text that could be a value. Nesting is limited to <see cref="MaxNestingDepth"/> levels.
    /// Names and numbers are read as PHP 8.2 reads them: only ASCII digits are digits (a '٣' is a name),
    /// float keys are truncated or wrap as PHP's do (1e20 is 7766279631452241920), and an element without a
    /// key follows the largest integer key, negative ones included ([-5 => 'a', 'b'] gives -4). The doc comments it passes are kept, so that the
    /// section comments Magento's writer keeps can be found (<see cref="MagentoCommentParser"/>).
    /// Strings are bytes, as in PHP: a file is decoded by <see cref="PhpBytes"/> (a byte that is not part of valid
    /// UTF-8, such as the E9 of a Latin-1 password, is an escaped byte U+DC80..U+DCFF), and the escapes that make
    /// bytes ("\xFF", "\377", and "\u{D800}", which PHP writes as ED A0 80) are decoded the same way once the
    /// string is complete ("\xC3\xA9" is "é"), so <see cref="PhpBytes.Encode"/> gives back exactly PHP's bytes.
    /// </summary>
    public sealed class PhpConfigReader
    {
        /// <summary>
        /// The deepest nesting read: arrays within arrays (the returned array is level 1), and signs
        /// before a number count as levels too. Magento's files nest about six levels. PHP 8.2's parser
        /// (a 10,000-entry stack) refuses a file nested deeper than 3,331 levels of <c>'key' =&gt; [</c>,
        /// 4,997 of <c>array(</c> and 9,994 of bare <c>[</c>; 512 is below all three, so whatever nesting
        /// is read here PHP reads too, and reading it uses a small part of a 1 MB thread stack (the
        /// reader recurses per level). Deeper is a <see cref="PhpConfigParseException"/>, never a stack overflow.
        /// </summary>
        public const int MaxNestingDepth = 512;

        /// <summary>
        /// MethodImplOptions.AggressiveOptimization (.NET Core 3.0 and later; ignored where it does not exist): the
        /// methods that recurse per level are compiled optimized at once, since unoptimized (tier-0) code takes
        /// about three times the stack (measured: 512 levels need about 200 KB optimized, 600 KB at tier 0).
        /// </summary>
        internal const MethodImplOptions AggressiveOptimization = (MethodImplOptions)512;

        private readonly string text;
        private readonly string file;

        // The doc comments passed, in order; null when the caller does not want the section comments.
        private readonly List<string>? docComments;
        private int position;
        private int depth;

        private PhpConfigReader(string text, string file, bool keepDocComments)
        {
            this.text = text;
            this.file = file;
            docComments = keepDocComments ? new List<string>() : null;
        }

        /// <summary>Reads a configuration file.</summary>
        /// <exception cref="PhpConfigParseException">The file holds something that is not a literal array.</exception>
        public static PhpArray ReadFile(string path) => Read(ReadText(path), path);

        /// <summary>Reads configuration file text; <paramref name="file"/> names it in errors.</summary>
        /// <exception cref="PhpConfigParseException">The text holds something that is not a literal array.</exception>
        public static PhpArray Read(string text, string file) => new PhpConfigReader(text.TrimStart('\uFEFF'), file, keepDocComments: false).ReadDocument();

        /// <summary>
        /// Reads a configuration file, and the section comments Magento's deployment-config writer would
        /// keep from it (section name to text, as <see cref="MagentoCommentParser.SectionComments"/> finds them).
        /// </summary>
        /// <exception cref="PhpConfigParseException">The file holds something that is not a literal array.</exception>
        public static PhpArray ReadFile(string path, out PhpArray sectionComments) => Read(ReadText(path), path, out sectionComments);

        /// <summary>
        /// A file's text as the reader reads it: its bytes decoded by <see cref="PhpBytes"/>, so every byte that is not
        /// UTF-8 (a password <c>p\xE9ss</c>) is kept and written back as it was.
        /// </summary>
        public static string ReadText(string path) => PhpBytes.Decode(File.ReadAllBytes(path));

        /// <summary>
        /// Reads configuration file text and its section comments (see <see cref="ReadFile(string, out PhpArray)"/>);
        /// <paramref name="file"/> names it in errors.
        /// </summary>
        /// <exception cref="PhpConfigParseException">The text holds something that is not a literal array.</exception>
        public static PhpArray Read(string text, string file, out PhpArray sectionComments)
        {
            var reader = new PhpConfigReader(text.TrimStart('\uFEFF'), file, keepDocComments: true);
            PhpArray array = reader.ReadDocument();
            sectionComments = MagentoCommentParser.SectionComments(reader.docComments!);
            return array;
        }

        private PhpArray ReadDocument()
        {
            SkipWhitespaceOnly();
            if (!MatchWordIgnoreCase("<?php") || (position < text.Length && !IsPhpWhitespace(text[position])))
            {
                throw Error("text before '<?php'", "The file does not start with '<?php'. A Magento configuration file must begin with '<?php' and return an array.");
            }

            // Before the return: declare(strict_types=...) statements and empty statements (';'), as PHP
            // allows them; a strict_types declaration must come before any empty statement.
            bool emptyStatementSeen = false;
            while (true)
            {
                SkipTrivia();
                if (Match(";"))
                {
                    emptyStatementSeen = true;
                }
                else if (PeekWordIgnoreCase("declare"))
                {
                    ReadDeclare(emptyStatementSeen);
                }
                else
                {
                    break;
                }
            }

            if (!MatchWordIgnoreCase("return"))
            {
                throw Error(DescribeHere(), "Expected 'return [...];', found " + DescribeHere() + ". The file must return its configuration array and do nothing else.");
            }

            SkipTrivia();
            object? value = ReadExpression();
            if (!(value is PhpArray array))
            {
                throw Error("return of a " + PhpTypeName(value), "The file returns a " + PhpTypeName(value) + ", not an array; Magento requires an array (\"Invalid configuration file\").");
            }

            SkipTrivia();
            if (!PeekClosingTag())
            {
                Expect(';', "';' after the returned array");
            }

            ReadAfterReturn();
            return array;
        }

        /// <summary>
        /// What may follow the return statement: empty statements (';'), then the end of the file or a closing
        /// '?>' and any text without an opening tag, which PHP never prints, since the file has returned. Code after
        /// the return is refused: PHP compiles it without running it, and the reader does not compile PHP.
        /// </summary>
        private void ReadAfterReturn()
        {
            while (true)
            {
                SkipTrivia();
                if (!Match(";"))
                {
                    break;
                }
            }

            if (Match("?>"))
            {
                int open = text.IndexOf("<?", position, StringComparison.Ordinal);
                if (open < 0)
                {
                    position = text.Length;
                    return;
                }

                position = open;
            }

            if (position < text.Length)
            {
                throw Error(
                    "code after the return statement",
                    "Found " + DescribeHere() + " after the 'return' statement; a Magento configuration file holds only the return of its array. Remove what follows the returned array.");
            }
        }

        private bool PeekClosingTag() => position + 1 < text.Length && text[position] == '?' && text[position + 1] == '>';

        /// <summary>
        /// declare(strict_types=0|1); as PHP compiles it: the value a literal integer 0 or 1 in any base (no sign,
        /// no constant), the statement ended by ';', and no statement but another declare before it.
        /// </summary>
        private void ReadDeclare(bool emptyStatementSeen)
        {
            int start = position;
            MatchWordIgnoreCase("declare");
            SkipTrivia();
            Expect('(', "'(' after declare");
            SkipTrivia();
            string name = ReadIdentifier();
            if (!string.Equals(name, "strict_types", StringComparison.OrdinalIgnoreCase))
            {
                throw Error("declare(" + name + ")", "Only declare(strict_types=1) is allowed before the return statement, not declare(" + name + ").");
            }

            if (emptyStatementSeen)
            {
                throw Error("declare(strict_types) after a statement", "declare(strict_types=...) must be the very first statement of the file (PHP: \"strict_types declaration must be the very first statement\").", start);
            }

            SkipTrivia();
            Expect('=', "'=' in declare(strict_types=1)");
            SkipTrivia();
            object? value = Peek() == '-' || Peek() == '+' ? null : ReadExpression();
            if (!(value is long mode && (mode == 0 || mode == 1)))
            {
                throw Error("declare(strict_types) value", "declare(strict_types=...) takes a literal 0 or 1, with no sign (PHP refuses anything else at compile time).", start);
            }

            SkipTrivia();
            Expect(')', "')' closing declare(...)");
            SkipTrivia();
            Expect(';', "';' after declare(...)");
        }

        // ReadExpression, ReadPrimary and ReadArrayBody recurse once per nesting level: they keep their frames
        // small (everything else, and every error message, is in methods they call), so MaxNestingDepth levels
        // take a small part of a thread's stack.
        [MethodImpl(AggressiveOptimization)]
        private object? ReadExpression()
        {
            int start = position;
            SkipTrivia();
            object? value = Peek() == '-' || Peek() == '+' ? ReadSigned() : ReadPrimary();
            CheckNoOperatorAfter(start);
            return value;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void CheckNoOperatorAfter(int start)
        {
            SkipTrivia();
            if (position < text.Length)
            {
                char c = text[position];
                if (c == '.' && !(position + 1 < text.Length && IsAsciiDigit(text[position + 1])))
                {
                    throw Error("concatenation ('.')", "Found a concatenation ('.'); values must be literals. Write the whole string as one literal.", start);
                }

                if (IsOperatorStart(c) && !(c == '=' && position + 1 < text.Length && text[position + 1] == '>') && !PeekClosingTag())
                {
                    throw Error("operator '" + c + "'", "Found an expression with the operator '" + c + "'; values must be literals. Replace the expression with its value.", start);
                }
            }
        }

        /// <summary>A value with any '+' and '-' signs before it, read without recursing per sign.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private object? ReadSigned()
        {
            SkipTrivia();
            var signs = new List<bool>();
            while (Peek() == '-' || Peek() == '+')
            {
                if (depth + signs.Count >= MaxNestingDepth)
                {
                    throw TooDeep();
                }

                signs.Add(text[position] == '-');
                position++;
                if (Peek() == text[position - 1])
                {
                    // "--" and "++" with nothing between are PHP's decrement and increment operators, not two signs.
                    throw Error("operator '" + Peek() + Peek() + "'", "Found the operator '" + Peek() + Peek() + "'; values must be literals. Write the number with one sign.", position - 1);
                }

                SkipTrivia();
            }

            object? value = ReadPrimary();
            for (int i = signs.Count - 1; i >= 0; i--)
            {
                bool negative = signs[i];
                switch (value)
                {
                    case long l when !negative:
                        break;
                    case long l when l == long.MinValue:
                        value = -(double)l;
                        break;
                    case long l:
                        value = -l;
                        break;
                    case double d:
                        value = negative ? -d : d;
                        break;
                    default:
                        throw Error("sign before a " + PhpTypeName(value), "A '+' or '-' sign may only stand before a number.");
                }
            }

            return value;
        }

        [MethodImpl(AggressiveOptimization)]
        private object? ReadPrimary()
        {
            if (Peek() == '[')
            {
                position++;
                return ReadArrayBody(']');
            }

            return StartsLongArray() ? ReadArrayBody(')') : ReadOtherPrimary();
        }

        /// <summary>At "array" then '(' (with trivia between): moves past the '(' and returns true.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool StartsLongArray()
        {
            char c = Peek();
            if (c != 'a' && c != 'A')
            {
                return false;
            }

            int mark = position;
            if (MatchWordIgnoreCase("array"))
            {
                SkipTrivia();
                if (Peek() == '(')
                {
                    position++;
                    return true;
                }
            }

            position = mark;
            return false;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private object? ReadOtherPrimary()
        {
            if (position >= text.Length)
            {
                throw Error("end of file", "The file ends in the middle of a value; it is truncated.");
            }

            char c = text[position];
            if (c == '\'')
            {
                return ReadSingleQuoted();
            }

            if (c == '"')
            {
                position++;
                return ReadDoubleQuotedContent('"');
            }

            if (c == '<' && Match("<<<"))
            {
                return ReadHeredoc();
            }

            if (IsAsciiDigit(c) || (c == '.' && position + 1 < text.Length && IsAsciiDigit(text[position + 1])))
            {
                return ReadNumber();
            }

            if (c == '$')
            {
                throw Error("variable", "Found a variable; values must be literals, since the file is read without running PHP.");
            }

            if (IsIdentifierStart(c) || c == '\\')
            {
                int start = position;
                string word = ReadQualifiedName();
                string lower = word.ToLowerInvariant();
                SkipTrivia();
                if (Peek() == '(')
                {
                    throw Error("function call " + word + "()", "Found the function call " + word + "(...); it cannot be evaluated without PHP. Replace it with its value (for example the value of the environment variable that getenv() reads).", start);
                }

                if (Match("::"))
                {
                    string member = ReadIdentifierOrEmpty();
                    throw Error("constant " + word + "::" + member, "Found the class constant " + word + "::" + member + "; it cannot be evaluated without PHP. Replace it with its value.", start);
                }

                switch (lower)
                {
                    case "true":
                    case "\\true":
                        return true;
                    case "false":
                    case "\\false":
                        return false;
                    case "null":
                    case "\\null":
                        return null;
                }

                // INF and NAN (case-sensitive, as PHP's constants are) are what var_export() writes for those floats.
                switch (word)
                {
                    case "INF":
                    case "\\INF":
                        return double.PositiveInfinity;
                    case "NAN":
                    case "\\NAN":
                        return double.NaN;
                }

                // The name is not repeated: an unquoted value (a legacy crypt key, a password) reads as a constant.
                throw Error("constant", "Found an unquoted name where a value belongs, which PHP reads as a constant; it cannot be evaluated without PHP. Replace it with its value, in quotes if it is text.", start);
            }

            throw Error(DescribeHere(), "Expected a value, found " + DescribeHere() + ".");
        }

        [MethodImpl(AggressiveOptimization)]
        private PhpArray ReadArrayBody(char close)
        {
            if (depth >= MaxNestingDepth)
            {
                throw TooDeep();
            }

            depth++;
            var array = new PhpArray();
            while (true)
            {
                SkipTrivia();
                if (Peek() == close)
                {
                    position++;
                    depth--;
                    return array;
                }

                CheckElementStart();
                int elementStart = position;
                object? first = ReadExpression();
                SkipTrivia();
                if (Match("=>"))
                {
                    CheckKey(first);
                    object? value = ReadExpression();
                    array.Set(first!, value);
                }
                else if (!array.TryAdd(first))
                {
                    throw NextElementOccupied(elementStart);
                }

                SkipTrivia();
                if (Peek() == ',')
                {
                    position++;
                    continue;
                }

                if (Peek() == close)
                {
                    continue;
                }

                throw ExpectedCommaOr(close);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void CheckElementStart()
        {
            if (Peek() == ',')
            {
                throw Error("empty array element", "Found an empty array element (two commas in a row).");
            }

            if (Match("..."))
            {
                throw Error("spread operator", "Found the spread operator '...'; values must be literals.");
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void CheckKey(object? key)
        {
            if (key is PhpArray)
            {
                throw Error("array used as a key", "An array cannot be an array key.");
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private PhpConfigParseException NextElementOccupied(int at) =>
            Error("next element already occupied", "Cannot add an element without a key: the next integer key (the largest, " + long.MaxValue.ToString(CultureInfo.InvariantCulture) + ") is already used, which PHP refuses.", at);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private PhpConfigParseException ExpectedCommaOr(char close) =>
            Error(DescribeHere(), "Expected ',' or '" + close + "' in an array, found " + DescribeHere() + ".");

        private string ReadSingleQuoted()
        {
            int start = position;
            int close = text.IndexOfAny(QuoteOrBackslash, start + 1);
            if (close >= 0 && text[close] == '\'')
            {
                // No backslash before the next quote, so no escape: the string is the text between the quotes (most are).
                position = close + 1;
                return text.Substring(start + 1, close - start - 1);
            }

            position++;
            var value = new StringBuilder();
            while (position < text.Length)
            {
                char c = text[position++];
                if (c == '\'')
                {
                    return value.ToString();
                }

                if (c == '\\' && position < text.Length && (text[position] == '\\' || text[position] == '\''))
                {
                    value.Append(text[position++]);
                    continue;
                }

                value.Append(c);
            }

            throw Error("unterminated string", "A single-quoted string is not closed.", start);
        }

        /// <summary>Double-quoted string or heredoc content, with PHP's escapes; interpolation is refused.</summary>
        private string ReadDoubleQuotedContent(char? terminator, string? heredocBody = null, int heredocStart = 0)
        {
            string source = heredocBody ?? text;
            int index = heredocBody == null ? position : 0;
            int start = heredocBody == null ? position : heredocStart;
            var value = new StringBuilder();
            while (index < source.Length)
            {
                char c = source[index++];
                if (terminator.HasValue && c == terminator.Value)
                {
                    position = index;
                    return PhpBytes.Normalize(value.ToString());
                }

                if (c == '$' && index < source.Length && (IsIdentifierStart(source[index]) || source[index] == '{'))
                {
                    throw Error("variable interpolation", "A double-quoted string interpolates a variable; values must be literals. Use a single-quoted string or the variable's value.", heredocBody == null ? index - 1 : start);
                }

                if (c == '{' && index < source.Length && source[index] == '$')
                {
                    throw Error("variable interpolation", "A double-quoted string interpolates a variable; values must be literals.", heredocBody == null ? index - 1 : start);
                }

                if (c != '\\' || index >= source.Length)
                {
                    value.Append(c);
                    continue;
                }

                char e = source[index];
                switch (e)
                {
                    case 'n': value.Append('\n'); index++; break;
                    case 't': value.Append('\t'); index++; break;
                    case 'r': value.Append('\r'); index++; break;
                    case 'v': value.Append('\v'); index++; break;
                    case 'e': value.Append('\x1B'); index++; break;
                    case 'f': value.Append('\f'); index++; break;
                    case '\\': value.Append('\\'); index++; break;
                    case '$': value.Append('$'); index++; break;
                    case '"' when terminator == '"': value.Append('"'); index++; break;
                    case 'x' when index + 1 < source.Length && IsHex(source[index + 1]):
                        {
                            int length = index + 2 < source.Length && IsHex(source[index + 2]) ? 2 : 1;
                            // A byte, as in PHP: 0x80 and above is an escaped byte until the string is complete (Normalize).
                            value.Append(PhpBytes.ByteChar(Convert.ToInt32(source.Substring(index + 1, length), 16)));
                            index += 1 + length;
                            break;
                        }

                    case 'u' when index + 1 < source.Length && source[index + 1] == '{':
                        {
                            // PHP: one or more hex digits, then '}', at most U+10FFFF.
                            int digit = index + 2;
                            long codePoint = 0;
                            while (digit < source.Length && IsHex(source[digit]))
                            {
                                codePoint = Math.Min(codePoint * 16 + Convert.ToInt32(source[digit].ToString(), 16), 0x110000);
                                digit++;
                            }

                            if (digit == index + 2 || digit >= source.Length || source[digit] != '}' || codePoint > 0x10FFFF)
                            {
                                throw Error("invalid \\u{...} escape", "A \\u{...} escape in a double-quoted string is not a valid code point.", start);
                            }

                            if (codePoint >= 0xD800 && codePoint <= 0xDFFF)
                            {
                                // PHP 8.2 writes a surrogate in UTF-8's three-byte form (ED A0 80 for D800), bytes that
                                // are not UTF-8: they are kept as such (escaped bytes, see PhpBytes).
                                value.Append(PhpBytes.ByteChar(0xE0 | (int)(codePoint >> 12)))
                                    .Append(PhpBytes.ByteChar(0x80 | (int)((codePoint >> 6) & 0x3F)))
                                    .Append(PhpBytes.ByteChar(0x80 | (int)(codePoint & 0x3F)));
                            }
                            else
                            {
                                value.Append(char.ConvertFromUtf32((int)codePoint));
                            }

                            index = digit + 1;
                            break;
                        }

                    default:
                        if (e >= '0' && e <= '7')
                        {
                            int length = 1;
                            while (length < 3 && index + length < source.Length && source[index + length] >= '0' && source[index + length] <= '7')
                            {
                                length++;
                            }

                            value.Append(PhpBytes.ByteChar(Convert.ToInt32(source.Substring(index, length), 8) & 0xFF));
                            index += length;
                        }
                        else
                        {
                            // Unknown escapes stay as written, backslash included, as in PHP.
                            value.Append('\\');
                        }

                        break;
                }
            }

            if (heredocBody != null)
            {
                return PhpBytes.Normalize(value.ToString());
            }

            throw Error("unterminated string", "A double-quoted string is not closed.", start);
        }

        private string ReadHeredoc()
        {
            int start = position - 3;
            while (Peek() == ' ' || Peek() == '\t')
            {
                position++;
            }

            bool nowdoc = false;
            bool quoted = false;
            if (Peek() == '\'')
            {
                nowdoc = true;
                position++;
            }
            else if (Peek() == '"')
            {
                quoted = true;
                position++;
            }

            string label = ReadIdentifier();
            if ((nowdoc && !Match("'")) || (quoted && !Match("\"")))
            {
                throw Error("heredoc label", "The heredoc label is not closed.", start);
            }

            if (!Match("\r\n") && !Match("\n") && !Match("\r"))
            {
                throw Error("heredoc", "A heredoc label must be followed by a line break.", start);
            }

            // Find the closing label: a line holding only whitespace then the label, not followed by an
            // identifier character (PHP 7.3 flexible heredoc). Lines end at \n, \r\n or \r, as PHP's scanner has it.
            int bodyStart = position;
            int lineStart = position;
            while (lineStart <= text.Length)
            {
                int indentEnd = lineStart;
                while (indentEnd < text.Length && (text[indentEnd] == ' ' || text[indentEnd] == '\t'))
                {
                    indentEnd++;
                }

                if (string.CompareOrdinal(text, indentEnd, label, 0, label.Length) == 0
                    && (indentEnd + label.Length >= text.Length || !IsIdentifierPart(text[indentEnd + label.Length])))
                {
                    string indent = text.Substring(lineStart, indentEnd - lineStart);
                    int bodyEnd = lineStart;
                    if (bodyEnd > bodyStart)
                    {
                        // The line break before the closing label is not part of the string.
                        bodyEnd -= bodyEnd - 2 >= bodyStart && text[bodyEnd - 2] == '\r' && text[bodyEnd - 1] == '\n' ? 2 : 1;
                    }

                    string raw = text.Substring(bodyStart, bodyEnd - bodyStart);
                    position = indentEnd + label.Length;
                    string body = RemoveIndent(raw, indent, start);
                    return nowdoc ? body : ReadDoubleQuotedContent(null, body, start);
                }

                int next = text.IndexOfAny(LineBreaks, lineStart);
                if (next < 0)
                {
                    break;
                }

                lineStart = next + (text[next] == '\r' && next + 1 < text.Length && text[next + 1] == '\n' ? 2 : 1);
            }

            throw Error("unterminated heredoc", "The heredoc <<<" + label + " has no closing '" + label + "' line.", start);
        }

        private static readonly char[] LineBreaks = { '\n', '\r' };

        private static readonly char[] QuoteOrBackslash = { '\'', '\\' };

        /// <summary>
        /// Removes the closing label's indentation from every line of a heredoc body, as PHP 7.3+ does: the
        /// indentation is all spaces or all tabs, every line starts with it (a line of whitespace only may be
        /// shorter, and becomes empty), and lines end at \n, \r\n or \r.
        /// </summary>
        private string RemoveIndent(string raw, string indent, int start)
        {
            if (indent.Length == 0)
            {
                return raw;
            }

            char kind = indent[0];
            if (indent.IndexOf(kind == ' ' ? '\t' : ' ') >= 0)
            {
                throw Error("heredoc indentation", "The closing label of a heredoc is indented with both tabs and spaces (PHP: \"Invalid indentation - tabs and spaces cannot be mixed\").", start);
            }

            var body = new StringBuilder(raw.Length);
            int at = 0;
            while (at <= raw.Length)
            {
                int end = raw.IndexOfAny(LineBreaks, at);
                int lineEnd = end < 0 ? raw.Length : end;
                int skip = 0;
                while (skip < indent.Length && at + skip < lineEnd)
                {
                    char c = raw[at + skip];
                    if (c != ' ' && c != '\t')
                    {
                        throw Error("heredoc indentation", "A heredoc line is indented less than its closing label (PHP: \"Invalid body indentation level\").", start);
                    }

                    if (c != kind)
                    {
                        throw Error("heredoc indentation", "A heredoc line mixes tabs and spaces in its indentation (PHP: \"Invalid indentation - tabs and spaces cannot be mixed\").", start);
                    }

                    skip++;
                }

                if (end < 0)
                {
                    body.Append(raw, at + skip, raw.Length - at - skip);
                    break;
                }

                int breakLength = raw[end] == '\r' && end + 1 < raw.Length && raw[end + 1] == '\n' ? 2 : 1;
                body.Append(raw, at + skip, end + breakLength - at - skip);
                at = end + breakLength;
            }

            return body.ToString();
        }

        private object ReadNumber()
        {
            int start = position;
            if (Match("0x") || Match("0X"))
            {
                return ParsePrefixedInteger(ReadDigits(IsHex), 16, start);
            }

            if (Match("0b") || Match("0B"))
            {
                return ParsePrefixedInteger(ReadDigits(c => c == '0' || c == '1'), 2, start);
            }

            if (Match("0o") || Match("0O"))
            {
                return ParsePrefixedInteger(ReadDigits(c => c >= '0' && c <= '7'), 8, start);
            }

            string integerPart = ReadDigits(IsAsciiDigit);
            bool isFloat = false;
            var literal = new StringBuilder(integerPart);
            if (Peek() == '.' && (position + 1 >= text.Length || text[position + 1] != '.'))
            {
                isFloat = true;
                position++;
                literal.Append('.').Append(ReadDigits(IsAsciiDigit));
            }

            if (Peek() == 'e' || Peek() == 'E')
            {
                int mark = position;
                position++;
                string sign = Peek() == '+' || Peek() == '-' ? text[position++].ToString() : string.Empty;
                string exponent = ReadDigits(IsAsciiDigit);
                if (exponent.Length == 0)
                {
                    position = mark;
                }
                else
                {
                    isFloat = true;
                    literal.Append('E').Append(sign).Append(exponent);
                }
            }

            if (position < text.Length && IsIdentifierPart(text[position]))
            {
                // The text is not repeated: it may be an unquoted value such as a legacy crypt key.
                throw Error("invalid number", "Found digits followed by a letter or '_', which is not a valid number. If this is a value, put it in quotes.", start);
            }

            if (isFloat)
            {
                string value = literal.ToString();
                return double.Parse(value.StartsWith(".", StringComparison.Ordinal) ? "0" + value : value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }

            if (integerPart.Length > 1 && integerPart[0] == '0')
            {
                if (integerPart.IndexOf('8') >= 0 || integerPart.IndexOf('9') >= 0)
                {
                    throw Error("invalid octal number", "Found a number that starts with 0 and holds an 8 or a 9, which is not a valid octal number. If this is a value, put it in quotes.", start);
                }

                return ParseInteger(integerPart.Substring(1), 8, start);
            }

            return ParseInteger(integerPart, 10, start);
        }

        private object ParsePrefixedInteger(string digits, int radix, int start)
        {
            if (digits.Length == 0 || (position < text.Length && IsIdentifierPart(text[position])))
            {
                throw Error("invalid number", "Found a 0x, 0b or 0o number without valid digits after it. If this is a value, put it in quotes.", start);
            }

            return ParseInteger(digits, radix, start);
        }

        private string ReadDigits(Func<char, bool> isDigit)
        {
            var digits = new StringBuilder();
            while (position < text.Length)
            {
                char c = text[position];
                if (isDigit(c))
                {
                    digits.Append(c);
                    position++;
                }
                else if (c == '_' && digits.Length > 0 && position + 1 < text.Length && isDigit(text[position + 1]))
                {
                    position++;
                }
                else
                {
                    break;
                }
            }

            return digits.ToString();
        }

        private object ParseInteger(string digits, int radix, int start)
        {
            if (digits.Length == 0)
            {
                return 0L;
            }

            // PHP turns an integer literal that does not fit into a float. For hex, octal and binary it computes
            // that float as zend_hex/oct/bin_strtod do, digit by digit: value * 16 + digit for hex, and for octal
            // and binary value * radix + c - '0' in C's order of operations, (value * radix + c) - '0', which
            // loses low digits (0b followed by 64 ones is 18446744073709549568, not 2^64).
            double asDouble = 0;
            long value = 0;
            bool overflow = false;
            foreach (char c in digits)
            {
                int digit = c <= '9' ? c - '0' : (char.ToLowerInvariant(c) - 'a' + 10);
                asDouble = radix == 16 ? asDouble * radix + digit : asDouble * radix + c - '0';
                if (!overflow)
                {
                    try
                    {
                        value = checked(value * radix + digit);
                    }
                    catch (OverflowException)
                    {
                        overflow = true;
                    }
                }
            }

            if (overflow && radix == 10)
            {
                return double.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            }

            return overflow ? (object)asDouble : value;
        }

        private string ReadQualifiedName()
        {
            var name = new StringBuilder();
            while (position < text.Length && (IsIdentifierPart(text[position]) || text[position] == '\\'))
            {
                name.Append(text[position++]);
            }

            return name.ToString();
        }

        private string ReadIdentifier()
        {
            string name = ReadIdentifierOrEmpty();
            if (name.Length == 0)
            {
                throw Error(DescribeHere(), "Expected a name, found " + DescribeHere() + ".");
            }

            return name;
        }

        private string ReadIdentifierOrEmpty()
        {
            int start = position;
            while (position < text.Length && IsIdentifierPart(text[position]))
            {
                position++;
            }

            return text.Substring(start, position - start);
        }

        private void SkipWhitespaceOnly()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }

        private void SkipTrivia()
        {
            while (position < text.Length)
            {
                char c = text[position];
                if (IsPhpWhitespace(c))
                {
                    // A run of whitespace (indentation, mostly) in a local, not through the field.
                    int at = position + 1;
                    while (at < text.Length && IsPhpWhitespace(text[at]))
                    {
                        at++;
                    }

                    position = at;
                }
                else if (c == '#' && (position + 1 >= text.Length || text[position + 1] != '['))
                {
                    SkipLineComment();
                }
                else if (c == '/' && position + 1 < text.Length && text[position + 1] == '/')
                {
                    SkipLineComment();
                }
                else if (c == '/' && position + 1 < text.Length && text[position + 1] == '*')
                {
                    int end = text.IndexOf("*/", position + 2, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        throw Error("unterminated comment", "A /* comment is not closed.");
                    }

                    if (docComments != null && IsDocCommentStart(position))
                    {
                        docComments.Add(text.Substring(position, end + 2 - position));
                    }

                    position = end + 2;
                }
                else
                {
                    return;
                }
            }
        }

        /// <summary>PHP's doc comment: "/**" followed by a space, tab or line break ("/**/" is an ordinary comment).</summary>
        private bool IsDocCommentStart(int at) =>
            at + 3 < text.Length && text[at + 2] == '*' && " \t\r\n".IndexOf(text[at + 3]) >= 0;

        private void SkipLineComment()
        {
            // A line comment ends at the line break (\n, \r\n or \r), or just before '?>'.
            while (position < text.Length && text[position] != '\n' && text[position] != '\r')
            {
                if (text[position] == '?' && position + 1 < text.Length && text[position + 1] == '>')
                {
                    return;
                }

                position++;
            }
        }

        private char Peek() => position < text.Length ? text[position] : '\0';

        private bool Match(string literal)
        {
            // The first character is compared on its own first: most calls do not match, and fail there.
            if (Peek() == literal[0] && string.CompareOrdinal(text, position, literal, 0, literal.Length) == 0 && position + literal.Length <= text.Length)
            {
                position += literal.Length;
                return true;
            }

            return false;
        }

        private bool PeekWordIgnoreCase(string word) =>
            position + word.Length <= text.Length
            && string.Compare(text, position, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
            && (position + word.Length == text.Length || !IsIdentifierPart(text[position + word.Length]));

        private bool MatchWordIgnoreCase(string word)
        {
            if (!PeekWordIgnoreCase(word))
            {
                return false;
            }

            position += word.Length;
            return true;
        }

        private void Expect(char c, string what)
        {
            if (Peek() != c)
            {
                throw Error(DescribeHere(), "Expected " + what + ", found " + DescribeHere() + ".");
            }

            position++;
        }

        /// <summary>
        /// What stands at the current position, without repeating the file's text where it could be part of a
        /// value (a password, an unquoted crypt key): a single punctuation character, a PHP keyword, or the kind
        /// of token ("a name", "a number", "a quoted string").
        /// </summary>
        private string DescribeHere()
        {
            if (position >= text.Length)
            {
                return "the end of the file";
            }

            char c = text[position];
            if (c == '\'' || c == '"' || c == '`')
            {
                return "a quoted string";
            }

            if (c == '$')
            {
                return "a variable";
            }

            if (IsAsciiDigit(c))
            {
                return "a number";
            }

            if (IsIdentifierStart(c))
            {
                int end = position;
                while (end < text.Length && IsIdentifierPart(text[end]))
                {
                    end++;
                }

                string word = text.Substring(position, end - position).ToLowerInvariant();
                return Array.IndexOf(Keywords, word) >= 0 ? "the keyword '" + word + "'" : "a name";
            }

            if (c == '<' && string.CompareOrdinal(text, position, "<<<", 0, 3) == 0)
            {
                return "a heredoc";
            }

            if (c > ' ' && c < 0x7F)
            {
                return "'" + c + "'";
            }

            return IsPhpWhitespace(c) ? "whitespace" : "a control character or non-ASCII character";
        }

        /// <summary>PHP's reserved keywords: naming one never repeats a value.</summary>
        private static readonly string[] Keywords =
        {
            "abstract", "and", "array", "as", "break", "callable", "case", "catch", "class", "clone", "const", "continue",
            "declare", "default", "die", "do", "echo", "else", "elseif", "empty", "enddeclare", "endfor", "endforeach",
            "endif", "endswitch", "endwhile", "enum", "eval", "exit", "extends", "final", "finally", "fn", "for", "foreach",
            "function", "global", "goto", "if", "implements", "include", "include_once", "instanceof", "insteadof",
            "interface", "isset", "list", "match", "namespace", "new", "or", "print", "private", "protected", "public",
            "readonly", "require", "require_once", "return", "static", "switch", "throw", "trait", "try", "unset", "use",
            "var", "while", "xor", "yield", "true", "false", "null",
        };

        [MethodImpl(MethodImplOptions.NoInlining)]
        private PhpConfigParseException TooDeep() =>
            Error("nesting deeper than " + MaxNestingDepth.ToString(CultureInfo.InvariantCulture) + " levels", "The configuration is nested deeper than " + MaxNestingDepth.ToString(CultureInfo.InvariantCulture) + " levels (arrays within arrays, or signs before a number); Magento's files nest a few levels, so the file is damaged or not a configuration file.");

        private PhpConfigParseException Error(string construct, string message, int? at = null)
        {
            int offset = Math.Min(at ?? position, text.Length);
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++)
            {
                if (text[i] == '\n')
                {
                    line++;
                    lineStart = i + 1;
                }
            }

            return new PhpConfigParseException(file, line, offset - lineStart + 1, construct, message);
        }

        private static string PhpTypeName(object? value) =>
            value switch
            {
                null => "null",
                string _ => "string",
                long _ => "integer",
                double _ => "float",
                bool _ => "boolean",
                _ => "array",
            };

        private static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';

        /// <summary>The first character of an operator that may not follow a value: one of + - * / % ? | &amp; ^ &lt; &gt; = !.</summary>
        private static bool IsOperatorStart(char c)
        {
            switch (c)
            {
                case '+':
                case '-':
                case '*':
                case '/':
                case '%':
                case '?':
                case '|':
                case '&':
                case '^':
                case '<':
                case '>':
                case '=':
                case '!':
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>PHP's whitespace between tokens: space, tab, \n and \r (not \f, \v or Unicode spaces).</summary>
        private static bool IsPhpWhitespace(char c) => c == ' ' || c == '\t' || c == '\n' || c == '\r';

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

        /// <summary>PHP's [a-zA-Z_\x80-\xff]: ASCII letters, '_' and anything not ASCII (so '٣' is a name, not a digit).</summary>
        private static bool IsIdentifierStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c > 0x7F;

        private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsAsciiDigit(c);
    }
}
