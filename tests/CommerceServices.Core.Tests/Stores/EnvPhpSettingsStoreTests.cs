using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Php;
using CommerceServices.Stores;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Stores
{
    public sealed class EnvPhpSettingsStoreTests : MagentoDatabaseTests
    {
        public EnvPhpSettingsStoreTests(MariaDbFixture fixture)
            : base(fixture)
        {
        }

        protected override void Dispose(bool disposing)
        {
            EnvPhpSettingsStore.BeforeHashForTests = null;
            base.Dispose(disposing);
        }

        private (CommerceInstance Instance, SampleInstance Sample, string EnvFile) Instance(SampleInstance? sample = null, bool withDatabase = true)
        {
            sample ??= new SampleInstance { TablePrefix = Prefix };
            if (withDatabase)
            {
                sample.UseDatabase(Server, Database);
            }
            else
            {
                sample.DatabaseHost = "127.0.0.1:9";
            }

            string root = sample.WriteTo(Path.Combine(Folder.Path, "shop"));
            return (CommerceInstanceReader.Open(root, ConfigStore.EnvPhp), sample, Path.Combine(root, "app", "etc", "env.php"));
        }

        /// <summary>An instance whose app/etc/env.php is a relative link to shared/app/etc/env.php, as Deployer and Capistrano lay out releases.</summary>
        private (CommerceInstance Instance, string EnvFile, string Etc, string SharedEtc, string Target, string Link) InstanceWithSharedEnvPhp()
        {
            var (instance, _, envFile) = Instance();
            string sharedEtc = Path.Combine(Folder.Path, "shared", "app", "etc");
            Directory.CreateDirectory(sharedEtc);
            string target = Path.Combine(sharedEtc, "env.php");
            File.Move(envFile, target);
            string link = Path.Combine("..", "..", "..", "shared", "app", "etc", "env.php");
            File.CreateSymbolicLink(envFile, link);
            return (CommerceInstanceReader.Open(instance.Path, ConfigStore.EnvPhp), envFile, Path.GetDirectoryName(envFile)!, sharedEtc, target, link);
        }

        private static ApiKeyPair Pair() =>
            ApiKeyPairReader.Read(TestKeys.ApiKey, TestKeys.Pkcs8Pem(TestKeys.Main).ToCharArray(), GatewayEnvironment.Production).KeyPair!;

        private string StoredHash() => Server.Sql("SELECT flag_data FROM " + Prefix + "flag WHERE flag_code = 'config_hash'", Database).Trim();

        [Fact]
        public async Task LocksTheKeyPairInEnvPhpAsPhpReadsItAndKeepsMagentoInSync()
        {
            var (instance, sample, envFile) = Instance();
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(envFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            }

            ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            Assert.False(result.ConfigImportPending);
            Assert.Contains("No syntax errors", PhpCli.Run("lint.php", envFile), StringComparison.Ordinal);
            PhpArray written = PhpConfigReader.ReadFile(envFile);
            Assert.Equal(PhpCli.Run("var-export.php", envFile), PhpVarExport.Export(written));
            string storedPem = (string)written.GetPath("system/default/services_connector/services_connector_integration/production_private_key")!;
            string keyFile = Folder.Write("crypt-key", sample.CryptKey);
            Assert.Equal(TestKeys.Pkcs8Pem(TestKeys.Main).TrimEnd('\n'), PhpCli.Run("magento-encryptor.php", "decrypt", keyFile, Folder.Write("p", storedPem)));
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
            EnvPhpSettingsStore.BeforeHashForTests = () => throw new IOException("database gone");

            await Assert.ThrowsAsync<IOException>(() => SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));

            Assert.Equal(before, File.ReadAllText(envFile));
            Assert.Equal(string.Empty, StoredHash());
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(envFile)!, ".env.php.*"));

            // Nothing was changed, so no backup says otherwise (not even a pending one).
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(envFile)!, "env.php.commerceservices-*"));
        }

        [Fact]
        public async Task WritesThroughASymlinkedEnvPhpToItsTargetAndKeepsTheLink()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            // Deployer/Capistrano: each release's app/etc/env.php links to the shared one.
            var (instance, envFile, etc, sharedEtc, target, link) = InstanceWithSharedEnvPhp();
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

            ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            var info = new FileInfo(envFile);
            Assert.NotNull(info.LinkTarget);
            Assert.Equal(link, info.LinkTarget);
            Assert.Equal(FileAttributes.ReparsePoint, File.GetAttributes(envFile) & FileAttributes.ReparsePoint);
            Assert.Null(new FileInfo(target).LinkTarget);
            PhpArray written = PhpConfigReader.ReadFile(target);
            Assert.NotNull(written.GetPath("system/default/" + ConnectorPaths.ProductionPrivateKey));
            Assert.Equal(PhpCli.Run("var-export.php", envFile), PhpVarExport.Export(written));
            Assert.Equal(PhpCli.Run("var-export.php", target), PhpVarExport.Export(written));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(target));
            string phpHash = PhpCli.Run("config-hash.php", Path.Combine(etc, "config.php"), envFile, "system");
            Assert.Equal(phpHash, JsonDocument.Parse(StoredHash()).RootElement.GetProperty("system").GetString());

            // The backup is taken where it always is (next to the link), and no temporary file is left on either side.
            Assert.Equal(etc, Path.GetDirectoryName(result.BackupPath));
            Assert.DoesNotContain("services_connector", File.ReadAllText(result.BackupPath), StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(etc, ".env.php.*"));
            Assert.Equal(new[] { target }, Directory.GetFileSystemEntries(sharedEtc));
        }

        [Fact]
        public async Task RefusesADanglingEnvPhpLinkAndChangesNothing()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            var (instance, envFile, etc, sharedEtc, target, link) = InstanceWithSharedEnvPhp();
            File.Delete(target);
            string[] before = Directory.GetFileSystemEntries(etc).OrderBy(e => e, StringComparer.Ordinal).ToArray();

            FileNotFoundException error = await Assert.ThrowsAsync<FileNotFoundException>(() => SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));

            Assert.Equal("app/etc/env.php of " + instance.Path + " is a symbolic link to '" + link + "', which does not exist (a dangling link). Point the link at the shared env.php (or put the file there) and try again. Nothing was changed.", error.Message);
            Assert.Equal(link, new FileInfo(envFile).LinkTarget);
            Assert.False(File.Exists(target));
            Assert.Equal(before, Directory.GetFileSystemEntries(etc).OrderBy(e => e, StringComparer.Ordinal).ToArray());
            Assert.Empty(Directory.GetFileSystemEntries(sharedEtc));
            Assert.Equal(string.Empty, StoredHash());
        }

        [Fact]
        public async Task ClearsTheTemporaryFilesOfKilledWritesButNotThoseOfALiveWriterOrOfOthers()
        {
            var (instance, _, envFile) = Instance();
            string etc = Path.GetDirectoryName(envFile)!;
            string killed = Path.Combine(etc, ".env.php.0badc0de.tmp");
            File.WriteAllText(killed, "<?php return ['half' => ");
            string notOurs = Path.Combine(etc, ".env.php.mine.tmp");
            File.WriteAllText(notOurs, "kept");
            string otherFile = Path.Combine(etc, ".config.php.0badc0de.tmp");
            File.WriteAllText(otherFile, "kept");
            string live = Path.Combine(etc, ".env.php.1234abcd.tmp");

            // A live writer holds its temporary file locked until it renames it.
            using (var held = new FileStream(live, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

                Assert.False(File.Exists(killed));
                Assert.True(File.Exists(live));
                Assert.True(File.Exists(notOurs));
                Assert.True(File.Exists(otherFile));
            }

            await SettingsStores.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, "data-space-7") }, deferConfigImport: false, CancellationToken.None);

            Assert.False(File.Exists(live));
            Assert.Equal(new[] { notOurs }, Directory.GetFiles(etc, ".env.php.*"));
        }

        [Fact]
        public async Task SettlesTheBackupsKilledWritesLeftPending()
        {
            var (instance, _, envFile) = Instance();
            byte[] current = File.ReadAllBytes(envFile);

            // Killed before env.php was replaced: the backup holds what env.php still holds.
            string beforeRename = envFile + ".commerceservices-20200101T000000Z-aaaaaa.bak";
            File.WriteAllBytes(beforeRename + ".pending", current);

            // Killed after env.php was replaced: the backup holds what it was before.
            string afterRename = envFile + ".commerceservices-20200101T000001Z-bbbbbb.bak";
            File.WriteAllText(afterRename + ".pending", "<?php\nreturn [];\n");

            // A write that is still running holds its pending backup.
            string running = envFile + ".commerceservices-20200101T000002Z-cccccc.bak";
            using (var held = new FileStream(running + ".pending", FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                held.Write(current);
                held.Flush();

                ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

                Assert.False(File.Exists(beforeRename + ".pending"));
                Assert.False(File.Exists(beforeRename));
                Assert.False(File.Exists(afterRename + ".pending"));
                Assert.Equal("<?php\nreturn [];\n", File.ReadAllText(afterRename));
                Assert.True(File.Exists(running + ".pending"));
                Assert.False(File.Exists(running));
                Assert.Equal(current, File.ReadAllBytes(result.BackupPath));
                Assert.False(File.Exists(result.BackupPath + ".pending"));
            }
        }

        [Fact]
        public async Task KeepsABoundedNumberOfBackupsNeverTheNewest()
        {
            var (instance, _, envFile) = Instance();
            string etc = Path.GetDirectoryName(envFile)!;
            for (int i = 0; i < ConfigBackups.KeptPerInstance + 10; i++)
            {
                File.WriteAllText(envFile + ".commerceservices-20200101T0000" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + "Z-" + i.ToString("x6", System.Globalization.CultureInfo.InvariantCulture) + ".bak", "old " + i);
            }

            string notOurs = envFile + ".commerceservices-by-hand.bak";
            File.WriteAllText(notOurs, "kept");

            ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            string[] kept = Directory.GetFiles(etc, "env.php.commerceservices-2*.bak");
            Assert.Equal(ConfigBackups.KeptPerInstance, kept.Length);
            Assert.Contains(result.BackupPath, kept);
            Assert.True(File.Exists(notOurs));

            // The newest old ones stay, the oldest go.
            Assert.True(File.Exists(envFile + ".commerceservices-20200101T000059Z-00003b.bak"));
            Assert.True(File.Exists(envFile + ".commerceservices-20200101T000011Z-00000b.bak"));
            Assert.False(File.Exists(envFile + ".commerceservices-20200101T000010Z-00000a.bak"));
            Assert.False(File.Exists(envFile + ".commerceservices-20200101T000000Z-000000.bak"));
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

            ConfigValueShadowedException error = await Assert.ThrowsAsync<ConfigValueShadowedException>(() => EnvPhpSettingsStore.WriteAsync(instance, changes, mixedCase, deferConfigImport: false, CancellationToken.None));
            ConfigValueShadowedException both = await Assert.ThrowsAsync<ConfigValueShadowedException>(() => EnvPhpSettingsStore.WriteAsync(instance, changes, two, deferConfigImport: false, CancellationToken.None));

            Assert.Equal(ConfigLayer.EnvironmentVariable, error.Layer);
            Assert.Contains("is set by the environment variable CONFIG__Default__Services_Connector__Services_Id__Project_Id, which wins over env.php", error.Message, StringComparison.Ordinal);
            Assert.Contains("the environment variables CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_ID, CONFIG__default__services_connector__services_id__project_id,", both.Message, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllText(envFile));
        }

        [Fact]
        public async Task RefusesToHideChangesThatWereNotImported()
        {
            var (instance, _, envFile) = Instance(new SampleInstance { TablePrefix = Prefix, EnvPhpSystem = "'web' => ['unsecure' => ['base_url' => 'https://edited.test/']]", FilesImported = false });
            string before = File.ReadAllText(envFile);

            ConfigHashNotUpdatableException error = await Assert.ThrowsAsync<ConfigHashNotUpdatableException>(() => SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));

            Assert.Contains("app:config:import", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllText(envFile));
        }

        [Fact]
        public async Task WithoutPhpOrTheDatabaseItRefusesUnlessTheImportIsDeferred()
        {
            var (instance, _, envFile) = Instance(withDatabase: false);
            string before = File.ReadAllText(envFile);

            await Assert.ThrowsAsync<ConfigHashNotUpdatableException>(() => SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));
            Assert.Equal(before, File.ReadAllText(envFile));

            ConfigWriteResult deferred = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: true, CancellationToken.None);
            Assert.True(deferred.ConfigImportPending);
            Assert.Contains("production_private_key", File.ReadAllText(envFile), StringComparison.Ordinal);
        }

        [Fact]
        public async Task AnInstanceNotInstalledYetHasNoHashToKeep()
        {
            string root = new SampleInstance { Installed = false }.WriteTo(Path.Combine(Folder.Path, "not-installed"));
            CommerceInstance instance = CommerceInstanceReader.Open(root, ConfigStore.EnvPhp);

            ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            Assert.False(result.ConfigImportPending);
            Assert.Contains("'production_private_key' => '0:3:", File.ReadAllText(Path.Combine(root, "app", "etc", "env.php")), StringComparison.Ordinal);
        }

        [Fact]
        public async Task AnInstalledInstanceWhoseEnvPhpNamesNoDatabaseStillNeedsTheHash()
        {
            // Its database may come from MAGENTO_DC_ variables of the PHP processes, unseen from here.
            string root = new SampleInstance { NamesDatabase = false }.WriteTo(Path.Combine(Folder.Path, "installed"));
            CommerceInstance instance = CommerceInstanceReader.Open(root, ConfigStore.EnvPhp);
            string before = File.ReadAllText(Path.Combine(root, "app", "etc", "env.php"));

            await Assert.ThrowsAsync<ConfigHashNotUpdatableException>(() => SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None));

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

            ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            Assert.False(result.ConfigImportPending);
            Assert.Equal(new[] { "app:config:import --no-interaction", "cache:clean config" }, File.ReadAllLines(marker));
        }

        [Fact]
        public async Task ClearingWritesNullSoThatNoOlderValueComesBack()
        {
            var (instance, _, envFile) = Instance(new SampleInstance { TablePrefix = Prefix, EnvPhpSystem = "'services_connector' => ['services_id' => ['environment_id' => 'locked']]" });
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.DataSpaceId, "OLD-DATA-SPACE-OF-ANOTHER-PROJECT");
            await EnvPhpHashFixture.StoreCurrentHashAsync(Server, Database, Prefix, instance);

            await SettingsStores.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, null) }, deferConfigImport: false, CancellationToken.None);

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
            string before = Folder.Write("env-before.php", PhpCli.Run("magento-deployment-writer.php", "rewrite", Folder.Write("commented.php", commented)));
            File.Copy(before, envFile, overwrite: true);
            instance = CommerceInstanceReader.Open(instance.Path, ConfigStore.EnvPhp);

            await SettingsStores.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, "data-space-7") }, deferConfigImport: false, CancellationToken.None);

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
            string changes = Folder.Write("changes.json", change.ToJsonString());
            string written = File.ReadAllText(envFile);
            Assert.Equal(PhpCli.Run("magento-deployment-writer.php", "rewrite", before, changes), written);
            Assert.Contains("\n    /**\n     * For the section: db\n     * Managed by the deployment.\n     * \n     *   Ask before changing.\n     */\n    'db' => [\n", written, StringComparison.Ordinal);
            Assert.Contains("\n    'downloadable_domains' => [\n        0 => 'shop.test',\n        1 => 'cdn.shop.test',\n    ],\n    'http_cache_hosts' => [\n\n    ],\n", written, StringComparison.Ordinal);
            Assert.Equal(PhpCli.Run("magento-deployment-writer.php", "merged", before, changes), PhpCli.Run("var-export.php", envFile));
            Assert.Contains("No syntax errors", PhpCli.Run("lint.php", envFile), StringComparison.Ordinal);
        }

        /// <summary>env.php with bytes that are not UTF-8 outside the system section: an indexer connection's password p\xE9ss (raw) and a "\xFF" escape.</summary>
        private static void AddBytesNotUtf8(string envFile)
        {
            byte[] text = File.ReadAllBytes(envFile);
            string ascii = System.Text.Encoding.Latin1.GetString(text);
            int at = ascii.IndexOf("    'MAGE_MODE'", StringComparison.Ordinal);
            Assert.True(at > 0);
            byte[] insert = System.Text.Encoding.Latin1.GetBytes(
                "    'db_indexer' => [\n        'host' => 'indexer.test',\n        'password' => 'p\u00E9ss'\n    ],\n    'queue' => [\n        'amqp' => [\n            'password' => \"\\xFF and \\u{D800}\"\n        ]\n    ],\n");
            File.WriteAllBytes(envFile, text.Take(at).Concat(insert).Concat(text.Skip(at)).ToArray());
        }

        /// <summary>PHP's leaves of a file as hex (bytes.php values), without those under <paramref name="except"/>.</summary>
        private static string[] PhpValues(string file, string except) =>
            PhpCli.Run("bytes.php", "values", file).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(line => !line.StartsWith(Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(except)).ToLowerInvariant(), StringComparison.Ordinal))
                .ToArray();

        [Fact]
        public async Task KeepsBytesThatAreNotUtf8ByteForByte()
        {
            var (instance, _, envFile) = Instance(new SampleInstance { TablePrefix = Prefix, EnvPhpSystem = "'web' => ['unsecure' => ['base_url' => 'https://shop.test/ünï']]", FilesImported = false });
            AddBytesNotUtf8(envFile);
            instance = CommerceInstanceReader.Open(instance.Path, ConfigStore.EnvPhp);
            string configFile = Path.Combine(instance.Path, "app", "etc", "config.php");
            Server.Sql("INSERT INTO " + Prefix + "flag (flag_code, state, flag_data) VALUES ('config_hash', 0, '{\"system\":\"" + PhpCli.Run("config-hash.php", configFile, envFile, "system") + "\"}')", Database);
            string[] before = PhpValues(envFile, "system/");
            Assert.Contains("6462" + "5f696e6465786572" + "2f70617373776f7264\tstring\t2770e9737327", before);

            await SettingsStores.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, "data-space-7") }, deferConfigImport: false, CancellationToken.None);

            // PHP reads every value outside the system section as the same bytes as before (p\xE9ss, \xFF, ED A0 80).
            Assert.Equal(before, PhpValues(envFile, "system/"));
            Assert.Contains("No syntax errors", PhpCli.Run("lint.php", envFile), StringComparison.Ordinal);
            Assert.Equal("data-space-7", PhpConfigReader.ReadFile(envFile).GetPath("system/default/" + ConnectorPaths.DataSpaceId));
            // The system section is UTF-8: the stored hash is PHP's.
            Assert.Equal(PhpCli.Run("config-hash.php", configFile, envFile, "system"), JsonDocument.Parse(StoredHash()).RootElement.GetProperty("system").GetString());
        }

        [Fact]
        public async Task RefusesASystemSectionThatIsNotUtf8AndChangesNothing()
        {
            // json_encode fails on it, so Magento cannot hash it ("Unable to serialize value").
            var (instance, _, envFile) = Instance(new SampleInstance { TablePrefix = Prefix, EnvPhpSystem = "'web' => ['unsecure' => ['base_url' => \"https://shop.test/\\xFF\"]]", FilesImported = false });
            string configFile = Path.Combine(instance.Path, "app", "etc", "config.php");
            Assert.Equal("false Malformed UTF-8 characters, possibly incorrectly encoded", PhpCli.Run("bytes.php", "json", envFile));
            // A hash that a reader taking "\xFF" for U+00FF would match, so only the bytes make the difference.
            var system = new PhpArray();
            system.Set("web", new PhpArray());
            ((PhpArray)system["web"]!).Set("unsecure", new PhpArray());
            ((PhpArray)((PhpArray)system["web"]!)["unsecure"]!).Set("base_url", "https://shop.test/\u00FF");
            string hash = "{\"system\":\"" + PhpJson.Sha1OfJson(system) + "\"}";
            Server.Sql("INSERT INTO " + Prefix + "flag (flag_code, state, flag_data) VALUES ('config_hash', 0, '" + hash + "')", Database);
            byte[] before = File.ReadAllBytes(envFile);

            ConfigHashNotUpdatableException error = await Assert.ThrowsAsync<ConfigHashNotUpdatableException>(
                () => SettingsStores.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, "data-space-7") }, deferConfigImport: false, CancellationToken.None));

            Assert.Contains("not UTF-8 at 'system/default/web/unsecure/base_url'", error.Message, StringComparison.Ordinal);
            Assert.Contains("Unable to serialize value", error.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was changed", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(envFile));
            Assert.Equal(hash, StoredHash());
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(envFile)!, ".env.php.*"));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(envFile)!, "env.php.commerceservices-*"));

            // Deferring the import does not help: there is no hash Magento could compute.
            await Assert.ThrowsAsync<ConfigHashNotUpdatableException>(
                () => SettingsStores.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, "data-space-7") }, deferConfigImport: true, CancellationToken.None));
            Assert.Equal(before, File.ReadAllBytes(envFile));
        }

        [Fact]
        public async Task AMissingSystemSectionIsInSyncWhateverHashIsSaved()
        {
            var (instance, _, envFile) = Instance();
            Server.Sql("INSERT INTO " + Prefix + "flag (flag_code, state, flag_data) VALUES ('config_hash', 0, '{\"system\":\"2be88ca4242c76e8253ac62474851065032d6833\"}')", Database);

            ConfigWriteResult result = await SettingsStores.SetApiKeyPairAsync(instance, Pair(), deferConfigImport: false, CancellationToken.None);

            Assert.False(result.ConfigImportPending);
            Assert.Contains("production_api_key", File.ReadAllText(envFile), StringComparison.Ordinal);
        }
    }

    /// <summary>Stores the hash of the instance's current system section, as if it had been imported.</summary>
    internal static class EnvPhpHashFixture
    {
        public static Task StoreCurrentHashAsync(MariaDbServer Server, string Database, string prefix, CommerceInstance instance)
        {
            string hash = PhpJson.Sha1OfJson(instance.DeploymentConfig["system"]);
            Server.Sql("INSERT INTO " + prefix + "flag (flag_code, state, flag_data) VALUES ('config_hash', 0, '{\"system\":\"" + hash + "\"}')", Database);
            return Task.CompletedTask;
        }
    }
}
