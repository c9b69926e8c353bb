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
    /// <summary>Restoring a database-store backup puts the rows back, and leaves a backup that undoes the restore.</summary>
    public sealed class ConfigRestorePlanTests : MagentoDatabaseTests
    {
        public ConfigRestorePlanTests(MariaDbFixture fixture)
            : base(fixture)
        {
        }

        private string Rows() =>
            Server.Sql("SELECT path, IFNULL(value, 'NULL') FROM " + Prefix + "core_config_data WHERE scope = 'default' AND scope_id = 0 ORDER BY path", Database);

        private static Task Write(CommerceInstance instance, params ConfigChange[] changes) =>
            SettingsStores.WriteAsync(instance, changes, deferConfigImport: false, CancellationToken.None);

        private static ConfigBackup Newest(CommerceInstance instance) =>
            ConfigBackupReader.Read(instance, ConfigBackupReader.Files(instance).First());

        [Fact]
        public async Task RestoringTheNewestBackupReturnsTheRowsAndRestoringAgainUndoesIt()
        {
            var sample = new SampleInstance { TablePrefix = Prefix };
            sample.UseDatabase(Server, Database);
            CommerceInstance instance = CommerceInstanceReader.Open(sample.WriteTo(Path.Combine(Folder.Path, "shop")));
            await Write(instance, new ConfigChange(ConnectorPaths.ProjectId, "project-1"), new ConfigChange(ConnectorPaths.DataSpaceId, "space-1"));
            string before = Rows();
            await Task.Delay(1100); // backups are stamped to the second
            await Write(instance, new ConfigChange(ConnectorPaths.DataSpaceId, "space-2"), new ConfigChange(ConnectorPaths.DataSpaceName, "Testing 2"));
            string changed = Rows();

            var steps = await ConfigRestorePlan.PlanAsync(instance, Newest(instance), CancellationToken.None);

            Assert.Equal(
                new[] { ConnectorPaths.DataSpaceId, ConnectorPaths.DataSpaceName }.OrderBy(p => p, StringComparer.Ordinal),
                steps.Select(s => s.Path).OrderBy(p => p, StringComparer.Ordinal));
            Assert.Equal("space-2", steps.Single(s => s.Path == ConnectorPaths.DataSpaceId).Now.StoredValue);
            Assert.Equal("space-1", steps.Single(s => s.Path == ConnectorPaths.DataSpaceId).Then.StoredValue);
            Assert.False(steps.Single(s => s.Path == ConnectorPaths.DataSpaceName).Then.WasSet);

            await Task.Delay(1100);
            await Write(instance, steps.Select(s => s.Change).ToArray());
            Assert.Equal(before, Rows());
            Assert.Empty(await ConfigRestorePlan.PlanAsync(instance, ConfigBackupReader.Read(instance, ConfigBackupReader.Files(instance)[1]), CancellationToken.None));

            var undo = await ConfigRestorePlan.PlanAsync(instance, Newest(instance), CancellationToken.None);
            await Write(instance, undo.Select(s => s.Change).ToArray());
            Assert.Equal(changed, Rows());
        }

        [Fact]
        public async Task ABackupOfTheOtherStoreIsRefusedWithTheWayOut()
        {
            var sample = new SampleInstance { TablePrefix = Prefix };
            sample.UseDatabase(Server, Database);
            string root = sample.WriteTo(Path.Combine(Folder.Path, "shop"));
            CommerceInstance database = CommerceInstanceReader.Open(root);
            await Write(database, new ConfigChange(ConnectorPaths.ProjectId, "project-1"));
            CommerceInstance envPhp = CommerceInstanceReader.Open(root, ConfigStore.EnvPhp);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ConfigRestorePlan.PlanAsync(envPhp, Newest(database), CancellationToken.None));

            Assert.Contains("-ConfigStore Database", error.Message, StringComparison.Ordinal);
        }

        /// <summary>
        /// An env.php backup of a folder that is now seen to be a Cloud project (written before its markers were there):
        /// connecting with -ConfigStore EnvPhp is no way out on Cloud, so the refusal offers what is.
        /// </summary>
        [Fact]
        public async Task AnEnvPhpBackupOfACloudProjectIsRefusedWithTheWaysOutCloudAllows()
        {
            var sample = new SampleInstance { TablePrefix = Prefix };
            sample.UseDatabase(Server, Database);
            string root = sample.WriteTo(Path.Combine(Folder.Path, "shop"));
            CommerceInstance envPhp = CommerceInstanceReader.Open(root, ConfigStore.EnvPhp);
            await Write(envPhp, new ConfigChange(ConnectorPaths.ProjectId, "project-1"));
            ConfigBackup backup = Newest(envPhp);
            File.WriteAllText(Path.Combine(root, ".magento.app.yaml"), "name: mymagento\n");
            CommerceInstance cloud = CommerceInstanceReader.Open(root);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ConfigRestorePlan.PlanAsync(cloud, backup, CancellationToken.None));

            Assert.Equal(InstancePlatform.Cloud, cloud.Platform);
            Assert.Contains("is connected with -ConfigStore Database. It is an Adobe Commerce on Cloud project, which is never connected with -ConfigStore EnvPhp", error.Message, StringComparison.Ordinal);
            Assert.Contains("Get-CommerceServicesConfigBackup", error.Message, StringComparison.Ordinal);
            Assert.Contains("Export-CommerceServicesConfig -Format CloudVariables", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Connect it with -ConfigStore EnvPhp", error.Message, StringComparison.Ordinal);
        }
    }
}
