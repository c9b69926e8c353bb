using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Php;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Php
{
    public class PhpConfigReaderTests
    {
        private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Php", "Fixtures", name);

        public static TheoryData<string> Fixtures() =>
            new TheoryData<string>(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Php", "Fixtures"), "*.php").Select(Path.GetFileName)!);

        [Theory]
        [MemberData(nameof(Fixtures))]
        public void ReadsEveryStyleExactlyAsPhpDoes(string name)
        {
            string expected = PhpCli.Run("var-export.php", Fixture(name));

            Assert.Equal(expected, PhpVarExport.Export(PhpConfigReader.ReadFile(Fixture(name))));
        }

        [Theory]
        [MemberData(nameof(Fixtures))]
        public void ReadsWindowsLineEndingsAndAByteOrderMarkAsPhpDoes(string name)
        {
            using var folder = new TempFolder();
            string crlf = folder.Write(name, "\uFEFF" + File.ReadAllText(Fixture(name)).Replace("\n", "\r\n"));
            string withoutBom = folder.Write("php-" + name, File.ReadAllText(Fixture(name)).Replace("\n", "\r\n"));

            // PHP would print a BOM as output before the array, so it is given the file without one.
            Assert.Equal(PhpCli.Run("var-export.php", withoutBom), PhpVarExport.Export(PhpConfigReader.ReadFile(crlf)));
        }

        [Fact]
        public void GivesAccessByPath()
        {
            PhpArray env = PhpConfigReader.ReadFile(Fixture("magento-formatter-env.php"));

            Assert.Equal("127.0.0.1:3307", env.GetPath("db/connection/default/host"));
            Assert.Equal(false, ((PhpArray)env.GetPath("db/connection/default/driver_options")!)[1014L]);
            Assert.Null(env.GetPath("system/default/services_connector/services_id/environment", out bool found));
            Assert.True(found);
            Assert.Null(env.GetPath("system/default/nothing/here", out found));
            Assert.False(found);
            Assert.True(((PhpArray)env.GetPath("downloadable_domains")!).IsList);
        }

        [Theory]
        [InlineData("<?php\nreturn [\n    'host' => getenv('DB_HOST'),\n];\n", 3, "function call getenv()")]
        [InlineData("<?php\nreturn [\n    'driver_options' => [\n        \\PDO::MYSQL_ATTR_SSL_CA => '/ca.pem',\n    ],\n];\n", 4, "constant \\PDO::MYSQL_ATTR_SSL_CA")]
        [InlineData("<?php\nreturn ['key' => 'abc' . 'def'];\n", 2, "concatenation ('.')")]
        [InlineData("<?php\nreturn ['key' => \"value $x\"];\n", 2, "variable interpolation")]
        [InlineData("<?php\nreturn ['key' => BP . '/var'];\n", 2, "constant")]
        [InlineData("<?php\nreturn ['key' => $value];\n", 2, "variable")]
        [InlineData("<?php\nreturn ['a' => 1 + 2];\n", 2, "operator '+'")]
        [InlineData("<?php\n$config = [];\nreturn $config;\n", 2, "a variable")]
        [InlineData("<?php\nreturn 'not an array';\n", 2, "return of a string")]
        [InlineData("<?php\nreturn ['a' => 'unterminated];\n", 2, "unterminated string")]
        [InlineData("<?php\nreturn ['a' => [1, 2];\n", 2, "';'")]
        [InlineData("<?php\nreturn ['a' => 1,, 'b' => 2];\n", 2, "empty array element")]
        [InlineData("<?php\nreturn ['a' => 1];\necho 'x';\n", 3, "code after the return statement")]
        [InlineData("<?php\nreturn ['a' => 1];\n9223372036854775807?>", 3, "code after the return statement")]
        [InlineData("<?php\nreturn ['a' => 1];\n?>\n<?php echo 'x';\n", 4, "code after the return statement")]
        [InlineData("<?php\nreturn ['a' => -'5'];\n", 2, "sign before a string")]
        [InlineData("<?php\nreturn ['a' => -true];\n", 2, "sign before a boolean")]
        [InlineData("hello <?php return [];", 1, "text before '<?php'")]
        [InlineData("<?php\nreturn [\n  'k' => <<<EOT\n  no end\n", 3, "unterminated heredoc")]
        public void RefusesWhatCannotBeReadWithoutPhpAndSaysWhere(string content, int line, string construct)
        {
            PhpConfigParseException error = Assert.Throws<PhpConfigParseException>(() => PhpConfigReader.Read(content, "app/etc/env.php"));

            Assert.Equal(line, error.Line);
            Assert.Equal(construct, error.Construct);
            Assert.StartsWith("app/etc/env.php, line " + line + ", column " + error.Column + ": ", error.Message, StringComparison.Ordinal);
            Assert.InRange(error.Column, 1, content.Length);
        }

        [Fact]
        public void NeverRunsTheFile()
        {
            using var folder = new TempFolder();
            string marker = Path.Combine(folder.Path, "ran");
            string file = folder.Write("env.php", "<?php\nreturn ['x' => touch('" + marker + "')];\n");

            Assert.Throws<PhpConfigParseException>(() => PhpConfigReader.ReadFile(file));
            Assert.False(File.Exists(marker));
        }

        [Theory]
        [InlineData("8", 8L)]
        [InlineData("-3", -3L)]
        [InlineData("08", "08")]
        [InlineData("-0", "-0")]
        [InlineData("1.5", "1.5")]
        [InlineData(" 1", " 1")]
        public void KeysFollowPhpsRules(string key, object expected)
        {
            Assert.Equal(expected, PhpArray.NormalizeKey(key));
        }

        private const int Limit = PhpConfigReader.MaxNestingDepth;

        /// <summary>A file whose returned array is <paramref name="levels"/> arrays deep, in one of PHP's forms.</summary>
        private static string Nested(string form, int levels)
        {
            var text = new StringBuilder("<?php\nreturn ");
            switch (form)
            {
                case "keyed":
                    text.Insert(text.Length, "['k' => ", levels).Append("'leaf'").Append(']', levels);
                    break;
                case "list":
                    text.Insert(text.Length, "[1, ", levels).Append("2").Append(']', levels);
                    break;
                case "long":
                    text.Insert(text.Length, "array('k' => ", levels - 1).Append("array()").Append(')', levels - 1);
                    break;
                case "bare":
                    text.Append('[', levels).Append(']', levels);
                    break;
                case "signs":
                    // The returned array is one level; each sign before the number counts as one more.
                    text.Append("['n' => ").Insert(text.Length, "- ", levels - 1).Append("1]");
                    break;
            }

            return text.Append(";\n").ToString();
        }

        /// <summary>Runs <paramref name="action"/> on a thread with a 1 MB stack (Windows' default), so a stack overflow would show here.</summary>
        private static T OnOneMegabyteStack<T>(Func<T> action)
        {
            T result = default!;
            Exception? error = null;
            var thread = new Thread(() =>
            {
                try
                {
                    result = action();
                }
                catch (Exception ex)
                {
                    error = ex;
                }
            }, 1024 * 1024);
            thread.Start();
            thread.Join();
            if (error != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
            }

            return result;
        }

        [Theory]
        [InlineData("keyed")]
        [InlineData("list")]
        [InlineData("long")]
        [InlineData("bare")]
        [InlineData("signs")]
        public void NestingAtTheLimitIsReadAsPhpReadsIt(string form)
        {
            using var folder = new TempFolder();
            string file = folder.Write("env.php", Nested(form, Limit));

            string ours = OnOneMegabyteStack(() => PhpVarExport.Export(PhpConfigReader.ReadFile(file)));

            Assert.Equal(PhpCli.Run("var-export.php", file), ours);
        }

        [Theory]
        [InlineData("keyed", Limit + 1)]
        [InlineData("list", Limit + 1)]
        [InlineData("long", Limit + 1)]
        [InlineData("bare", Limit + 1)]
        [InlineData("signs", Limit + 1)]
        [InlineData("keyed", 100_000)]
        [InlineData("bare", 1_000_000)]
        [InlineData("signs", 1_000_000)]
        public void NestingBeyondTheLimitIsAParseErrorNotACrash(string form, int levels)
        {
            string text = Nested(form, levels);

            PhpConfigParseException error = OnOneMegabyteStack(() => Assert.Throws<PhpConfigParseException>(() => PhpConfigReader.Read(text, "app/etc/env.php")));

            Assert.Equal("app/etc/env.php", error.File);
            Assert.Equal(2, error.Line);
            Assert.Contains("nested deeper than " + Limit + " levels", error.Message, StringComparison.Ordinal);
            Assert.StartsWith("app/etc/env.php, line 2, column " + error.Column + ": ", error.Message, StringComparison.Ordinal);
        }

        /// <summary>
        /// PHP 8.2's own limit, from its parser's 10,000-entry stack: 3,331 levels of "'k' => [" (the form
        /// env.php nests in), more in the other forms; ours is below it, so PHP reads whatever nesting we read.
        /// </summary>
        [Fact]
        public void OurLimitIsBelowPhpsOwn()
        {
            using var folder = new TempFolder();

            Assert.StartsWith("array (", PhpCli.Run("var-export.php", folder.Write("deepest.php", Nested("keyed", 3331))), StringComparison.Ordinal);
            var refused = Assert.Throws<InvalidOperationException>(() => PhpCli.Run("var-export.php", folder.Write("deeper.php", Nested("keyed", 3332))));
            Assert.Contains("memory exhausted", refused.Message, StringComparison.Ordinal);
            Assert.True(Limit <= 3331);
        }

        /// <summary>Values PHP 8.2 (the installed CLI) reads in ways that are easy to get wrong; we read each as it does.</summary>
        public static TheoryData<string, string> Php82Cases() => new TheoryData<string, string>
        {
            { "negative key then auto-index", "<?php return [-5 => 'a', 'b', -10 => 'c', 'd'];" },
            { "auto-index after a string key only", "<?php return ['x' => 1, 'b', -3 => 'c'];" },
            { "auto-index after the smallest integer", "<?php return [-9223372036854775807 => 'a', 'b'];" },
            { "float keys out of range wrap", "<?php return [1e20 => 'a', -1e20 => 'b', 1e19 => 'c', 9223372036854775808 => 'd', 1.5e300 => 'e', 1e999 => 'f'];" },
            { "float keys in range are truncated", "<?php return [1.7 => 'a', -1.7 => 'b', 0.5 => 'c', -0.0 => 'd', .5e1 => 'e', 9.2233720368547748E18 => 'f'];" },
            { "INF and NAN keys and values", "<?php return [INF => 'a', NAN => 'b', 'v' => [INF, -INF, NAN, \\INF]];" },
            { "string keys with whitespace and signs", "<?php return [' 1' => 1, '1 ' => 2, \"\\t1\" => 3, \"1\\n\" => 4, '-0' => 5, '01' => 6, '+1' => 7, '1.0' => 8, '1e3' => 9];" },
            { "string keys at the integer limits", "<?php return ['9223372036854775807' => 1, '9223372036854775808' => 2, '-9223372036854775808' => 3, '-9223372036854775809' => 4];" },
            { "bool and null keys", "<?php return ['' => 1, null => 2, true => 3, false => 4, 1 => 5, '1' => 6, 1.9 => 7];" },
            { "integer keys in every notation", "<?php return [0x10 => 'a', 0b11 => 'b', 0o17 => 'c', 017 => 'd', 1_000 => 'e', 0X1F => 'f'];" },
            { "integer literals beyond 64 bits", "<?php return [9223372036854775807, 9223372036854775808, -9223372036854775808, 0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF, 0b1111111111111111111111111111111111111111111111111111111111111111];" },
            { "hex, octal and binary literals beyond 64 bits, as PHP computes them", "<?php return [0b11111111111111111111111111111111111111111111111111111111111111111, 0b1000000000000000000000000000000000000000000000000000011000000000000, 0777777777777777777777777, 0o1777777777777777777777, 0x1FFFFFFFFFFFFFFF1, 0xfffffffffffffffffff, 0xFFFFFFFFFFFFFFFF];" },
            { "floats in every size", "<?php return [1e15, 1e16, 1e17, 1e-4, 1e-5, 123456789012345678, 0.1, 1.5e-7, -2.5e+20, 1.0, 100.0, 1e308, 5e-324];" },
            { "code point escapes", "<?php return [\"\\u{10FFFF}\", \"\\u{1F600}\", \"\\u{0000000041}\", \"\\u{0}\", \"\\u{7F}\", \"\\u{00e9}\"];" },
            { "signs", "<?php return [- - 1, + - 1.5, -+-2, - 9223372036854775808, -0, -/**/-3, +#\n+4];" },
            { "tabs and carriage returns between tokens", "<?php\r\treturn\t[\r'a'\t=>\r1\t]\r;" },
            { "a line comment ending at a carriage return", "<?php\nreturn [ // note\r'a' => 1];" },
            { "empty statements before and after the return", "<?php\n;; return ['a' => 1];;\n;" },
            { "a closing tag ends the return", "<?php\nreturn ['a' => 1]\n?>\n" },
            { "text after the closing tag, never printed", "<?php\nreturn ['a' => 1]; ?>>trailing text" },
            { "a comment and then the closing tag", "<?php\nreturn ['a' => 1]#;\n?>" },
            { "strict_types declared twice, in any notation", "<?php\ndeclare(strict_types=1);declare(strict_types=0x1); declare(STRICT_TYPES=0_1);\nreturn [];" },
            { "heredoc body lines ending at carriage returns", "<?php\nreturn [<<<K\r  a\r\r \r  b\r\n  c\n  K, <<<'N'\r\tx\r\tN];" },
            { "heredoc whitespace-only lines shorter or longer than the indentation", "<?php\nreturn [<<<K\n    a\n  \n\n      \n    b\n    K];" },
        };

        [Theory]
        [MemberData(nameof(Php82Cases))]
        public void ReadsWhatPhp82ReadsExactlyAsItDoes(string description, string content)
        {
            using var folder = new TempFolder();
            string file = folder.Write("env.php", content);

            string expected = PhpCli.Run("var-export.php", file);

            Assert.StartsWith("array (", expected, StringComparison.Ordinal);
            string ours = PhpVarExport.Export(PhpConfigReader.ReadFile(file));
            Assert.True(ours == expected, description + ": PHP reads\n" + expected + "\nwe read\n" + ours);
        }

        /// <summary>
        /// What PHP 8.2 refuses (a parse error or an Error when the file is included): a
        /// <see cref="PhpConfigParseException"/> with file and line, nothing else. (A surrogate escape such as
        /// "\u{D800}" is read: PHP makes bytes of it, kept byte for byte, see PhpBytesTests.)
        /// </summary>
        public static TheoryData<string, string, int, bool> RefusedCases() => new TheoryData<string, string, int, bool>
        {
            { "an Arabic-Indic digit as a value", "<?php\nreturn [٣];", 2, false },
            { "an Arabic-Indic digit after a digit", "<?php\nreturn ['a' => 1٣];", 2, false },
            { "an Arabic-Indic digit as a key", "<?php\nreturn [\n٣ => 'a'];", 3, false },
            { "a fullwidth digit", "<?php\nreturn ['a' => ３];", 2, false },
            { "a code point beyond U+10FFFF", "<?php\nreturn [\"\\u{110000}\"];", 2, false },
            { "an empty code point escape", "<?php\nreturn [\"\\u{}\"];", 2, false },
            { "a code point escape with a space", "<?php\nreturn [\"\\u{ 41}\"];", 2, false },
            { "an unterminated code point escape", "<?php\nreturn [\"\\u{41\"];", 2, false },
            { "the next element after the largest key", "<?php\nreturn [\n9223372036854775807 => 'a', 'b'];", 3, false },
            { "a hex prefix without digits", "<?php\nreturn [0x];", 2, false },
            { "a form feed between tokens", "<?php\nreturn [\f1];", 2, false },
            { "a no-break space between tokens", "<?php\nreturn [\u00A01];", 2, false },
            { "no whitespace after the open tag", "<?php/**/return [];", 1, false },
            { "a lower-case inf", "<?php\nreturn [inf];", 2, false },
            { "a decrement operator before a number", "<?php\nreturn [--1];", 2, false },
            { "an increment operator before a number", "<?php\nreturn ['a' => ++1];", 2, false },
            { "strict_types other than 0 or 1", "<?php\ndeclare(strict_types=11);\nreturn [];", 2, false },
            { "strict_types given an array", "<?php\ndeclare(strict_types=[1]);\nreturn [];", 2, false },
            { "strict_types given a signed number", "<?php\ndeclare(strict_types=-0);\nreturn [];", 2, false },
            { "strict_types given a boolean", "<?php\ndeclare(strict_types=true);\nreturn [];", 2, false },
            { "strict_types after an empty statement", "<?php\n;\ndeclare(strict_types=1);\nreturn [];", 3, false },
            { "a heredoc line after a carriage return indented less than the label", "<?php\nreturn [<<<K\n    a\r-b\n    K];", 2, false },
            { "a heredoc line indented less than the label", "<?php\nreturn [<<<K\n    a\n  b\n    K];", 2, false },
            { "a heredoc indented with tabs and spaces", "<?php\nreturn [<<<K\n\t a\n\t K];", 2, false },
            { "a heredoc line indented with a tab where the label has spaces", "<?php\nreturn [<<<K\n  a\n\t\n  K];", 2, false },
        };

        [Theory]
        [MemberData(nameof(RefusedCases))]
        public void RefusesWhatPhp82RefusesWithFileAndLine(string description, string content, int line, bool phpReadsBytes)
        {
            using var folder = new TempFolder();
            string file = folder.Write("env.php", content);

            var error = Assert.Throws<PhpConfigParseException>(() => PhpConfigReader.ReadFile(file));

            Assert.Equal(file, error.File);
            Assert.True(line == error.Line, description + ": line " + error.Line);
            if (!phpReadsBytes)
            {
                // PHP refuses it too: a parse error, an Error when included, or the text shown and not an array returned.
                string php;
                try
                {
                    php = PhpCli.Run("var-export.php", file);
                }
                catch (InvalidOperationException)
                {
                    return;
                }

                Assert.False(php.StartsWith("array (", StringComparison.Ordinal), description + ": PHP reads " + php);
            }
        }

        /// <summary>Text near a parse error that could be a value (a password, an unquoted crypt key) and must not be shown.</summary>
        public static TheoryData<string, string> SecretCases() => new TheoryData<string, string>
        {
            { "<?php\nreturn ['crypt' => ['key' => abcdef0123456789abcdef0123456789]];\n", "abcdef0123456789abcdef0123456789" },
            { "<?php\nreturn ['crypt' => ['key' => 0123456789abcdef0123456789abcdef]];\n", "0123456789abcdef0123456789abcdef" },
            { "<?php\nreturn ['crypt' => ['key' => 0999abcdef0123456789abcdef012345]];\n", "0999abcdef0123456789abcdef012345" },
            { "<?php\nreturn ['crypt' => ['key' => ABCDEF0123456789ABCDEF0123456789]];\n", "ABCDEF0123456789ABCDEF0123456789" },
            { "<?php\nreturn ['crypt' => ['key' => base64Zm9vYmFyYmF6cXV4]];\n", "base64Zm9vYmFyYmF6cXV4" },
            { "<?php\nreturn ['db' => ['password' => 'Sup3r'S3cretPa55']];\n", "S3cretPa55" },
            { "<?php\nreturn ['db' => ['password' => 'a' 'S3cretPa55w0rd']];\n", "S3cretPa55w0rd" },
            { "<?php\nreturn ['db' => ['password' => \"a\"S3cretPa55w0rd\"]];\n", "S3cretPa55w0rd" },
            { "<?php\nreturn ['db' => ['password' => S3cret:Pa55w0rd]];\n", "S3cret" },
            { "<?php\nreturn ['db' => ['password' => 1S3cretPa55w0rd]];\n", "S3cretPa55w0rd" },
            { "<?php\nreturn ['db' => ['password' => 0x5EcretPa55w0rd]];\n", "5EcretPa55w0rd" },
            { "<?php\nreturn ['db' => ['password' => 'ok']] S3cretPa55w0rd;\n", "S3cretPa55w0rd" },
            { "<?php\nreturn ['db' => ['password' => 'ok'] S3cretPa55w0rd];\n", "S3cretPa55w0rd" },
            { "<?php\nreturn ['db' => ['password' => 'ok';S3cretPa55w0rd]];\n", "S3cretPa55w0rd" },
            { "<?php\nreturn ['db' => ['password' => \"S3cret{$Pa55w0rd}\"]];\n", "S3cret" },
            { "<?php\nreturn ['db' => ['password' => 'S3cretPa55w0rd]];\n", "S3cretPa55w0rd" },
            { "<?php\nS3cretPa55w0rd\n", "S3cretPa55w0rd" },
            { "S3cretPa55w0rd<?php\nreturn [];\n", "S3cretPa55w0rd" },
        };

        [Theory]
        [MemberData(nameof(SecretCases))]
        public void AParseErrorNeverShowsTextThatCouldBeAValue(string content, string secret)
        {
            var error = Assert.Throws<PhpConfigParseException>(() => PhpConfigReader.Read(content, "app/etc/env.php"));

            for (Exception? ex = error; ex != null; ex = ex.InnerException)
            {
                foreach (string shown in new[] { ex.Message, ex.ToString(), (ex as PhpConfigParseException)?.Construct ?? string.Empty })
                {
                    // No part of the secret of 5 characters or more.
                    for (int i = 0; i + 5 <= secret.Length; i++)
                    {
                        Assert.DoesNotContain(secret.Substring(i, 5), shown, StringComparison.Ordinal);
                    }
                }
            }

            // ... and still says where: file, line and column.
            Assert.Matches(@"^app/etc/env\.php, line \d+, column \d+: ", error.Message);
        }
    }
}
