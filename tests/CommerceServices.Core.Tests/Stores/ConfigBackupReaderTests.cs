using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Instances;
using CommerceServices.Stores;
using CommerceServices.Stores.Backups;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Stores
{
    /// <summary>The backups both stores leave, read back: what they hold, newest first, and refusal of what cannot be trusted.</summary>
    public sealed class ConfigBackupReaderTests : MagentoDatabaseTests
    {
        public ConfigBackupReaderTests(MariaDbFixture fixture)
            : base(fixture)
        {
        }

        private CommerceInstance Instance(string name, ConfigStore store, SampleInstance? sample = null)
        {
            sample ??= new SampleInstance { TablePrefix = Prefix };
            sample.UseDatabase(Server, Database);
            return CommerceInstanceReader.Open(sample.WriteTo(Path.Combine(Folder.Path, name)), store);
        }

        private static Task Write(CommerceInstance instance, string path, string? value) =>
            SettingsStores.WriteAsync(instance, new[] { new ConfigChange(path, value) }, deferConfigImport: false, CancellationToken.None);

        [Theory]
        [InlineData(ConfigStore.Database)]
        [InlineData(ConfigStore.EnvPhp)]
        public async Task EachWriteLeavesABackupOfTheValuesBeforeItNewestFirst(ConfigStore store)
        {
            CommerceInstance instance = Instance("shop", store);
            await Write(instance, ConnectorPaths.DataSpaceId, "data-space-1");
            await Task.Delay(1100); // the backups' names are stamped to the second
            await Write(instance, ConnectorPaths.DataSpaceId, "data-space-2");

            ConfigBackup[] backups = ConfigBackupReader.Files(instance).Select(f => ConfigBackupReader.Read(instance, f)).ToArray();

            Assert.Equal(2, backups.Length);
            Assert.All(backups, b => Assert.Equal(store, b.Store));
            Assert.True(backups[0].TakenAt > backups[1].TakenAt);
            ConfigBackupValue newest = backups[0].Values.Single(v => v.Path == ConnectorPaths.DataSpaceId);
            ConfigBackupValue oldest = backups[1].Values.Single(v => v.Path == ConnectorPaths.DataSpaceId);
            Assert.Equal("data-space-1", newest.StoredValue);
            Assert.True(newest.WasSet);
            Assert.False(oldest.WasSet);
            Assert.Null(oldest.StoredValue);
            Assert.All(backups, b => Assert.Equal(2, b.FormatVersion));
            Assert.All(backups, b => Assert.Null(b.Command));
            Assert.All(backups, b => Assert.Equal(new[] { ConnectorPaths.DataSpaceId }, b.ChangedPaths));
        }

        [Theory]
        [InlineData(ConfigStore.Database)]
        [InlineData(ConfigStore.EnvPhp)]
        public async Task ABackupSaysWhichCommandWroteItAndAFormatOneBackupStaysReadable(ConfigStore store)
        {
            CommerceInstance instance = Instance("shop", store);
            using (ConfigWriteContext.Begin("Set-CommerceDataSpace", null))
            {
                await Write(instance, ConnectorPaths.DataSpaceId, "data-space-1");
            }

            string file = Assert.Single(ConfigBackupReader.Files(instance));
            ConfigBackup written = ConfigBackupReader.Read(instance, file);
            Assert.Equal("Set-CommerceDataSpace", written.Command);
            Assert.Equal(2, written.FormatVersion);

            // The backups written before format 2: no sidecar for env.php, no formatVersion or command in the JSON.
            if (store == ConfigStore.EnvPhp)
            {
                File.Delete(file + ".json");
            }
            else
            {
                var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
                json.Remove("formatVersion");
                json.Remove("command");
                File.WriteAllText(file, json.ToJsonString());
            }

            ConfigBackup formatOne = ConfigBackupReader.Read(instance, file);
            Assert.Equal(1, formatOne.FormatVersion);
            Assert.Null(formatOne.Command);
            Assert.Equal(written.Values.Select(v => (v.Path, v.WasSet, v.StoredValue)), formatOne.Values.Select(v => (v.Path, v.WasSet, v.StoredValue)));
            Assert.Equal(store == ConfigStore.EnvPhp ? null : new[] { ConnectorPaths.DataSpaceId }, formatOne.ChangedPaths);
        }

        [Theory]
        [InlineData(ConfigStore.Database)]
        [InlineData(ConfigStore.EnvPhp)]
        public async Task TheRetentionPreferenceKeepsTheNewestBackupsAndTheirDescriptions(ConfigStore store)
        {
            CommerceInstance instance = Instance("shop", store);
            using (ConfigWriteContext.Begin(null, 2))
            {
                for (int i = 1; i <= 4; i++)
                {
                    await Write(instance, ConnectorPaths.DataSpaceId, "data-space-" + i);
                }
            }

            string[] kept = ConfigBackupReader.Files(instance).ToArray();
            Assert.Equal(2, kept.Length);
            Assert.Equal(
                new[] { "data-space-3", "data-space-2" }.OrderBy(v => v, StringComparer.Ordinal),
                kept.Select(f => ConfigBackupReader.Read(instance, f).Values.Single(v => v.Path == ConnectorPaths.DataSpaceId).StoredValue).OrderBy(v => v, StringComparer.Ordinal));
            if (store == ConfigStore.EnvPhp)
            {
                Assert.Equal(kept.Select(f => f + ".json").OrderBy(f => f, StringComparer.Ordinal), Directory.GetFiles(InstanceFiles.Etc(instance.Path), "*.bak.json").OrderBy(f => f, StringComparer.Ordinal));
            }
        }

        [Theory]
        [InlineData(ConfigStore.Database)]
        [InlineData(ConfigStore.EnvPhp)]
        public async Task ATruncatedBackupIsRefusedNotGuessedFrom(ConfigStore store)
        {
            CommerceInstance instance = Instance("shop", store);
            await Write(instance, ConnectorPaths.ProjectId, "project-1");
            string backup = Assert.Single(ConfigBackupReader.Files(instance));
            byte[] content = File.ReadAllBytes(backup);
            File.WriteAllBytes(backup, content.Take(content.Length / 2).ToArray());

            ConfigBackupUnreadableException error = Assert.Throws<ConfigBackupUnreadableException>(() => ConfigBackupReader.Read(instance, backup));

            Assert.Equal(backup, error.Path);
            Assert.Contains("truncated or edited", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(ConfigStore.Database)]
        [InlineData(ConfigStore.EnvPhp)]
        public async Task ABackupOfAnotherInstanceIsRefused(ConfigStore store)
        {
            CommerceInstance shop = Instance("shop", store);
            CommerceInstance other = Instance("other", store, new SampleInstance { TablePrefix = Prefix, CryptKey = "base64" + Convert.ToBase64String(new byte[32]) });
            await Write(shop, ConnectorPaths.ProjectId, "project-1");
            string backup = Assert.Single(ConfigBackupReader.Files(shop));
            string copied = Path.Combine(store == ConfigStore.EnvPhp ? InstanceFiles.Etc(other.Path) : InstanceFiles.DatabaseBackups(other.Path), Path.GetFileName(backup));
            Directory.CreateDirectory(Path.GetDirectoryName(copied)!);
            File.Copy(backup, copied);

            Assert.Equal(new[] { copied }, ConfigBackupReader.Files(other));
            ConfigBackupUnreadableException error = Assert.Throws<ConfigBackupUnreadableException>(() => ConfigBackupReader.Read(other, copied));
            Assert.Contains(store == ConfigStore.EnvPhp ? "another crypt/key" : "not of " + other.Path, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ADatabaseBackupOfALaterFormatIsRefusedWithTheWayOut()
        {
            CommerceInstance instance = Instance("shop", ConfigStore.Database);
            await Write(instance, ConnectorPaths.ProjectId, "project-1");
            string backup = Assert.Single(ConfigBackupReader.Files(instance));
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(backup))!.AsObject();
            json["formatVersion"] = 9;
            File.WriteAllText(backup, json.ToJsonString());

            ConfigBackupUnreadableException error = Assert.Throws<ConfigBackupUnreadableException>(() => ConfigBackupReader.Read(instance, backup));

            Assert.Contains("format 9", error.Message, StringComparison.Ordinal);
            Assert.Contains("Update the module", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AnInstanceWithoutBackupsHasNone()
        {
            CommerceInstance instance = Instance("shop", ConfigStore.Database);

            Assert.Empty(ConfigBackupReader.Files(instance));
        }
    }
}
