using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Core.Tests.Support;
using CommerceServices.DataExport;
using CommerceServices.Instances;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.DataExport
{
    /// <summary>
    /// The status of each feed, read from a private MariaDB holding the export tables of every layout (written from
    /// their db_schema.xml: <see cref="ExportTables"/>), seeded with every status code of both eras.
    /// </summary>
    public sealed class DataExportStatusReaderTests : MagentoDatabaseTests
    {
        private static readonly string[] CatalogModules = { "Magento_DataExporter", "Magento_CatalogDataExporter" };

        public DataExportStatusReaderTests(MariaDbFixture fixture)
            : base(fixture)
        {
            Sql(ExportTables.StateTablesSql(Prefix));
        }

        private void Sql(string sql) => Server.Sql(sql, Database);

        private CommerceInstance Instance(params string[] modules)
        {
            var sample = new SampleInstance { TablePrefix = Prefix, EnabledModules = modules.Length == 0 ? CatalogModules : modules };
            sample.UseDatabase(Server, Database);
            return CommerceInstanceReader.Open(sample.WriteTo(Path.Combine(Folder.Path, "shop")));
        }

        private static ExportFeed Feed(string name) => ExportFeeds.Find(name)!;

        private static async Task<DataExportFeedStatus> ReadOne(CommerceInstance instance, string feed) =>
            (await DataExportStatusReader.ReadAsync(instance, new[] { Feed(feed) }, CancellationToken.None)).Single();

        /// <summary>A current (103.3.0+) products feed with its changelog, its indexer valid and on Update by Schedule, processed up to <paramref name="version"/>.</summary>
        private void CurrentProductsFeed(long version = 0, string indexerStatus = "valid", string mode = "enabled")
        {
            Sql(ExportTables.FeedTableSql(Prefix, "cde_products_feed", FeedTableShape.Feed) + ExportTables.ChangelogSql(Prefix, "cde_products_feed"));
            Sql(ExportTables.IndexerStateSql(Prefix, "catalog_data_exporter_products", "cde_products_feed", indexerStatus, mode, version));
        }

        [Fact]
        public async Task CountsEveryStatusCodeOfTheCurrentEraAndShowsTheRejectedItemsFirst()
        {
            CurrentProductsFeed();
            Sql(ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 1, 50, 200, minutesAgo: 30)
                + ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 51, 2, 200, deleted: true, minutesAgo: 5)
                + ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 101, 3, 400, errors: "Invalid value of \"price\"", metadata: "[\"req-400\"]", minutesAgo: 20)
                + ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 201, 2, 1, errors: "/0/name: must not be empty", metadata: "[\"req-1\"]", minutesAgo: 15)
                + ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 301, 6, 2, errors: "Service Unavailable", minutesAgo: 1));

            DataExportFeedStatus status = await ReadOne(Instance(), "products");

            Assert.Equal(DataExportState.Failing, status.State);
            Assert.Equal(ExportMode.Immediate, status.Mode);
            Assert.Equal("103.3.0+", status.Layout);
            Assert.Equal(Prefix + "cde_products_feed", status.Table);
            Assert.Equal(Prefix + "cde_products_feed_cl", status.ChangelogTable);
            Assert.Equal((63L, 50L, 2L, 5L, 6L), (status.Total, status.Exported, status.Deleted, status.Rejected, status.Retrying));
            Assert.Equal(new[] { (1, 2L), (2, 6L), (200, 52L), (400, 3L) }, status.StatusCounts.Select(c => (c.Code, c.Count)));
            Assert.All(status.StatusCounts, c => Assert.Equal("products", c.Feed));
            Assert.True(status.StatusCounts.Single(c => c.Code == 2).Retried);
            Assert.False(status.StatusCounts.Single(c => c.Code == 1).Retried);
            Assert.Equal(FeedIndexerStatus.Ready, status.IndexerStatus);
            Assert.Equal(FeedIndexerMode.UpdateBySchedule, status.IndexerMode);

            // The deletions were accepted 5 minutes ago, the last of the others 30: the latest acceptance counts.
            Assert.InRange(DateTime.UtcNow - status.LastExported!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(7));
            Assert.Equal(DateTimeKind.Utc, status.LastExported.Value.Kind);

            // Rejected first (the newest of them first), then those waiting for the retry cron: 10 of the 11.
            Assert.Equal(new[] { 1, 1, 400, 400, 400, 2, 2, 2, 2, 2 }, status.FirstErrors.Select(e => e.Status));
            FeedItemError first = status.FirstErrors[0];
            Assert.Equal("req-1", first.RequestId);
            Assert.Equal("/0/name: must not be empty", first.Error);
            Assert.Matches("^sku=SKU-20[12], storeViewCode=default$", first.Item);
            Assert.Matches("^20[12]$", first.EntityId);
            Assert.Equal("Client error (require attention)", first.Meaning);
            Assert.Contains("5 rejected by the service", status.Message, StringComparison.Ordinal);
            Assert.Contains("6 failed and waiting for the retry cron", status.Message, StringComparison.Ordinal);
            Assert.Contains("Start-CommerceDataExportResync -Feed products -ById", status.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task RawCodesOfExportersBefore103Point3Point19AreRetriedAndA401NamesTheKeys()
        {
            CurrentProductsFeed();
            Sql(ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 1, 10, 200)
                + ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 11, 3, 401, errors: "Unauthorized")
                + ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 21, 2, 500, errors: "Internal Server Error")
                + ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 31, 1, 0, errors: "API Keys Validation Failed")
                + ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 41, 1, 429, errors: "Too Many Requests")
                + ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 51, 1, 403, errors: "Forbidden"));

            DataExportFeedStatus status = await ReadOne(Instance(), "products");

            Assert.Equal(DataExportState.Failing, status.State);
            Assert.Equal((0L, 8L), (status.Rejected, status.Retrying));
            Assert.All(status.StatusCounts.Where(c => c.Code != 200), c => Assert.True(c.Retried));
            Assert.Equal("Unauthorized", status.StatusCounts.Single(c => c.Code == 401).Meaning);
            Assert.Equal("Server error 500", status.StatusCounts.Single(c => c.Code == 500).Meaning);
            Assert.Contains("Set-CommerceApiKey", status.Message, StringComparison.Ordinal);
            Assert.Contains("thread_count", status.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("rejected", status.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task EveryItemAcceptedAndAnEmptyChangelogIsSynced()
        {
            CurrentProductsFeed(version: 5);
            Sql(ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 1, 20, 200, minutesAgo: 3) + ExportTables.ChangelogRowsSql(Prefix, "cde_products_feed", 1, 5));

            DataExportFeedStatus status = await ReadOne(Instance(), "products");

            Assert.Equal(DataExportState.Synced, status.State);
            Assert.Equal((20L, 20L, 0L), (status.Total, status.Exported, status.Pending));
            Assert.Empty(status.FirstErrors);
            Assert.StartsWith("20 items exported, nothing waits or failed.", status.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task EntitiesInTheChangelogAfterTheViewsVersionAreBehindCountedOnceEach()
        {
            // Versions 1-5 processed; 6-15 wait, entity 3 twice among them.
            CurrentProductsFeed(version: 5);
            Sql(ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 1, 20, 200)
                + ExportTables.ChangelogRowsSql(Prefix, "cde_products_feed", 1, 5)
                + ExportTables.ChangelogRowsSql(Prefix, "cde_products_feed", 1, 9)
                + ExportTables.ChangelogRowsSql(Prefix, "cde_products_feed", 3, 1));

            DataExportFeedStatus status = await ReadOne(Instance(), "products");

            Assert.Equal(DataExportState.Behind, status.State);
            Assert.Equal(9, status.Pending);
            Assert.StartsWith("9 items wait to be exported (in the changelog", status.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AnAdminScheduledResyncIsBehind()
        {
            CurrentProductsFeed();
            Sql(ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 1, 10, 200) + ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 11, 4, 200, feedHash: "-"));

            DataExportFeedStatus status = await ReadOne(Instance(), "products");

            Assert.Equal(DataExportState.Behind, status.State);
            Assert.Equal(4, status.ResyncScheduled);
        }

        [Fact]
        public async Task AnInvalidIndexerIsNotIndexedAndEveryItemWaits()
        {
            CurrentProductsFeed(indexerStatus: "invalid");
            Sql(ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 1, 12, 200));

            DataExportFeedStatus status = await ReadOne(Instance(), "products");

            Assert.Equal(DataExportState.NotIndexed, status.State);
            Assert.Equal(FeedIndexerStatus.ReindexRequired, status.IndexerStatus);
            Assert.Equal(12, status.Pending);
            Assert.Contains("indexer_reindex_all_invalid", status.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task UpdateOnSaveIsSaidWithTheCommandThatFixesIt()
        {
            CurrentProductsFeed(mode: "disabled");
            Sql(ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 1, 3, 200) + ExportTables.ChangelogRowsSql(Prefix, "cde_products_feed", 1, 3));

            DataExportFeedStatus status = await ReadOne(Instance(), "products");

            Assert.Equal(FeedIndexerMode.UpdateOnSave, status.IndexerMode);
            Assert.Equal(0, status.Pending);
            Assert.Contains("indexer:set-mode schedule catalog_data_exporter_products", status.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Exporters103Point0To103Point2KeepTheStatusInTheCatalogDataExporterTables()
        {
            Sql(ExportTables.FeedTableSql(Prefix, "catalog_data_exporter_products", FeedTableShape.ExporterWithStatus)
                + ExportTables.ChangelogSql(Prefix, "catalog_data_exporter_products")
                + ExportTables.IndexerStateSql(Prefix, "catalog_data_exporter_products", "catalog_data_exporter_products", version: 2)
                + ExportTables.OlderRowsSql(Prefix, "catalog_data_exporter_products", FeedTableShape.ExporterWithStatus, 1, 6, 200)
                + ExportTables.OlderRowsSql(Prefix, "catalog_data_exporter_products", FeedTableShape.ExporterWithStatus, 7, 2, 503, errors: "Service Unavailable")
                + ExportTables.ChangelogRowsSql(Prefix, "catalog_data_exporter_products", 1, 4));

            DataExportFeedStatus status = await ReadOne(Instance(), "products");

            Assert.Equal("103.0-103.2", status.Layout);
            Assert.Equal(Prefix + "catalog_data_exporter_products", status.Table);
            Assert.Equal(Prefix + "catalog_data_exporter_products_cl", status.ChangelogTable);
            Assert.Equal(ExportMode.Immediate, status.Mode);
            Assert.Equal(DataExportState.Failing, status.State);
            Assert.Equal((6L, 2L, 2L), (status.Exported, status.Retrying, status.Pending));
            Assert.Equal("7", status.FirstErrors[0].EntityId);
            Assert.Equal("sku=SKU-7, storeViewCode=default", status.FirstErrors[0].Item);
            Assert.Null(status.FirstErrors[0].RequestId);
        }

        [Fact]
        public async Task Exporters102AreKnownByTheirFlagRowsChangedAfterItWait()
        {
            Sql(ExportTables.FeedTableSql(Prefix, "catalog_data_exporter_products", FeedTableShape.CronSent)
                + ExportTables.IndexerStateSql(Prefix, "catalog_data_exporter_products", "catalog_data_exporter_products")
                + ExportTables.OlderRowsSql(Prefix, "catalog_data_exporter_products", FeedTableShape.CronSent, 1, 8, minutesAgo: 60)
                + ExportTables.OlderRowsSql(Prefix, "catalog_data_exporter_products", FeedTableShape.CronSent, 9, 1, deleted: true, minutesAgo: 60)
                + ExportTables.OlderRowsSql(Prefix, "catalog_data_exporter_products", FeedTableShape.CronSent, 10, 3, minutesAgo: 2)
                + ExportTables.FlagSql(Prefix, "products-feed-version", 30));

            DataExportFeedStatus status = await ReadOne(Instance(), "products");

            Assert.Equal("102.x", status.Layout);
            Assert.Equal(ExportMode.Legacy, status.Mode);
            Assert.Equal(DataExportState.Behind, status.State);
            Assert.Equal((12L, 8L, 1L, 3L), (status.Total, status.Exported, status.Deleted, status.Pending));
            Assert.InRange(DateTime.UtcNow - status.LastExported!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(32));
            Assert.Contains("changed since the feed was last sent by cron", status.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ACronSentFeedNeverSentHasEveryRowWaiting()
        {
            Sql(ExportTables.FeedTableSql(Prefix, "scopes_website_data_exporter", FeedTableShape.CronSent)
                + ExportTables.IndexerStateSql(Prefix, "scopes_website_data_exporter", "scopes_website_data_exporter")
                + ExportTables.OlderRowsSql(Prefix, "scopes_website_data_exporter", FeedTableShape.CronSent, 1, 2));

            DataExportFeedStatus status = await ReadOne(Instance("Magento_DataExporter", "Magento_ScopesDataExporter"), "scopesWebsite");

            Assert.Equal("legacy", status.Layout);
            Assert.Equal((DataExportState.Behind, 2L, 0L), (status.State, status.Pending, status.Exported));
            Assert.Null(status.LastExported);
        }

        [Fact]
        public async Task ACronSentFeedSentAfterItsLastChangeIsSynced()
        {
            Sql(ExportTables.FeedTableSql(Prefix, "scopes_customergroup_data_exporter", FeedTableShape.CronSent)
                + ExportTables.IndexerStateSql(Prefix, "scopes_customergroup_data_exporter", "scopes_customergroup_data_exporter")
                + ExportTables.OlderRowsSql(Prefix, "scopes_customergroup_data_exporter", FeedTableShape.CronSent, 1, 4, minutesAgo: 90)
                + ExportTables.FlagSql(Prefix, "scopes-customergroup-feed-version", 1));

            DataExportFeedStatus status = await ReadOne(Instance("Magento_DataExporter", "Magento_ScopesDataExporter"), "scopesCustomerGroup");

            Assert.Equal((DataExportState.Synced, 4L, 0L), (status.State, status.Exported, status.Pending));
        }

        [Fact]
        public async Task AMissingTableIsAFactNotAnError()
        {
            Sql(ExportTables.IndexerStateSql(Prefix, "catalog_data_exporter_categories", "cde_categories_feed"));

            DataExportFeedStatus status = await ReadOne(Instance(), "categories");

            Assert.Equal(DataExportState.NotIndexed, status.State);
            Assert.Null(status.Table);
            Assert.Contains(Prefix + "cde_categories_feed", status.Message, StringComparison.Ordinal);
            Assert.Contains("setup:upgrade", status.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task WithoutFeedsOnlyTheFeedsOfEnabledModulesAreRead()
        {
            CurrentProductsFeed();
            CommerceInstance instance = Instance("Magento_DataExporter", "Magento_CatalogDataExporter", "Magento_ProductPriceDataExporter");

            var statuses = await DataExportStatusReader.ReadAsync(instance, null, CancellationToken.None);

            Assert.Equal(new[] { "products", "productAttributes", "categories", "prices" }, statuses.Select(s => s.Feed));
            Assert.Equal(DataExportState.Synced, statuses[0].State);
            Assert.All(statuses.Skip(1), s => Assert.Equal(DataExportState.NotIndexed, s.State));
        }

        [Fact]
        public async Task ANamedFeedWhoseModuleIsNotEnabledIsNotInstalled()
        {
            CurrentProductsFeed();

            var statuses = await DataExportStatusReader.ReadAsync(Instance(), new[] { Feed("products"), Feed("orders") }, CancellationToken.None);

            Assert.Equal(DataExportState.Synced, statuses[0].State);
            Assert.Equal(DataExportState.NotInstalled, statuses[1].State);
            Assert.Contains("Magento_SalesOrdersDataExporter is not enabled", statuses[1].Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AnInstanceWithoutExportModulesIsNotInstalledWithoutTouchingItsDatabase()
        {
            // The database named in env.php does not exist: it is not needed to say that nothing exports.
            var sample = new SampleInstance { TablePrefix = Prefix, DatabaseHost = "127.0.0.1:1", DatabaseName = "none" };
            CommerceInstance instance = CommerceInstanceReader.Open(sample.WriteTo(Path.Combine(Folder.Path, "bare")));

            DataExportFeedStatus status = (await DataExportStatusReader.ReadAsync(instance, null, CancellationToken.None)).Single();

            Assert.Equal(string.Empty, status.Feed);
            Assert.Equal(DataExportState.NotInstalled, status.State);
            Assert.Contains("No SaaS data export module is enabled", status.Message, StringComparison.Ordinal);
            Assert.Contains("magento/saas-export", status.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ErrorTextsAreBoundedAndBrokenPayloadsStillNameTheEntity()
        {
            CurrentProductsFeed();
            Sql(ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 1, 1, 400, errors: new string('x', 5000), metadata: "not json"));
            Sql("UPDATE " + Prefix + "cde_products_feed SET feed_data = '{\"sku\":' WHERE source_entity_id = 1");

            FeedItemError error = (await ReadOne(Instance(), "products")).FirstErrors.Single();

            Assert.Equal(ExportStatusCodes.MaxErrorLength, error.Error!.Length);
            Assert.EndsWith("…", error.Error, StringComparison.Ordinal);
            Assert.Null(error.Item);
            Assert.Null(error.RequestId);
            Assert.Equal("1", error.EntityId);
        }

        [Fact]
        public async Task AFleetWithADatabaseEachOnOneServerHoldsTheConnectionsThatRunAtOnceNotOnePerDatabase()
        {
            // 20 instances, each with a database of its own on the test server, read one after the other.
            string Connections() => Server.Sql("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '" + MariaDbServer.User + "'").Trim();
            var instances = Enumerable.Range(1, 20).Select(i =>
            {
                var sample = new SampleInstance { TablePrefix = Prefix, EnabledModules = CatalogModules };
                sample.UseDatabase(Server, MagentoDatabase.Create(Server, Prefix));
                return CommerceInstanceReader.Open(sample.WriteTo(Path.Combine(Folder.Path, "fleet" + i)));
            }).ToList();
            await DataExportStatusReader.ReadAsync(instances[0], null, CancellationToken.None);
            int before = int.Parse(Connections(), System.Globalization.CultureInfo.InvariantCulture);

            foreach (CommerceInstance instance in instances)
            {
                Assert.Equal(3, (await DataExportStatusReader.ReadAsync(instance, null, CancellationToken.None)).Count);
            }

            // Pooled per server and user, the one connection is reused; pooled per database, 19 more would stay open for a minute.
            Assert.InRange(int.Parse(Connections(), System.Globalization.CultureInfo.InvariantCulture) - before, -20, 0);
        }

        [Fact]
        public async Task AnInstanceWhoseDatabaseIsDownThrowsDatabaseUnavailable()
        {
            var sample = new SampleInstance { TablePrefix = Prefix, DatabaseHost = "127.0.0.1:1", EnabledModules = CatalogModules };
            CommerceInstance instance = CommerceInstanceReader.Open(sample.WriteTo(Path.Combine(Folder.Path, "down")));

            await Assert.ThrowsAsync<DatabaseUnavailableException>(() => DataExportStatusReader.ReadAsync(instance, null, CancellationToken.None));
        }
    }
}
