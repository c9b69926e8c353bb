using System;
using System.IO;
using System.Linq;
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
        [InlineData("<?php\nreturn ['key' => BP . '/var'];\n", 2, "constant BP")]
        [InlineData("<?php\nreturn ['key' => $value];\n", 2, "variable")]
        [InlineData("<?php\nreturn ['a' => 1 + 2];\n", 2, "operator '+'")]
        [InlineData("<?php\n$config = [];\nreturn $config;\n", 2, "'$config'")]
        [InlineData("<?php\nreturn 'not an array';\n", 2, "return of a string")]
        [InlineData("<?php\nreturn ['a' => 'unterminated];\n", 2, "unterminated string")]
        [InlineData("<?php\nreturn ['a' => [1, 2];\n", 2, "';'")]
        [InlineData("<?php\nreturn ['a' => 1,, 'b' => 2];\n", 2, "empty array element")]
        [InlineData("<?php\nreturn ['a' => 1];\necho 'x';\n", 3, "'echo'")]
        [InlineData("hello <?php return [];", 1, "text before '<?php'")]
        [InlineData("<?php\nreturn [\n  'k' => <<<EOT\n  no end\n", 3, "unterminated heredoc")]
        public void RefusesWhatCannotBeReadWithoutPhpAndSaysWhere(string content, int line, string construct)
        {
            PhpConfigParseException error = Assert.Throws<PhpConfigParseException>(() => PhpConfigReader.Read(content, "app/etc/env.php"));

            Assert.Equal(line, error.Line);
            Assert.Equal(construct, error.Construct);
            Assert.StartsWith("app/etc/env.php, line " + line + ": ", error.Message, StringComparison.Ordinal);
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
    }
}
