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
    /// <summary>Restoring an env.php backup puts the file back byte for byte (as PHP reads it too), and only when nothing else changed in it.</summary>
    public sealed class ConfigRestorerTests : MagentoDatabaseTests
    {
        public ConfigRestorerTests(MariaDbFixture fixture)
            : base(fixture)
        {
        }

        private CommerceInstance EnvPhpInstance()
        {
            var sample = new SampleInstance { TablePrefix = Prefix };
            sample.UseDatabase(Server, Database);
            return CommerceInstanceReader.Open(sample.WriteTo(Path.Combine(Folder.Path, "shop")), ConfigStore.EnvPhp);
        }

        private static async Task RestoreNewest(CommerceInstance instance)
        {
            ConfigBackup backup = ConfigBackupReader.Read(instance, ConfigBackupReader.Files(instance).First());
            var steps = await ConfigRestorePlan.PlanAsync(instance, backup, CancellationToken.None);
            await ConfigRestorer.RestoreAsync(instance, backup, steps, deferConfigImport: false, CancellationToken.None);
        }

        [Fact]
        public async Task AnEnvPhpBackupComesBackByteForByteAndRestoringAgainUndoesIt()
        {
            CommerceInstance instance = EnvPhpInstance();
            string envFile = InstanceFiles.EnvPhp(instance.Path);
            byte[] original = File.ReadAllBytes(envFile);
            string originalAsPhpReadsIt = PhpCli.Run("var-export.php", envFile);
            await SettingsStores.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, "space-1"), new ConfigChange(ConnectorPaths.ProjectId, "project-1") }, deferConfigImport: false, CancellationToken.None);
            byte[] changed = File.ReadAllBytes(envFile);
            Assert.NotEqual(original, changed);

            await Task.Delay(1100); // backups are stamped to the second
            await RestoreNewest(instance);

            Assert.Equal(original, File.ReadAllBytes(envFile));
            Assert.Equal(originalAsPhpReadsIt, PhpCli.Run("var-export.php", envFile));
            Assert.Equal(2, ConfigBackupReader.Files(instance).Count);

            await RestoreNewest(instance);
            Assert.Equal(changed, File.ReadAllBytes(envFile));
        }

        [Fact]
        public async Task AnEnvPhpChangedOutsideTheConnectorSettingsSinceTheBackupIsNotRolledBack()
        {
            CommerceInstance instance = EnvPhpInstance();
            string envFile = InstanceFiles.EnvPhp(instance.Path);
            await SettingsStores.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, "space-1") }, deferConfigImport: false, CancellationToken.None);
            string edited = File.ReadAllText(envFile).Replace("'MAGE_MODE' => 'production'", "'MAGE_MODE' => 'developer'", StringComparison.Ordinal);
            Assert.NotEqual(File.ReadAllText(envFile), edited);
            File.WriteAllText(envFile, edited);
            ConfigBackup backup = ConfigBackupReader.Read(instance, ConfigBackupReader.Files(instance).First());
            var steps = await ConfigRestorePlan.PlanAsync(instance, backup, CancellationToken.None);

            var error = await Assert.ThrowsAsync<ConfigRestoreRefusedException>(() => ConfigRestorer.RestoreAsync(instance, backup, steps, deferConfigImport: false, CancellationToken.None));

            Assert.Equal("EnvPhpChangedSinceBackup", error.ErrorId);
            Assert.Contains("MAGE_MODE", error.Message, StringComparison.Ordinal);
            Assert.Equal(edited, File.ReadAllText(envFile));
        }

        [Fact]
        public async Task RestoringWhatIsAlreadyThereIsRefused()
        {
            CommerceInstance instance = EnvPhpInstance();
            await SettingsStores.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, "space-1") }, deferConfigImport: false, CancellationToken.None);
            await SettingsStores.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, null) }, deferConfigImport: false, CancellationToken.None);
            await SettingsStores.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, "space-1") }, deferConfigImport: false, CancellationToken.None);
            string sameAsNow = ConfigBackupReader.Files(instance)
                .Select(f => ConfigBackupReader.Read(instance, f))
                .First(b => b.Values.Single(v => v.Path == ConnectorPaths.DataSpaceId).StoredValue == "space-1").Path;
            ConfigBackup backup = ConfigBackupReader.Read(instance, sameAsNow);
            var steps = await ConfigRestorePlan.PlanAsync(instance, backup, CancellationToken.None);

            var error = await Assert.ThrowsAsync<ConfigRestoreRefusedException>(() => ConfigRestorer.RestoreAsync(instance, backup, steps, deferConfigImport: false, CancellationToken.None));

            Assert.Equal("NothingToRestore", error.ErrorId);
        }
    }
}
