using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Stores;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Stores
{
    public sealed class DatabaseSettingsStoreTests : MagentoDatabaseTests
    {
        public DatabaseSettingsStoreTests(MariaDbFixture fixture)
            : base(fixture)
        {
        }

        protected override void Dispose(bool disposing)
        {
            DatabaseSettingsStore.BeforeCommitForTests = null;
            base.Dispose(disposing);
        }

        private (CommerceInstance Instance, SampleInstance Sample) Instance(SampleInstance? sample = null)
        {
            sample ??= new SampleInstance { TablePrefix = Prefix };
            sample.UseDatabase(Server, Database);
            return (CommerceInstanceReader.Open(sample.WriteTo(Path.Combine(Folder.Path, "shop"))), sample);
        }

        private static ApiKeyPair Pair(GatewayEnvironment environment = GatewayEnvironment.Production) =>
            ApiKeyPairReader.Read(TestKeys.ApiKey, TestKeys.Pkcs1Pem(TestKeys.Main).ToCharArray(), environment).KeyPair!;

        private string Value(string path) => Server.Sql("SELECT value FROM " + Prefix + "core_config_data WHERE scope = 'default' AND scope_id = 0 AND path = '" + path + "'", Database).TrimEnd('\n');

        [Fact]
        public async Task AnInstanceNotInstalledYetIsRefusedBecauseMagentoWouldNotReadTheDatabase()
        {
            // env.php names the database, but install/date is missing: a setup:install that did not finish.
            var (instance, _) = Instance(new SampleInstance { TablePrefix = Prefix, Installed = false });

            DatabaseUnavailableException error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));

            Assert.Contains("-ConfigStore EnvPhp", error.Message, StringComparison.Ordinal);
            Assert.Equal(string.Empty, Value(ConnectorPaths.ProductionApiKey));
        }

        [Fact]
        public async Task StoresAKeyPairEncryptedSoThatPhpDecryptsIt()
        {
            var (instance, sample) = Instance();

            ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            string storedKey = Value(ConnectorPaths.ProductionApiKey);
            string storedPem = Value(ConnectorPaths.ProductionPrivateKey);
            Assert.StartsWith("0:3:", storedKey, StringComparison.Ordinal);
            Assert.StartsWith("0:3:", storedPem, StringComparison.Ordinal);
            string keyFile = Folder.Write("crypt-key", sample.CryptKey);
            Assert.Equal(TestKeys.ApiKey, PhpCli.Run("magento-encryptor.php", "decrypt", keyFile, Folder.Write("k", storedKey)));
            string pem = PhpCli.Run("magento-encryptor.php", "decrypt", keyFile, Folder.Write("p", storedPem));
            Assert.Equal(TestKeys.Pkcs8Pem(TestKeys.Main).TrimEnd('\n'), pem);
            Assert.Equal("1", PhpCli.Run("connector-signature.php", "accepts", Folder.Write("pem", pem)));
            Assert.Equal(2, result.Changed);
            Assert.StartsWith("version-", Server.Sql("SELECT version FROM " + Prefix + "queue_poison_pill", Database), StringComparison.Ordinal);

            var settings = await ConnectorConfigReader.ReadAsync(instance, new Hashtable(), true, CancellationToken.None);
            StoredApiKey stored = StoredApiKey.From(instance, settings).Single(k => k.Environment == GatewayEnvironment.Production);
            Assert.True(stored.IsSet && stored.IsEncrypted);
            Assert.Equal(TestKeys.Fingerprint(TestKeys.Main), stored.Fingerprint);
        }

        [Theory]
        [InlineData("8a9c3d2e1f0b4a5c6d7e8f9a0b1c2d3e", "0:3:")]
        [InlineData("8a9c3d2e1f0b4a5c6d7e8f9a0b1c2d3e\nbase64AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "1:3:")]
        [InlineData("base64AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n8a9c3d2e1f0b4a5c6d7e8f9a0b1c2d3e", "1:3:")]
        public async Task EncryptsWithTheCurrentKeyOf246And247StyleAndRotatedCryptKeys(string cryptKey, string prefix)
        {
            var (instance, sample) = Instance(new SampleInstance { TablePrefix = Prefix, CryptKey = cryptKey });

            await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            string stored = Value(ConnectorPaths.ProductionApiKey);
            Assert.StartsWith(prefix, stored, StringComparison.Ordinal);
            Assert.Equal(TestKeys.ApiKey, PhpCli.Run("magento-encryptor.php", "decrypt", Folder.Write("key", sample.CryptKey), Folder.Write("value", stored)));
        }

        [Fact]
        public async Task KeepsThePreviousValuesInAnOwnerOnlyBackup()
        {
            var (instance, _) = Instance();
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.SandboxApiKey, "0:3:previousEncryptedValue");

            ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(GatewayEnvironment.Sandbox), deferConfigImport: false, CancellationToken.None);

            Assert.StartsWith(Path.Combine(instance.Path, "var", "commerceservices", "backups"), result.BackupPath, StringComparison.Ordinal);
            using JsonDocument backup = JsonDocument.Parse(File.ReadAllText(result.BackupPath));
            Assert.Equal("0:3:previousEncryptedValue", backup.RootElement.GetProperty("values").GetProperty(ConnectorPaths.SandboxApiKey).GetString());
            Assert.Equal(ConnectorPaths.SandboxPrivateKey, Assert.Single(backup.RootElement.GetProperty("missing").EnumerateArray()).GetString());
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(result.BackupPath));
            }
        }

        [Fact]
        public async Task RefusesAPathLockedInEnvPhpAndChangesNothing()
        {
            var (instance, _) = Instance(new SampleInstance
            {
                TablePrefix = Prefix,
                EnvPhpSystem = "'services_connector' => ['services_connector_integration' => ['production_api_key' => 'locked']]",
            });

            ConfigValueShadowedException error = await Assert.ThrowsAsync<ConfigValueShadowedException>(() => SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));

            Assert.Equal(ConfigLayer.EnvPhp, error.Layer);
            Assert.Contains("app/etc/env.php", error.Message, StringComparison.Ordinal);
            Assert.Equal(string.Empty, Value(ConnectorPaths.ProductionPrivateKey));
            Assert.False(Directory.Exists(Path.Combine(instance.Path, "var", "commerceservices")));
        }

        [Fact]
        public async Task OnCloudALockedPathIsRefusedWithoutOfferingTheEnvPhpStore()
        {
            SampleInstance cloud = SampleInstance.CloudProject();
            cloud.TablePrefix = Prefix;
            cloud.EnvPhpSystem = "'services_connector' => ['services_connector_integration' => ['production_api_key' => 'locked']]";
            var (instance, _) = Instance(cloud);

            ConfigValueShadowedException error = await Assert.ThrowsAsync<ConfigValueShadowedException>(() => SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));

            Assert.Equal(InstancePlatform.Cloud, instance.Platform);
            Assert.EndsWith("Remove it from there; on Adobe Commerce on Cloud -ConfigStore EnvPhp is no way around it. On Cloud, ece-tools manages app/etc/env.php: every deploy writes its own settings into it from the Cloud variables and .magento.env.yaml, and the file is in no commit and no Cloud variable, so settings kept there are missing from any environment built anew. Nothing was changed.", error.Message, StringComparison.Ordinal);
            Assert.Equal(string.Empty, Value(ConnectorPaths.ProductionPrivateKey));
        }

        [Fact]
        public async Task SeesAValueLockedInEnvPhpAfterConnecting()
        {
            var (instance, _) = Instance();
            string env = Path.Combine(instance.Path, "app", "etc", "env.php");
            File.WriteAllText(env, File.ReadAllText(env).Replace("'MAGE_MODE'", "'system' => ['default' => ['services_connector' => ['services_id' => ['project_id' => 'locked-later']]]],\n    'MAGE_MODE'"));

            ConfigValueShadowedException error = await Assert.ThrowsAsync<ConfigValueShadowedException>(
                () => DatabaseSettingsStore.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.ProjectId, "p") }, new Hashtable(), CancellationToken.None));

            Assert.Equal(ConfigLayer.EnvPhp, error.Layer);
        }

        [Fact]
        public async Task RefusesAPathSetByAnEnvironmentVariable()
        {
            var (instance, _) = Instance();
            var environment = new Hashtable { [ConnectorPaths.EnvironmentVariableFor(ConnectorPaths.ProjectId)] = "from-env" };

            ConfigValueShadowedException error = await Assert.ThrowsAsync<ConfigValueShadowedException>(
                () => DatabaseSettingsStore.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.ProjectId, "p") }, environment, CancellationToken.None));

            Assert.Contains("CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_ID", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task RefusesAPathSetByAVariableInAnotherLetterCaseAndNamesThatVariable()
        {
            var (instance, _) = Instance();
            var environment = new Hashtable { ["CONFIG__default__services_connector__services_id__project_id"] = "from-env" };

            ConfigValueShadowedException error = await Assert.ThrowsAsync<ConfigValueShadowedException>(
                () => DatabaseSettingsStore.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.ProjectId, "p") }, environment, CancellationToken.None));

            Assert.Equal(ConfigLayer.EnvironmentVariable, error.Layer);
            Assert.Contains("the environment variable CONFIG__default__services_connector__services_id__project_id,", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("CONFIG__DEFAULT__", error.Message, StringComparison.Ordinal);
            Assert.Equal(string.Empty, Value(ConnectorPaths.ProjectId));
        }

        [Fact]
        public async Task AFailureHalfWayLeavesEverythingAsItWas()
        {
            var (instance, _) = Instance();
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProductionApiKey, "before");
            DatabaseSettingsStore.BeforeCommitForTests = () => throw new IOException("disk gone");

            await Assert.ThrowsAsync<IOException>(() => SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));

            Assert.Equal("before", Value(ConnectorPaths.ProductionApiKey));
            Assert.Equal(string.Empty, Value(ConnectorPaths.ProductionPrivateKey));
            Assert.Empty(Server.Sql("SELECT version FROM " + Prefix + "queue_poison_pill", Database));
            Assert.Empty(Directory.GetFiles(Path.Combine(instance.Path, "var", "commerceservices", "backups")));
        }

        [Fact]
        public async Task SettlesTheBackupsKilledWritesLeftPendingAgainstTheDatabase()
        {
            var (instance, _) = Instance();
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.DataSpaceId, "current");
            string backups = Path.Combine(instance.Path, "var", "commerceservices", "backups");
            Directory.CreateDirectory(backups);
            string Backup(string value) =>
                "{\"instance\": \"x\", \"store\": \"Database\", \"table\": \"" + Prefix + "core_config_data\", \"scope\": \"default\", \"values\": {\"" + ConnectorPaths.DataSpaceId + "\": \"" + value + "\"}, \"missing\": [\"" + ConnectorPaths.ProjectId + "\"]}";

            // Killed before the commit: the rows still hold what the backup holds.
            string notCommitted = Path.Combine(backups, "20200101T000000Z-aaaaaa-database.json");
            File.WriteAllText(notCommitted + ".pending", Backup("current"));

            // Killed after the commit: the rows changed since.
            string committed = Path.Combine(backups, "20200101T000001Z-bbbbbb-database.json");
            File.WriteAllText(committed + ".pending", Backup("before"));

            ConfigWriteResult result = await DatabaseSettingsStore.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.ProjectName, "project-1") }, new Hashtable(), CancellationToken.None);

            Assert.False(File.Exists(notCommitted + ".pending"));
            Assert.False(File.Exists(notCommitted));
            Assert.False(File.Exists(committed + ".pending"));
            Assert.Equal(Backup("before"), File.ReadAllText(committed));
            Assert.Equal(new[] { committed, result.BackupPath }.OrderBy(p => p, StringComparer.Ordinal), Directory.GetFiles(backups).OrderBy(p => p, StringComparer.Ordinal));
        }

        [Fact]
        public async Task KeepsABoundedNumberOfBackupsNeverTheNewest()
        {
            var (instance, _) = Instance();
            string backups = Path.Combine(instance.Path, "var", "commerceservices", "backups");
            Directory.CreateDirectory(backups);
            for (int i = 0; i < ConfigBackups.KeptPerInstance + 5; i++)
            {
                File.WriteAllText(Path.Combine(backups, "20200101T0000" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + "Z-" + i.ToString("x6", System.Globalization.CultureInfo.InvariantCulture) + "-database.json"), "{}");
            }

            string notOurs = Path.Combine(backups, "by-hand-database.json");
            File.WriteAllText(notOurs, "{}");

            ConfigWriteResult result = await DatabaseSettingsStore.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.ProjectName, "project-1") }, new Hashtable(), CancellationToken.None);

            string[] kept = Directory.GetFiles(backups, "2*-database.json");
            Assert.Equal(ConfigBackups.KeptPerInstance, kept.Length);
            Assert.Contains(result.BackupPath, kept);
            Assert.True(File.Exists(notOurs));
            Assert.True(File.Exists(Path.Combine(backups, "20200101T000006Z-000006-database.json")));
            Assert.False(File.Exists(Path.Combine(backups, "20200101T000005Z-000005-database.json")));
        }

        [Fact]
        public async Task DeletesPathsWhoseValueIsNull()
        {
            var (instance, _) = Instance();
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.DataSpaceId, "old");

            await DatabaseSettingsStore.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, null) }, new Hashtable(), CancellationToken.None);

            Assert.Equal("0", Server.Sql("SELECT COUNT(*) FROM " + Prefix + "core_config_data WHERE path = '" + ConnectorPaths.DataSpaceId + "'", Database).Trim());
        }

        [Fact]
        public async Task CleansTheConfigEntriesOfTheFileCache()
        {
            var (instance, _) = Instance();
            string cache = Path.Combine(instance.Path, "var", "cache");
            Directory.CreateDirectory(Path.Combine(cache, "mage-tags"));
            Directory.CreateDirectory(Path.Combine(cache, "mage--3"));
            Directory.CreateDirectory(Path.Combine(cache, "mage--a"));
            File.WriteAllText(Path.Combine(cache, "mage-tags", "mage---75e_CONFIG"), "75e_SYSTEM_DEFAULT\n75e_SYSTEM_WEBSITES\n");
            File.WriteAllText(Path.Combine(cache, "mage--3", "mage---75e_SYSTEM_DEFAULT"), "cached");
            File.WriteAllText(Path.Combine(cache, "mage--a", "mage---75e_SYSTEM_WEBSITES"), "cached");
            File.WriteAllText(Path.Combine(cache, "mage--a", "mage---75e_LAYOUT_X"), "kept");

            ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            Assert.Equal(CacheCleanMethod.FileCache, result.Cache.Method);
            Assert.False(File.Exists(Path.Combine(cache, "mage--3", "mage---75e_SYSTEM_DEFAULT")));
            Assert.False(File.Exists(Path.Combine(cache, "mage--a", "mage---75e_SYSTEM_WEBSITES")));
            Assert.True(File.Exists(Path.Combine(cache, "mage--a", "mage---75e_LAYOUT_X")));
        }

        [Fact]
        public async Task RunsTheInstancesOwnBinMagentoWhenPhpCanRunIt()
        {
            var (instance, _) = Instance();
            string marker = Path.Combine(instance.Path, "ran.txt");
            Directory.CreateDirectory(Path.Combine(instance.Path, "bin"));
            File.WriteAllText(Path.Combine(instance.Path, "bin", "magento"), "<?php\nfile_put_contents('" + marker + "', implode(' ', array_slice($argv, 1)) . ' in ' . getcwd());\necho \"Cleaned cache types:\\nconfig\\n\";\n");

            ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            Assert.Equal(CacheCleanMethod.BinMagento, result.Cache.Method);
            Assert.Equal("cache:clean config in " + instance.Path, File.ReadAllText(marker));
        }

        [Fact]
        public async Task ABinMagentoThatFillsItsErrorStreamBeforeItsOutputDoesNotHangTheCacheClean()
        {
            // 1 MB of notices on stderr, then the output: read one after the other, the pipes' buffers would block both sides.
            var (instance, _) = Instance();
            Directory.CreateDirectory(Path.Combine(instance.Path, "bin"));
            File.WriteAllText(Path.Combine(instance.Path, "bin", "magento"), "<?php\nfwrite(STDERR, str_repeat(\"Deprecated: a notice\\n\", 50000));\necho \"Cleaned cache types:\\nconfig\\n\";\n");

            Task<ConfigWriteResult> write = Task.Run(() => SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));

            Assert.Same(write, await Task.WhenAny(write, Task.Delay(TimeSpan.FromMinutes(2))));
            ConfigWriteResult result = await write;
            Assert.Equal(CacheCleanMethod.BinMagento, result.Cache.Method);
            Assert.Contains("Cleaned cache types", result.Cache.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task BinMagentoIsNotRunAsAnotherUserThanTheInstancesOwner()
        {
            var (instance, _) = Instance();
            string marker = Path.Combine(instance.Path, "ran.txt");
            Directory.CreateDirectory(Path.Combine(instance.Path, "bin"));
            File.WriteAllText(Path.Combine(instance.Path, "bin", "magento"), "<?php\nfile_put_contents('" + marker + "', 'ran');\n");
            bool handedToAnotherUser = OperatingSystem.IsLinux() && Chown("65534", Path.Combine(instance.Path, "app", "etc", "env.php"));

            ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            // As root with the files of another user, Magento's own CLI must not run (it would leave root-owned files).
            Assert.Equal(handedToAnotherUser ? CacheCleanMethod.FileCache : CacheCleanMethod.BinMagento, result.Cache.Method);
            Assert.Equal(!handedToAnotherUser, File.Exists(marker));
        }

        private static bool Chown(string owner, string path)
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("chown", owner + " " + path) { RedirectStandardError = true, UseShellExecute = false })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }

        [Fact]
        public async Task NoBinMagentoAndARedisCacheSaysWhatToRun()
        {
            var (instance, sample) = Instance();
            File.WriteAllText(Path.Combine(instance.Path, "app", "etc", "env.php"), File.ReadAllText(Path.Combine(instance.Path, "app", "etc", "env.php")).Replace("'MAGE_MODE'", "'cache' => ['frontend' => ['default' => ['backend' => 'Magento\\\\Framework\\\\Cache\\\\Backend\\\\Redis']]],\n    'MAGE_MODE'"));
            instance = CommerceInstanceReader.Open(instance.Path);

            ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            Assert.Equal(CacheCleanMethod.NotCleaned, result.Cache.Method);
            Assert.Contains("bin/magento cache:clean config", result.Cache.Message, StringComparison.Ordinal);
        }
    }
}
