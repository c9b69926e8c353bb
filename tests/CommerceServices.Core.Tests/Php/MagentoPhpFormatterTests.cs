using System;
using System.IO;
using System.Linq;
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

        [Fact]
        public void AFileMagentoWroteComesBackByteForByte()
        {
            string text = File.ReadAllText(Fixture("magento-formatter-env.php"));

            Assert.Equal(text, MagentoPhpFormatter.Format(PhpConfigReader.Read(text, "env.php")));
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
    }
}
