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
    }
}
