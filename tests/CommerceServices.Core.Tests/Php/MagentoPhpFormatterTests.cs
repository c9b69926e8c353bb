using System;
using System.IO;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Instances;
using CommerceServices.Php;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Php
{
    public class MagentoPhpFormatterTests
    {
        private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Php", "Fixtures", name);

        /// <summary>The reference peer: Magento's deployment-config writer re-stated in PHP.</summary>
        private static string MagentoWriter(params string[] args) => PhpCli.Run("magento-deployment-writer.php", args);

        /// <summary>What our writer does with a file: read it and its section comments, write it back.</summary>
        private static string Rewrite(string text, string file)
        {
            PhpArray config = PhpConfigReader.Read(text, file, out PhpArray sectionComments);
            return MagentoPhpFormatter.Format(config, MagentoCommentParser.KeptOnRewrite(sectionComments));
        }

        /// <summary>Files shaped exactly as Magento writes them, in both layouts.</summary>
        public static TheoryData<string> MagentoWrittenFixtures() => new TheoryData<string>
        {
            "magento-formatter-env.php",
            "magento-downloadable-domains-removed-env.php",
            "magento-commented-env.php",
            "magento-commented-config.php",
        };

        [Theory]
        [MemberData(nameof(MagentoWrittenFixtures))]
        public void AFileMagentoWroteComesBackByteForByte(string name)
        {
            string text = File.ReadAllText(Fixture(name));

            // Magento writes the file back unchanged (so it is shaped as Magento writes files) ...
            Assert.Equal(text, MagentoWriter("rewrite", Fixture(name)));
            // ... and so do we.
            Assert.Equal(text, Rewrite(text, name));
        }

        [Fact]
        public void AnEmptyArrayHasABlankLineBetweenItsBrackets()
        {
            string text = File.ReadAllText(Fixture("magento-downloadable-domains-removed-env.php"));

            Assert.Contains("\n    'downloadable_domains' => [\n\n    ],\n", text, StringComparison.Ordinal);
            Assert.Equal(text, MagentoPhpFormatter.Format(PhpConfigReader.Read(text, "env.php")));
            Assert.Equal("<?php\nreturn [\n\n];\n", MagentoPhpFormatter.Format(new PhpArray()));
        }

        [Fact]
        public void SectionCommentsBringTheLongLayoutWithTheirBlocks()
        {
            string text = File.ReadAllText(Fixture("magento-commented-env.php"));
            PhpConfigReader.Read(text, "env.php", out PhpArray comments);

            Assert.Equal(new object[] { "db", "downloadable_domains", "system" }, comments.Keys);
            Assert.Equal("Locked settings: change them here and run 'bin/magento app:config:import'.\n\n  (values set with 'bin/magento config:set --lock-env')", comments["system"]);
            Assert.Contains("\n    /**\n     * For the section: downloadable_domains\n     * Hosts that downloadable products may be fetched from.\n     */\n    'downloadable_domains' => [\n        0 => 'shop.example.com',\n        1 => 'media.example.com',\n    ],\n", text, StringComparison.Ordinal);
        }

        /// <summary>
        /// Files with empty arrays and with section comments in every form Magento's CommentParser
        /// meets; for each, Magento's writer (the PHP peer, with PHP's own tokenizer) and ours must
        /// find the same comments and write the same bytes.
        /// </summary>
        public static TheoryData<string, string> WriterCases() => new TheoryData<string, string>
        {
            { "empty arrays at several depths", "<?php\nreturn ['a' => [], 'b' => ['c' => [], 'd' => ['e' => ['f' => []]]], 'lists' => [[], [[], 'x'], ['y' => []]], 'after' => 1];\n" },
            { "an empty file", "<?php\nreturn [];\n" },
            { "all downloadable domains removed", "<?php\nreturn [\n    'downloadable_domains' => [\n    ],\n    'install' => ['date' => 'Mon, 02 Sep 2024 10:11:12 +0000'],\n];\n" },
            {
                "one commented section, long layout of every kind of value",
                "<?php\nreturn [\n    'db' => ['connection' => ['default' => ['host' => 'h', 'driver_options' => [1014 => false, 1009 => '/ca.pem']]]],\n"
                + "    /**\n     * For the section: system\n     * Locked values.\n     */\n"
                + "    'system' => ['default' => ['a' => null, 'b' => true, 'c' => 1.5, 'd' => -7, 'e' => \"it's \\\\ multi\\nline\", 'f' => [], 'g' => ['x', ['y', []], []], 'h' => [5 => 'five', 'six']]],\n"
                + "    'empty' => [],\n    'list' => ['one', 'two'],\n];\n"
            },
            {
                "several commented sections with several lines",
                "<?php\nreturn [\n    /**\n     * For the section: modules\n     * First line.\n     * Second line, with 'quotes' and \"double\" ones.\n     * \n     *     indented line\n     */\n    'modules' => ['Magento_Store' => 1],\n"
                + "    /**\n     * For the section: scopes\n     * Scopes.\n     */\n    'scopes' => ['websites' => []],\n"
                + "    'themes' => ['frontend/Magento/luma' => ['parent_id' => 'Magento/blank']],\n];\n"
            },
            {
                "comment lines as CommentParser takes them",
                "<?php\nreturn [\n    /**\n     *tight\n\t* tab indented\n     *\n     * \n     *   three spaces\n     no star\n* no indent\n     * trailing spaces   \n     * For the section: cache\n     ** double star\n     * last */\n    'cache' => ['frontend' => []],\n];\n"
            },
            { "a comment for a section no longer there", "<?php\nreturn [\n    /**\n     * For the section: removed\n     * Gone.\n     */\n    'kept' => ['a' => [1, 2]],\n];\n" },
            {
                "doc comments naming no section and ordinary comments",
                "<?php\n/**\n * Copyright header.\n */\nreturn [\n    /* For the section: a\n     * ordinary comment */\n    // For the section: a\n    /**/\n    /**\n     * About a, but no section named.\n     */\n    'a' => ['b' => []],\n];\n"
            },
            { "a section comment inside a nested array", "<?php\nreturn [\n    'a' => [\n        /**\n         * For the section: b\n         * Written anywhere.\n         */\n        'x' => 1,\n    ],\n    'b' => 2,\n];\n" },
            { "a later comment for the same section wins", "<?php\nreturn [\n    /**\n     * For the section: a\n     * first\n     */\n    'a' => 1,\n    /**\n     * For the section: a\n     * second\n     */\n    'b' => 2,\n];\n" },
            { "integer section names renumbered by array_merge", "<?php\nreturn [\n    0 => 'zero',\n    /**\n     * For the section: 5\n     * five\n     */\n    5 => 'five',\n];\n" },
            { "section names that need escaping as keys", "<?php\nreturn [\n    /**\n     * For the section: it's\n     * quoted\n     */\n    'it\\'s' => 1,\n    /**\n     * For the section: back\\slash  \n     * slashed\n     */\n    'back\\\\slash' => [],\n];\n" },
            { "a comment whose text is \"0\" or empty is not kept", "<?php\nreturn [\n    /**\n     * For the section: a\n     * 0\n     */\n    'a' => 1,\n    /**\n     * For the section: b\n     */\n    'b' => [],\n];\n" },
            { "Windows line endings", "<?php\r\nreturn [\r\n    /**\r\n     * For the section: a\r\n     * one\r\n     * two\r\n     */\r\n    'a' => ['x' => [], 'y' => ['z']],\r\n];\r\n" },
            {
                "var_export style with comments, as Magento 2.1 wrote",
                "<?php\nreturn array (\n  'ns1' => \n  array (\n    0 => 's11',\n  ),\n  /**\n   * comment for ns2\n   *     second line\n   * For the section: ns2\n   */\n  'ns2' => \n  array (\n  ),\n  'ns3' => NULL,\n);\n"
            },
        };

        [Theory]
        [MemberData(nameof(WriterCases))]
        public void FindsTheSectionCommentsMagentoFinds(string description, string source)
        {
            using var folder = new TempFolder();
            string file = folder.Write("case.php", source);

            PhpConfigReader.Read(source, description, out PhpArray comments);

            Assert.Equal(MagentoWriter("comments", file), PhpVarExport.Export(comments));
        }

        [Theory]
        [MemberData(nameof(WriterCases))]
        public void WritesTheBytesMagentosWriterWrites(string description, string source)
        {
            using var folder = new TempFolder();
            string file = folder.Write("case.php", source);

            Assert.Equal(MagentoWriter("rewrite", file), Rewrite(source, description));
        }

        [Theory]
        [MemberData(nameof(PhpConfigReaderTests.Fixtures), MemberType = typeof(PhpConfigReaderTests))]
        public void EveryStyleIsRewrittenToTheSameMeaningAndPhpAcceptsIt(string name)
        {
            using var folder = new TempFolder();
            string rewritten = folder.Write(name, MagentoPhpFormatter.Format(PhpConfigReader.ReadFile(Fixture(name))));

            Assert.Equal(PhpCli.Run("var-export.php", Fixture(name)), PhpCli.Run("var-export.php", rewritten));
        }

        [Theory]
        [MemberData(nameof(PhpConfigReaderTests.Fixtures), MemberType = typeof(PhpConfigReaderTests))]
        public void JsonIsExactlyPhpsJsonEncode(string name)
        {
            Assert.Equal(PhpCli.Run("config-hash.php", "json", Fixture(name)), PhpJson.Encode(PhpConfigReader.ReadFile(Fixture(name))));
        }

        [Fact]
        public void TheSystemSectionHashIsMagentos()
        {
            using var folder = new TempFolder();
            string root = new SampleInstance
            {
                ConfigPhpSystem = "'general' => ['locale' => ['code' => 'en_US']], 'web' => ['url' => 'https://shop.test/ünï']",
                EnvPhpSystem = "'services_connector' => ['services_id' => ['project_id' => 'p/1', 'list' => [1, 2.5, null, true]]], 'general' => ['locale' => ['code' => 'nl_NL']]",
            }.WriteTo(folder.Path);
            CommerceInstance instance = CommerceInstanceReader.Open(root);
            string config = Path.Combine(root, "app", "etc", "config.php");
            string env = Path.Combine(root, "app", "etc", "env.php");

            Assert.Equal(PhpCli.Run("config-hash.php", config, env, "system"), PhpJson.Sha1OfJson(instance.DeploymentConfig["system"]));
        }

        /// <summary>A chain of <paramref name="levels"/> arrays, each holding the next under 'k' (the last holds 'leaf' => 1).</summary>
        private static PhpArray Chain(int levels)
        {
            var top = new PhpArray();
            PhpArray current = top;
            for (int level = 1; level < levels; level++)
            {
                var next = new PhpArray();
                current["k"] = next;
                current = next;
            }

            current["leaf"] = 1L;
            return top;
        }

        [Fact]
        public void TheDeepestFileTheReaderReadsIsWrittenAsMagentoWritesIt()
        {
            using var folder = new TempFolder();
            PhpArray config = Chain(PhpConfigReader.MaxNestingDepth);
            string shortLayout = folder.Write("short.php", MagentoPhpFormatter.Format(config));
            var comments = new PhpArray { ["k"] = "The deepest section." };
            string longLayout = folder.Write("long.php", MagentoPhpFormatter.Format(config, comments));

            // Magento's writer (the PHP peer) writes each back byte for byte, and our reader reads both.
            Assert.Equal(File.ReadAllText(shortLayout), MagentoWriter("rewrite", shortLayout));
            Assert.Equal(File.ReadAllText(longLayout), MagentoWriter("rewrite", longLayout));
            Assert.Equal(PhpVarExport.Export(config), PhpVarExport.Export(PhpConfigReader.ReadFile(shortLayout)));
            Assert.Equal(PhpVarExport.Export(config), PhpVarExport.Export(PhpConfigReader.ReadFile(longLayout)));
        }

        [Fact]
        public void AnArrayNestedDeeperThanTheReaderReadsIsRefusedNotACrash()
        {
            PhpArray tooDeep = Chain(PhpConfigReader.MaxNestingDepth + 1);
            var comments = new PhpArray { ["k"] = "A section." };
            var holdsItself = new PhpArray();
            holdsItself["self"] = holdsItself;

            foreach (PhpArray config in new[] { tooDeep, Chain(1_000_000), holdsItself })
            {
                Assert.Contains("nested deeper than " + PhpConfigReader.MaxNestingDepth + " levels", Assert.Throws<ArgumentException>(() => MagentoPhpFormatter.Format(config)).Message, StringComparison.Ordinal);
                Assert.Contains("nested deeper than " + PhpConfigReader.MaxNestingDepth + " levels", Assert.Throws<ArgumentException>(() => MagentoPhpFormatter.Format(config, comments)).Message, StringComparison.Ordinal);
                Assert.Throws<ArgumentException>(() => PhpVarExport.Export(config));
                Assert.Throws<ArgumentException>(() => PhpJson.Encode(config));
            }
        }

        [Theory]
        [InlineData(1e15)]
        [InlineData(1e16)]
        [InlineData(1e17)]
        [InlineData(123456789012345678.0)]
        [InlineData(1e-4)]
        [InlineData(1e-5)]
        [InlineData(0.1)]
        [InlineData(-2.5e20)]
        [InlineData(5e-324)]
        [InlineData(1.7976931348623157e308)]
        public void FloatsAreWrittenAsVarExportWritesThem(double value)
        {
            using var folder = new TempFolder();
            string literal = value.ToString("E16", System.Globalization.CultureInfo.InvariantCulture);
            string file = folder.Write("env.php", "<?php\nreturn ['v' => " + literal + "];\n");

            Assert.Equal(PhpCli.Run("var-export.php", file), PhpVarExport.Export(new PhpArray { ["v"] = value }));
            Assert.Equal(MagentoWriter("rewrite", file), MagentoPhpFormatter.Format(PhpConfigReader.ReadFile(file)));
        }
    }
}
