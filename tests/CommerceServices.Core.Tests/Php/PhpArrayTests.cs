using CommerceServices.Core.Tests.Support;
using CommerceServices.Php;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Php
{
    /// <summary>The PHP array's own operations, against PHP.</summary>
    public class PhpArrayTests
    {
        private const string Config = "<?php\nreturn ['modules' => ['Magento_Store' => 1, 'Magento_ServicesId' => 1], 'system' => ['default' => ['services_connector' => ['a' => 'config', 'list' => [1, 2, 3]]]], 5 => 'five', 'x' => ['y' => null]];\n";
        private const string Env = "<?php\nreturn ['system' => ['default' => ['services_connector' => ['a' => 'env', 'list' => [9], 'b' => true]]], 'modules' => ['Magento_ServicesId' => 0], 5 => ['now' => 'an array'], 'x' => 'scalar', 'db' => ['table_prefix' => '']];\n";

        [Fact]
        public void ReplaceRecursiveMergesAsPhpsArrayReplaceRecursive()
        {
            using var folder = new TempFolder();
            string config = folder.Write("config.php", Config);
            string env = folder.Write("env.php", Env);

            PhpArray merged = PhpArray.ReplaceRecursive(PhpConfigReader.ReadFile(config), PhpConfigReader.ReadFile(env));

            Assert.Equal(PhpCli.Run("array-replace-recursive.php", config, env), PhpVarExport.Export(merged));
        }

        [Fact]
        public void ReplaceRecursiveChangesNeitherArgumentAndSharesNoArrayWithThem()
        {
            PhpArray config = PhpConfigReader.Read(Config, "config.php");
            PhpArray env = PhpConfigReader.Read(Env, "env.php");
            string configBefore = PhpVarExport.Export(config);
            string envBefore = PhpVarExport.Export(env);

            PhpArray merged = PhpArray.ReplaceRecursive(config, env);
            ((PhpArray)merged.GetPath("system/default/services_connector")!).Set("a", "changed");
            ((PhpArray)merged.GetPath("db")!).Set("table_prefix", "changed");

            Assert.Equal(configBefore, PhpVarExport.Export(config));
            Assert.Equal(envBefore, PhpVarExport.Export(env));
        }

        [Fact]
        public void ADeepCopyIsEqualButIndependent()
        {
            PhpArray original = PhpConfigReader.Read(Config, "config.php");

            PhpArray copy = original.DeepCopy();
            ((PhpArray)copy.GetPath("modules")!).Set("Magento_Store", 0);

            Assert.Equal(1L, original.GetPath("modules/Magento_Store"));
            Assert.Equal(0, copy.GetPath("modules/Magento_Store"));
        }
    }
}
