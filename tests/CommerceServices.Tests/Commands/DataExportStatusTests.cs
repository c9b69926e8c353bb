using static CommerceServices.Tests.Support.ConnectionReports;

namespace CommerceServices.Tests.Commands
{
    /// <summary>
    /// Get-CommerceDataExportStatus and Test-CommerceConnection's data export checks, on sample instances whose private
    /// MariaDB databases hold the export tables (<see cref="ExportTables"/>) seeded with each situation.
    /// </summary>
    public sealed class DataExportStatusTests : ShopTests
    {
        private static readonly string[] ExportModules = { "Magento_DataExporter", "Magento_CatalogDataExporter", "Magento_ProductPriceDataExporter" };

        public DataExportStatusTests(MariaDbFixture fixture)
            : base(fixture)
        {
        }

        private const string Prefix = "mg_";

        /// <summary>An instance exporting products, productAttributes, categories and prices (current layout, indexers valid, on schedule), cron running.</summary>
        private SampleShop ExportShop(string name)
        {
            SampleShop shop = Shop(name, new SampleInstance { TablePrefix = Prefix, EnabledModules = ExportModules });
            shop.Sql(ExportTables.StateTablesSql(Prefix));
            foreach (var (table, indexer) in new[] { ("cde_products_feed", "catalog_data_exporter_products"), ("cde_product_attributes_feed", "catalog_data_exporter_product_attributes"), ("cde_categories_feed", "catalog_data_exporter_categories"), ("cde_product_prices_feed", "catalog_data_exporter_product_prices") })
            {
                shop.Sql(ExportTables.FeedTableSql(Prefix, table, FeedTableShape.Feed) + ExportTables.ChangelogSql(Prefix, table) + ExportTables.IndexerStateSql(Prefix, indexer, table));
            }

            shop.Sql(ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 1, 40, 200, minutesAgo: 10)
                + ExportTables.FeedRowsSql(Prefix, "cde_product_attributes_feed", 1, 5, 200, minutesAgo: 10)
                + ExportTables.FeedRowsSql(Prefix, "cde_categories_feed", 1, 3, 200, minutesAgo: 10)
                + ExportTables.FeedRowsSql(Prefix, "cde_product_prices_feed", 1, 40, 200, minutesAgo: 10)
                + ExportTables.CronRunSql(Prefix, "indexer_update_all_views", 1)
                + ExportTables.CronRunSql(Prefix, "products_feed_resend_failed_items", 3));
            return shop;
        }

        private static (string Status, string Message, string? Remedy) Outcome(PSObject report, string name)
        {
            PSObject check = Check(report, name);
            return (check.Properties["Status"].Value.ToString()!, (string)check.Properties["Message"].Value, (string?)check.Properties["Remedy"].Value);
        }

        private static T Get<T>(object status, string property) => (T)PSObject.AsPSObject(status).Properties[property].Value;

        [Fact]
        public void AnInstanceWithoutExportModulesSaysPlainlyThatItExportsNothing()
        {
            Shop("bare");

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./bare; Get-CommerceDataExportStatus");

            Assert.Empty(run.Errors);
            object status = Assert.Single(run.Output);
            Assert.Equal(string.Empty, Get<string>(status, "Feed"));
            Assert.Equal("NotInstalled", Get<object>(status, "State").ToString());
            Assert.Contains("No SaaS data export module is enabled", Get<string>(status, "Message"), StringComparison.Ordinal);
        }

        [Fact]
        public void EachFeedOfTheEnabledModulesIsReportedInTheAdminsOrder()
        {
            SampleShop shop = ExportShop("shop");
            shop.Sql(ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 101, 2, 400, errors: "Invalid sku")
                + ExportTables.FeedRowsSql(Prefix, "cde_product_prices_feed", 101, 3, 2, errors: "Service Unavailable")
                + ExportTables.ChangelogRowsSql(Prefix, "cde_categories_feed", 1, 2));

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop; Get-CommerceDataExportStatus");

            Assert.Empty(run.Errors);
            Assert.Equal(new[] { "products", "productAttributes", "categories", "prices" }, run.Output.Select(s => Get<string>(s, "Feed")));
            Assert.Equal(new[] { "Failing", "Synced", "Behind", "Failing" }, run.Output.Select(s => Get<object>(s, "State").ToString()));
            Assert.Equal(2L, Get<long>(run.Output[0], "Rejected"));
            Assert.Equal(3L, Get<long>(run.Output[3], "Retrying"));
            Assert.Equal(2L, Get<long>(run.Output[2], "Pending"));
            Assert.Equal(40L, Get<long>(run.Output[0], "Exported"));
        }

        [Fact]
        public void FeedTakesNamesInAnyCaseAndWildcardsWhichMatchOnlyInstalledFeeds()
        {
            ExportShop("shop");

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop; (Get-CommerceDataExportStatus -Feed PRODUCTATTRIBUTES, orders).Feed; '--'; (Get-CommerceDataExportStatus -Feed 'pr*').Feed");

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "productAttributes", "orders", "--", "products", "productAttributes", "prices" }, run.Output);
        }

        [Fact]
        public void AnUnknownFeedIsAnInvalidInvocation()
        {
            ExportShop("shop");

            // Terminating: -ErrorAction SilentlyContinue does not hide it, and nothing is read.
            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop; Get-CommerceDataExportStatus -Feed products, product -ErrorAction SilentlyContinue");

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("DataExportFeedUnknown", Id(error));
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal("product", error.TargetObject);
            Assert.Contains("productAttributes", error.Exception.Message, StringComparison.Ordinal);
            Assert.Empty(run.Output);
        }

        [Fact]
        public void AnInstanceWhoseDatabaseIsDownIsAnErrorOfItsOwnAndTheOthersAreRead()
        {
            ExportShop("shop");
            new SampleInstance { DatabaseHost = "127.0.0.1:9", EnabledModules = ExportModules }.WriteTo(InstancePath("down"));

            ScriptResult run = Emulator.Run("$a = Connect-CommerceInstance ./down -PassThru; $b = Connect-CommerceInstance ./shop -PassThru; Get-CommerceDataExportStatus -Instance $a, $b -Feed products");

            Assert.Equal(new[] { "DatabaseUnavailable,CommerceServices.PowerShell.Commands.GetCommerceDataExportStatusCommand" }, run.ErrorIds);
            Assert.Equal(InstancePath("down"), PSObject.AsPSObject(run.Errors[0].TargetObject).Properties["Path"].Value);
            Assert.Equal("Synced", Get<object>(Assert.Single(run.Output), "State").ToString());
        }

        [Fact]
        public void ADatabaseUserWhoMayNotReadTheExportTablesGetsAReadErrorWithItsCause()
        {
            // env.php's user may read the state tables but only insert into the products feed (so it sees the table, not its rows).
            SampleShop shop = ExportShop("shop");
            string user = "limited_" + Guid.NewGuid().ToString("n")[..8];
            shop.Sql("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY '" + MariaDbServer.Password + "';"
                + string.Concat(new[] { "indexer_state", "mview_state", "flag", "cde_products_feed_cl" }.Select(t => "GRANT SELECT ON " + shop.Database + "." + Prefix + t + " TO '" + user + "'@'localhost';"))
                + "GRANT INSERT ON " + shop.Database + "." + Prefix + "cde_products_feed TO '" + user + "'@'localhost';");
            string env = Path.Combine(InstancePath("shop"), "app", "etc", "env.php");
            File.WriteAllText(env, File.ReadAllText(env).Replace("'username' => '" + MariaDbServer.User + "'", "'username' => '" + user + "'", StringComparison.Ordinal));

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop; Get-CommerceDataExportStatus -Feed products");

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("DataExportStatusUnreadable", Id(error));
            Assert.Equal(ErrorCategory.ReadError, error.CategoryInfo.Category);
            Assert.Contains("SELECT command denied", error.Exception.InnerException!.Message, StringComparison.Ordinal);
            Assert.Contains("may read them", error.Exception.Message, StringComparison.Ordinal);
            Assert.Empty(run.Output);
        }

        [Fact]
        public void AHealthyExportPassesEveryDataExportCheckAndTheConnectionIsJudgedApart()
        {
            ExportShop("shop");

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop; Test-CommerceConnection -Offline");

            Assert.Empty(run.Errors);
            PSObject report = PSObject.AsPSObject(Assert.Single(run.Output));
            foreach (string name in new[] { "DataExportCron", "DataExportIndexers", "DataExportFailedItems", "DataExportBacklog" })
            {
                Assert.Equal("Pass", Outcome(report, name).Status);
            }

            Assert.Equal("Skipped", Outcome(report, "DataExportDataSpace").Status);
            Assert.Equal(true, report.Properties["IsDataFlowing"].Value);
            Assert.Equal(false, report.Properties["IsConnected"].Value);
            Assert.Equal("DataExport", Check(report, "DataExportCron").Properties["Area"].Value.ToString());
            Assert.Matches("^indexer_update_all_views last succeeded \\d+ seconds ago", Outcome(report, "DataExportCron").Message);
        }

        [Fact]
        public void AStaleCronFailsAndANeverRunRetryJobWarns()
        {
            SampleShop stale = ExportShop("stale");
            stale.Sql("DELETE FROM " + Prefix + "cron_schedule; " + ExportTables.CronRunSql(Prefix, "indexer_update_all_views", 45) + ExportTables.CronRunSql(Prefix, "indexer_update_all_views", 2, "pending"));
            SampleShop retry = ExportShop("retry");
            retry.Sql("DELETE FROM " + Prefix + "cron_schedule WHERE job_code LIKE '%resend%'");
            SampleShop never = ExportShop("never");
            never.Sql("DELETE FROM " + Prefix + "cron_schedule");

            ScriptResult run = Emulator.Run("'stale', 'retry', 'never' | ForEach-Object { Connect-CommerceInstance \"./$_\" -PassThru } | Test-CommerceConnection -Offline");

            Assert.Empty(run.Errors);
            var (status, message, remedy) = Outcome(PSObject.AsPSObject(run.Output[0]), "DataExportCron");
            Assert.Equal("Fail", status);
            Assert.Matches("^indexer_update_all_views last succeeded 4\\d minutes ago .*: cron has stopped", message);
            Assert.Contains("cron:install", remedy, StringComparison.Ordinal);
            Assert.Equal("Warning", Outcome(PSObject.AsPSObject(run.Output[1]), "DataExportCron").Status);
            Assert.Contains("resync_failed_feeds_data_exporter", Outcome(PSObject.AsPSObject(run.Output[1]), "DataExportCron").Remedy, StringComparison.Ordinal);
            Assert.Equal("Fail", Outcome(PSObject.AsPSObject(run.Output[2]), "DataExportCron").Status);
            Assert.Contains("no successful run", Outcome(PSObject.AsPSObject(run.Output[2]), "DataExportCron").Message, StringComparison.Ordinal);
            Assert.Equal(false, PSObject.AsPSObject(run.Output[0]).Properties["IsDataFlowing"].Value);
            Assert.Contains("DataExportCron", (string[])PSObject.AsPSObject(run.Output[0]).Properties["Failed"].Value);
        }

        [Fact]
        public void InvalidIndexersUpdateOnSaveFailedItemsAndABacklogAreEachNamed()
        {
            SampleShop shop = ExportShop("shop");
            shop.Sql("UPDATE " + Prefix + "indexer_state SET status = 'invalid' WHERE indexer_id = 'catalog_data_exporter_categories';"
                + "UPDATE " + Prefix + "mview_state SET mode = 'disabled' WHERE view_id = 'cde_product_prices_feed';"
                + ExportTables.FeedRowsSql(Prefix, "cde_products_feed", 101, 1, 1, errors: "/0/name: must not be empty")
                + ExportTables.ChangelogRowsSql(Prefix, "cde_products_feed", 1, 1500));

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop; Test-CommerceConnection -Offline");

            PSObject report = PSObject.AsPSObject(Assert.Single(run.Output));
            var indexers = Outcome(report, "DataExportIndexers");
            Assert.Equal("Fail", indexers.Status);
            Assert.Contains("categories: reindex required", indexers.Message, StringComparison.Ordinal);
            Assert.Contains("prices: Update on Save", indexers.Message, StringComparison.Ordinal);
            Assert.Contains("indexer:set-mode schedule catalog_data_exporter_product_prices", indexers.Remedy, StringComparison.Ordinal);
            var failed = Outcome(report, "DataExportFailedItems");
            Assert.Equal("Fail", failed.Status);
            Assert.Contains("products: 1 rejected, 0 to be retried", failed.Message, StringComparison.Ordinal);
            Assert.Contains("sku=SKU-101, storeViewCode=default (1): /0/name: must not be empty", failed.Message, StringComparison.Ordinal);
            var backlog = Outcome(report, "DataExportBacklog");
            Assert.Equal("Warning", backlog.Status);
            Assert.Contains("products 1,500", backlog.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ItemsExportedBeforeTheDataSpaceChangedNeedAResync()
        {
            // The data space is chosen after the items went out (10 minutes ago); in 'moved', long before them.
            var keys = new Dictionary<string, object?>
            {
                ["production"] = Emulator.IssueKey("MAGE-EXPORT", "AdobeCommerce", "Production").BaseObject,
                ["sandbox"] = Emulator.IssueKey("MAGE-EXPORT", "AdobeCommerce", "Sandbox").BaseObject,
            };
            ExportShop("changed");
            SampleShop earlier = ExportShop("earlier");
            const string Provision = "$production | Set-CommerceApiKey; $sandbox | Set-CommerceApiKey; $null = New-SaasProject -Name 'Storefront'; Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false\n";
            Emulator.Run("Connect-CommerceInstance ./changed\n" + Provision, keys);
            Emulator.Run("Connect-CommerceInstance ./earlier\n" + Provision.Replace("'Testing 1'", "'Testing 2'", StringComparison.Ordinal), keys);
            earlier.Sql(ExportTables.Utc + "UPDATE " + Prefix + "core_config_data SET updated_at = UTC_TIMESTAMP() - INTERVAL 2 HOUR WHERE path = 'services_connector/services_id/environment_id'");

            ScriptResult run = Emulator.Run("'changed', 'earlier' | ForEach-Object { Connect-CommerceInstance \"./$_\" -PassThru } | Test-CommerceConnection -Offline");

            Assert.Empty(run.Errors);
            var changed = Outcome(PSObject.AsPSObject(run.Output[0]), "DataExportDataSpace");
            Assert.Equal("Fail", changed.Status);
            Assert.Contains("products 40, productAttributes 5, categories 3, prices 40", changed.Message, StringComparison.Ordinal);
            Assert.Equal("Resync the feeds: Start-CommerceDataExportResync -Feed products,productAttributes,categories,prices.", changed.Remedy);
            Assert.Equal("Pass", Outcome(PSObject.AsPSObject(run.Output[1]), "DataExportDataSpace").Status);
            Assert.Equal(true, PSObject.AsPSObject(run.Output[1]).Properties["IsConnected"].Value);
        }

        [Fact]
        public void WithoutExportModulesTheDataExportChecksAreSkippedAndNoDataFlows()
        {
            Shop("bare");

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./bare; Test-CommerceConnection -Offline");

            PSObject report = PSObject.AsPSObject(Assert.Single(run.Output));
            foreach (string name in new[] { "DataExportCron", "DataExportIndexers", "DataExportFailedItems", "DataExportBacklog", "DataExportDataSpace" })
            {
                Assert.Equal("Skipped", Outcome(report, name).Status);
                Assert.Contains("No SaaS data export module is enabled", Outcome(report, name).Message, StringComparison.Ordinal);
            }

            Assert.Equal(false, report.Properties["IsDataFlowing"].Value);
        }
    }
}
