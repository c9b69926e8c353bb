using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Php;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Instances
{
    [Collection(MariaDbCollection.Name)]
    public sealed class EnvPhpConfigWriterTests : IDisposable
    {
        private const string Prefix = "mg_";
        private readonly MariaDbServer server;
        private readonly TempFolder folder = new TempFolder();
        private readonly string database;

        public EnvPhpConfigWriterTests(MariaDbFixture fixture)
        {
            server = fixture.Server;
            database = MagentoDatabase.Create(server, Prefix);
        }

        public void Dispose()
        {
            EnvPhpConfigWriter.BeforeHashForTests = null;
            folder.Dispose();
        }

        private (CommerceInstance Instance, SampleInstance Sample, string EnvFile) Instance(SampleInstance? sample = null, bool withDatabase = true)
        {
            sample ??= new SampleInstance { TablePrefix = Prefix };
            if (withDatabase)
            {
                sample.UseDatabase(server, database);
            }
            else
            {
                sample.DatabaseHost = "127.0.0.1:9";
            }

            string root = sample.WriteTo(Path.Combine(folder.Path, "shop"));
            return (CommerceInstanceReader.Open(root, ConfigStore.EnvPhp), sample, Path.Combine(root, "app", "etc", "env.php"));
        }

        private static ApiKeyPair Pair() =>
            ApiKeyPairReader.Read(TestKeys.ApiKey, TestKeys.Pkcs8Pem(TestKeys.Main).ToCharArray(), GatewayEnvironment.Production).KeyPair!;

        private string StoredHash() => server.Sql("SELECT flag_data FROM " + Prefix + "flag WHERE flag_code = 'config_hash'", database).Trim();

        [Fact]
        public async Task LocksTheKeyPairInEnvPhpAsPhpReadsItAndKeepsMagentoInSync()
        {
            var (instance, sample, envFile) = Instance();
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(envFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            }

            ConfigWriteResult result = await InstanceConfigWriter.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            Assert.False(result.ConfigImportPending);
            Assert.Contains("No syntax errors", PhpCli.Run("lint.php", envFile), StringComparison.Ordinal);
            PhpArray written = PhpConfigReader.ReadFile(envFile);
            Assert.Equal(PhpCli.Run("var-export.php", envFile), PhpVarExport.Export(written));
            string storedPem = (string)written.GetPath("system/default/services_connector/services_connector_integration/production_private_key")!;
            string keyFile = folder.Write("crypt-key", sample.CryptKey);
            Assert.Equal(TestKeys.Pkcs8Pem(TestKeys.Main).TrimEnd('\n'), PhpCli.Run("magento-encryptor.php", "decrypt", keyFile, folder.Write("p", storedPem)));
            Assert.Equal(sample.DatabasePassword, written.GetPath("db/connection/default/password"));
            Assert.Equal(MagentoPhpFormatter.Format(written), File.ReadAllText(envFile));

            string phpHash = PhpCli.Run("config-hash.php", Path.Combine(instance.Path, "app", "etc", "config.php"), envFile, "system");
            Assert.Equal(phpHash, JsonDocument.Parse(StoredHash()).RootElement.GetProperty("system").GetString());
            Assert.True(File.Exists(result.BackupPath));
            Assert.Equal(Path.GetDirectoryName(envFile), Path.GetDirectoryName(result.BackupPath));
            Assert.DoesNotContain("services_connector", File.ReadAllText(result.BackupPath), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(result.BackupPath));
            }
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(envFile));
            }

            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(envFile)!, ".env.php.*"));
            var settings = await ConnectorConfigReader.ReadAsync(instance, new Hashtable(), true, CancellationToken.None);
            Assert.Equal(ConfigLayer.EnvPhp, settings.Single(s => s.Path == ConnectorPaths.ProductionPrivateKey).Layer);
        }

        [Fact]
        public async Task AFailureAfterTheFileWasReplacedPutsThePreviousFileBack()
        {
            var (instance, _, envFile) = Instance();
            string before = File.ReadAllText(envFile);
            EnvPhpConfigWriter.BeforeHashForTests = () => throw new IOException("database gone");

            await Assert.ThrowsAsync<IOException>(() => InstanceConfigWriter.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));

            Assert.Equal(before, File.ReadAllText(envFile));
            Assert.Equal(string.Empty, StoredHash());
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(envFile)!, ".env.php.*"));
        }

        [Fact]
        public async Task RefusesAPathSetByAVariableInAnyLetterCaseAndNamesEveryVariable()
        {
            var (instance, _, envFile) = Instance();
            string before = File.ReadAllText(envFile);
            var mixedCase = new Hashtable { ["CONFIG__Default__Services_Connector__Services_Id__Project_Id"] = "from-env" };
            var two = new Hashtable
            {
                ["CONFIG__default__services_connector__services_id__project_id"] = "one",
                ["CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_ID"] = "two",
            };
            ConfigChange[] changes = { new ConfigChange(ConnectorPaths.ProjectId, "p") };

            ConfigValueShadowedException error = await Assert.ThrowsAsync<ConfigValueShadowedException>(() => EnvPhpConfigWriter.WriteAsync(instance, changes, mixedCase, deferConfigImport: false, CancellationToken.None));
            ConfigValueShadowedException both = await Assert.ThrowsAsync<ConfigValueShadowedException>(() => EnvPhpConfigWriter.WriteAsync(instance, changes, two, deferConfigImport: false, CancellationToken.None));

            Assert.Equal(ConfigLayer.EnvironmentVariable, error.Layer);
            Assert.Contains("is set by the environment variable CONFIG__Default__Services_Connector__Services_Id__Project_Id, which wins over env.php", error.Message, StringComparison.Ordinal);
            Assert.Contains("the environment variables CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_ID, CONFIG__default__services_connector__services_id__project_id,", both.Message, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllText(envFile));
        }

        [Fact]
        public async Task RefusesToHideChangesThatWereNotImported()
        {
            var (instance, _, envFile) = Instance(new SampleInstance { TablePrefix = Prefix, EnvPhpSystem = "'web' => ['unsecure' => ['base_url' => 'https://edited.test/']]" });
            string before = File.ReadAllText(envFile);

            ConfigHashNotUpdatableException error = await Assert.ThrowsAsync<ConfigHashNotUpdatableException>(() => InstanceConfigWriter.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));

            Assert.Contains("app:config:import", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllText(envFile));
        }

        [Fact]
        public async Task WithoutPhpOrTheDatabaseItRefusesUnlessTheImportIsDeferred()
        {
            var (instance, _, envFile) = Instance(withDatabase: false);
            string before = File.ReadAllText(envFile);

            await Assert.ThrowsAsync<ConfigHashNotUpdatableException>(() => InstanceConfigWriter.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));
            Assert.Equal(before, File.ReadAllText(envFile));

            ConfigWriteResult deferred = await InstanceConfigWriter.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: true, CancellationToken.None);
            Assert.True(deferred.ConfigImportPending);
            Assert.Contains("production_private_key", File.ReadAllText(envFile), StringComparison.Ordinal);
        }

        [Fact]
        public async Task AnInstanceNotInstalledYetHasNoHashToKeep()
        {
            string root = new SampleInstance { Installed = false }.WriteTo(Path.Combine(folder.Path, "not-installed"));
            CommerceInstance instance = CommerceInstanceReader.Open(root, ConfigStore.EnvPhp);

            ConfigWriteResult result = await InstanceConfigWriter.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            Assert.False(result.ConfigImportPending);
            Assert.Contains("'production_private_key' => '0:3:", File.ReadAllText(Path.Combine(root, "app", "etc", "env.php")), StringComparison.Ordinal);
        }

        [Fact]
        public async Task AnInstalledInstanceWhoseEnvPhpNamesNoDatabaseStillNeedsTheHash()
        {
            // Its database may come from MAGENTO_DC_ variables of the PHP processes, unseen from here.
            string root = new SampleInstance { NamesDatabase = false }.WriteTo(Path.Combine(folder.Path, "installed"));
            CommerceInstance instance = CommerceInstanceReader.Open(root, ConfigStore.EnvPhp);
            string before = File.ReadAllText(Path.Combine(root, "app", "etc", "env.php"));

            await Assert.ThrowsAsync<ConfigHashNotUpdatableException>(() => InstanceConfigWriter.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));

            Assert.True(instance.IsInstalled);
            Assert.Equal(before, File.ReadAllText(Path.Combine(root, "app", "etc", "env.php")));
        }

        [Fact]
        public async Task RunsAppConfigImportWithTheInstancesBinMagento()
        {
            var (instance, _, _) = Instance(withDatabase: false);
            string marker = Path.Combine(instance.Path, "commands.txt");
            Directory.CreateDirectory(Path.Combine(instance.Path, "bin"));
            File.WriteAllText(Path.Combine(instance.Path, "bin", "magento"), "<?php\nfile_put_contents('" + marker + "', implode(' ', array_slice($argv, 1)) . \"\\n\", FILE_APPEND);\n");

            ConfigWriteResult result = await InstanceConfigWriter.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            Assert.False(result.ConfigImportPending);
            Assert.Equal(new[] { "app:config:import --no-interaction", "cache:clean config" }, File.ReadAllLines(marker));
        }

        [Fact]
        public async Task ClearingWritesNullSoThatNoOlderValueComesBack()
        {
            var (instance, _, envFile) = Instance(new SampleInstance { TablePrefix = Prefix, EnvPhpSystem = "'services_connector' => ['services_id' => ['environment_id' => 'locked']]" });
            MagentoDatabase.SetValue(server, database, Prefix, ConnectorPaths.DataSpaceId, "OLD-DATA-SPACE-OF-ANOTHER-PROJECT");
            await EnvPhpHashFixture.StoreCurrentHashAsync(server, database, Prefix, instance);

            await InstanceConfigWriter.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, null) }, deferConfigImport: false, CancellationToken.None);

            PhpArray written = PhpConfigReader.ReadFile(envFile);
            Assert.Null(written.GetPath("system/default/" + ConnectorPaths.DataSpaceId, out bool found));
            Assert.True(found);
            var settings = await ConnectorConfigReader.ReadAsync(CommerceInstanceReader.Open(instance.Path, ConfigStore.EnvPhp), new Hashtable(), true, CancellationToken.None);
            ConnectorSetting dataSpace = settings.Single(s => s.Path == ConnectorPaths.DataSpaceId);
            Assert.Equal((ConfigLayer?)ConfigLayer.EnvPhp, dataSpace.Layer);
            Assert.Null(dataSpace.Value);
        }

        [Fact]
        public async Task KeepsTheSectionCommentsAndTheLongLayoutAsMagentosWriterDoes()
        {
            var (instance, _, envFile) = Instance();
            // env.php with section comments, as Magento's writer lays out such a file (the PHP peer writes it).
            string commented = File.ReadAllText(envFile)
                .Replace("    'db' => [", "    /**\n     * For the section: db\n     * Managed by the deployment.\n     * \n     *   Ask before changing.\n     */\n    'db' => [", StringComparison.Ordinal)
                .Replace("\n];\n", ",\n    /**\n     * For the section: downloadable_domains\n     * Hosts downloadable products may come from.\n     */\n    'downloadable_domains' => ['shop.test', 'cdn.shop.test'],\n    'http_cache_hosts' => []\n];\n", StringComparison.Ordinal);
            string before = folder.Write("env-before.php", PhpCli.Run("magento-deployment-writer.php", "rewrite", folder.Write("commented.php", commented)));
            File.Copy(before, envFile, overwrite: true);
            instance = CommerceInstanceReader.Open(instance.Path, ConfigStore.EnvPhp);

            await InstanceConfigWriter.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, "data-space-7") }, deferConfigImport: false, CancellationToken.None);

            var change = new JsonObject();
            JsonObject level = change;
            string[] path = ("system/default/" + ConnectorPaths.DataSpaceId).Split('/');
            foreach (string part in path.Take(path.Length - 1))
            {
                var next = new JsonObject();
                level[part] = next;
                level = next;
            }

            level[path[^1]] = "data-space-7";
            string changes = folder.Write("changes.json", change.ToJsonString());
            string written = File.ReadAllText(envFile);
            Assert.Equal(PhpCli.Run("magento-deployment-writer.php", "rewrite", before, changes), written);
            Assert.Contains("\n    /**\n     * For the section: db\n     * Managed by the deployment.\n     * \n     *   Ask before changing.\n     */\n    'db' => [\n", written, StringComparison.Ordinal);
            Assert.Contains("\n    'downloadable_domains' => [\n        0 => 'shop.test',\n        1 => 'cdn.shop.test',\n    ],\n    'http_cache_hosts' => [\n\n    ],\n", written, StringComparison.Ordinal);
            Assert.Equal(PhpCli.Run("magento-deployment-writer.php", "merged", before, changes), PhpCli.Run("var-export.php", envFile));
            Assert.Contains("No syntax errors", PhpCli.Run("lint.php", envFile), StringComparison.Ordinal);
        }

        [Fact]
        public async Task AMissingSystemSectionIsInSyncWhateverHashIsSaved()
        {
            var (instance, _, envFile) = Instance();
            server.Sql("INSERT INTO " + Prefix + "flag (flag_code, state, flag_data) VALUES ('config_hash', 0, '{\"system\":\"2be88ca4242c76e8253ac62474851065032d6833\"}')", database);

            ConfigWriteResult result = await InstanceConfigWriter.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            Assert.False(result.ConfigImportPending);
            Assert.Contains("production_api_key", File.ReadAllText(envFile), StringComparison.Ordinal);
        }
    }

    /// <summary>Stores the hash of the instance's current system section, as if it had been imported.</summary>
    internal static class EnvPhpHashFixture
    {
        public static Task StoreCurrentHashAsync(MariaDbServer server, string database, string prefix, CommerceInstance instance)
        {
            string hash = PhpJson.Sha1OfJson(instance.DeploymentConfig["system"]);
            server.Sql("INSERT INTO " + prefix + "flag (flag_code, state, flag_data) VALUES ('config_hash', 0, '{\"system\":\"" + hash + "\"}')", database);
            return Task.CompletedTask;
        }
    }
}
