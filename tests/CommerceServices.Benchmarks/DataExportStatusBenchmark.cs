using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.DataExport;
using CommerceServices.Instances;
using CommerceServices.Testing;
using MySqlConnector;

namespace CommerceServices.Benchmarks
{
    /// <summary>
    /// Issue 15: Get-CommerceDataExportStatus over a fleet whose feed tables are full. One private MariaDB holds a
    /// database per instance (table prefix mg_), each a copy of one template with the current export tables
    /// (103.3.0+) holding <c>rows</c> feed rows in all, split over five feeds with a realistic status mix (mostly
    /// 200, some deleted, a few hundred rejected 400/1 with error texts, some 2 waiting for retry), a changelog
    /// backlog of a few thousand entries and the indexers valid on schedule. Each instance has its own Magento
    /// root (env.php naming its database) with the exporter modules enabled.
    /// Measured: the setup (template, then copies, two at a time), the status call alone in a new pwsh per
    /// -ThrottleLimit (1, 4, 8; three runs each; the statuses counted, not printed) with that process's peak
    /// resident memory, the core call in-process (DataExportStatusReader.ReadAsync, 8 instances at a time) with
    /// its GC allocations, and each of the reader's queries on one instance, timed, with its EXPLAIN.
    /// CS_BENCH_MODULE=other/out/CommerceServices/CommerceServices.psd1 measures another build in pwsh;
    /// CS_BENCH_BUFFER_POOL_MB sets the server's InnoDB buffer pool (default 1024); CS_BENCH_FEED_DATA_BYTES pads every
    /// feed_data to that many bytes (real payloads are kilobytes; the default leaves the ~45 bytes ExportTables writes).
    /// The query profile adds one query the reader does not run: the status counts and the resync count in one scan
    /// ("one-scan rewrite"), the rewrite this benchmark suggests.
    /// </summary>
    internal static class DataExportStatusBenchmark
    {
        private const string Prefix = "mg_";
        private const string Template = "cs_template";
        private const int Runs = 3;

        private static readonly string[] Modules = { "Magento_DataExporter", "Magento_CatalogDataExporter", "Magento_ProductPriceDataExporter", "Magento_InventoryDataExporter" };

        /// <summary>Each feed's rows and changelog backlog, per 100,000 rows in all.</summary>
        private static readonly (string Feed, int Rows, int Backlog)[] Mix =
        {
            ("products", 35000, 2000),
            ("prices", 35000, 1500),
            ("inventoryStockStatus", 20000, 800),
            ("productAttributes", 5000, 100),
            ("categories", 5000, 50),
        };

        private static string Module => Environment.GetEnvironmentVariable("CS_BENCH_MODULE") is { Length: > 0 } other ? Path.GetFullPath(other) : ModuleLocation.ManifestPath;

        private static string Database(int i) => "cs_i" + i.ToString("D4", CultureInfo.InvariantCulture);

        public static void Run(TextWriter output, int instances, int rows)
        {
            int bufferPool = Environment.GetEnvironmentVariable("CS_BENCH_BUFFER_POOL_MB") is { Length: > 0 } mb ? int.Parse(mb, CultureInfo.InvariantCulture) : 1024;
            int feedDataBytes = Environment.GetEnvironmentVariable("CS_BENCH_FEED_DATA_BYTES") is { Length: > 0 } bytes ? int.Parse(bytes, CultureInfo.InvariantCulture) : 0;
            output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "Data export status: {0} instances, {1:N0} feed rows each (5 feeds, feed_data {2}), each its own database on one private MariaDB (buffer pool {3} MB); {4} cores",
                instances, rows, feedDataBytes > 0 ? "padded to " + feedDataBytes.ToString(CultureInfo.InvariantCulture) + " bytes" : "~45 bytes", bufferPool, Environment.ProcessorCount));
            output.WriteLine("  module: " + Module);

            using MariaDbServer server = MariaDbServer.Start();
            server.Sql("SET GLOBAL innodb_buffer_pool_size = " + (bufferPool * 1048576L).ToString(CultureInfo.InvariantCulture));

            // MariaDB's default max_connections (151) stays: the module pools connections per server and credentials, so the
            // command holds about as many as run at once ('server connections' below), not one per instance's database.
            string maxConnections = server.Sql("SELECT @@max_connections").Trim();

            // The setup need not survive a crash: no log flush at each commit while it writes (back to the default before measuring).
            server.Sql("SET GLOBAL innodb_flush_log_at_trx_commit = 0");
            output.WriteLine("  " + server.Sql("SELECT VERSION()").Trim());
            using var folder = new TempFolder();
            string shops = Path.Combine(folder.Path, "shops");

            // 1. The template, then a copy per instance (two client connections at a time), then the Magento roots.
            var watch = Stopwatch.StartNew();
            server.Sql("CREATE DATABASE " + Template + " CHARACTER SET utf8mb4");
            server.Sql(TemplateSql(rows), Template);
            if (feedDataBytes > 0)
            {
                // Real payloads are kilobytes (a product's attributes, images, URLs); the helper writes ~45 bytes. Whitespace after the JSON keeps it valid.
                server.Sql(string.Concat(Mix.Select(m => "UPDATE " + Prefix + ExportFeeds.Find(m.Feed)!.Table + " SET feed_data = RPAD(feed_data, " + feedDataBytes.ToString(CultureInfo.InvariantCulture) + ", ' ');")), Template);
            }

            double templateSeconds = watch.Elapsed.TotalSeconds;
            string[] tables = server.Sql("SHOW TABLES", Template).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim()).ToArray();

            watch.Restart();
            Parallel.For(0, instances, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => server.Sql(CopySql(Database(i), tables)));
            double copySeconds = watch.Elapsed.TotalSeconds;

            watch.Restart();
            for (int i = 0; i < instances; i++)
            {
                // No system section in the files, so no configuration hash to store (and no PHP to run).
                new SampleInstance { TablePrefix = Prefix, FilesImported = false, EnabledModules = Modules }
                    .UseDatabase(server, Database(i))
                    .WriteTo(Path.Combine(shops, "shop" + i.ToString("D4", CultureInfo.InvariantCulture)));
            }

            double rootsSeconds = watch.Elapsed.TotalSeconds;
            server.Sql("SET GLOBAL innodb_flush_log_at_trx_commit = 1");
            double instanceMb = double.Parse(server.Sql(
                "SELECT SUM(data_length + index_length) / 1048576 FROM information_schema.TABLES WHERE table_schema = '" + Database(0) + "'").Trim(), CultureInfo.InvariantCulture);
            double diskMb = DirectoryBytes(Path.Combine(server.Folder, "data")) / 1048576.0;
            output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  setup: template {0:F1} s, copies {1:F1} s ({2:F2} s per instance, two at a time), Magento roots {3:F1} s; {4:F1} MB of tables per instance, server data folder {5:F0} MB",
                templateSeconds, copySeconds, copySeconds * 2 / instances, rootsSeconds, instanceMb, diskMb));

            // 2. As users run it: a new pwsh per -ThrottleLimit.
            output.WriteLine();
            output.WriteLine("  Get-CommerceDataExportStatus in pwsh (the status call alone, not import and connect; " + Runs + " runs per process;");
            output.WriteLine("  server connections: the most the server had open at once during the process, max_connections " + maxConnections + ")");
            output.WriteLine("    throttle   median      min      max   statuses   peak RSS after connect -> end   CPU (process)   server connections   runs");
            foreach (int throttle in new[] { 1, 4, 8 })
            {
                server.Sql("FLUSH STATUS");
                string json = RunPwsh(shops, throttle);
                string connections = MaxUsedConnections(server, asking: 0);   // pwsh has exited: only this client is open now
                using JsonDocument document = JsonDocument.Parse(json);
                JsonElement root = document.RootElement;
                var seconds = root.GetProperty("seconds").EnumerateArray().Select(s => s.GetDouble()).ToList();
                var counts = root.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()).Distinct().ToList();
                output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "    {0,8} {1,8:F2} s {2,6:F2} s {3,6:F2} s {4,10} {5,12:F0} MB -> {6,4:F0} MB {7,11:F1} s {9,20}   {8}",
                    throttle, Statistics.Median(seconds), seconds.Min(), seconds.Max(), string.Join("/", counts),
                    root.GetProperty("peakAfterConnect").GetInt64() / 1048576.0, root.GetProperty("peakResident").GetInt64() / 1048576.0,
                    root.GetProperty("cpuSeconds").GetDouble(), string.Join(", ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture))), connections));
                if (throttle == 1)
                {
                    output.WriteLine("             (import " + root.GetProperty("importSeconds").GetDouble().ToString("F1", CultureInfo.InvariantCulture) + " s, connect "
                        + root.GetProperty("connectSeconds").GetDouble().ToString("F1", CultureInfo.InvariantCulture) + " s; first instance: "
                        + string.Join(", ", root.GetProperty("firstInstance").EnumerateObject().Select(p => p.Name + " " + p.Value.GetString())) + ")");
                }
            }

            // 3. The core call in-process, 8 instances at a time: the cmdlet's overhead is the difference.
            output.WriteLine();
            output.WriteLine("  DataExportStatusReader.ReadAsync in-process, 8 instances at a time (instances opened from their roots beforehand)");
            var opened = Directory.GetDirectories(shops).OrderBy(d => d, StringComparer.Ordinal).Select(d => CommerceInstanceReader.Open(d)).ToList();
            var inProcess = new List<double>();
            server.Sql("FLUSH STATUS");
            for (int run = 1; run <= Runs; run++)
            {
                long allocated = GC.GetTotalAllocatedBytes(precise: true);
                watch.Restart();
                int statuses = ReadAll(opened, 8);
                double elapsed = watch.Elapsed.TotalSeconds;
                allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                inProcess.Add(elapsed);
                output.WriteLine(string.Format(CultureInfo.InvariantCulture, "    run {0}: {1,6:F2} s, {2} statuses, {3:F1} MB allocated ({4:F0} KB per instance)",
                    run, elapsed, statuses, allocated / 1048576.0, allocated / 1024.0 / instances));
            }

            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "    median {0:F2} s; server connections at most {1} (the pools of this process)", Statistics.Median(inProcess), MaxUsedConnections(server, asking: 1)));
            MySqlConnection.ClearAllPools();

            // 4. Where the time goes: each of the reader's queries on one instance.
            output.WriteLine();
            ProfileQueries(output, server, Database(0));
        }

        private static int ReadAll(IReadOnlyList<CommerceInstance> instances, int throttle)
        {
            using var gate = new SemaphoreSlim(throttle);
            var tasks = instances.Select(async instance =>
            {
                await gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    return (await DataExportStatusReader.ReadAsync(instance, null, CancellationToken.None).ConfigureAwait(false)).Count;
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            return Task.WhenAll(tasks).GetAwaiter().GetResult().Sum();
        }

        /// <summary>The template's tables and rows: the export tables of 103.3.0+ with the feed rows, changelogs and indexer states, and Magento's settings tables.</summary>
        private static string TemplateSql(int rows)
        {
            var sql = new StringBuilder();
            sql.Append(MagentoDatabase.TablesSql(Prefix)).Append(ExportTables.StateTablesSql(Prefix));
            int left = rows;
            for (int f = 0; f < Mix.Length; f++)
            {
                ExportFeed feed = ExportFeeds.Find(Mix[f].Feed) ?? throw new InvalidOperationException("No feed " + Mix[f].Feed);
                int count = f == Mix.Length - 1 ? left : (int)((long)Mix[f].Rows * rows / 100000);
                left -= count;
                int backlog = (int)((long)Mix[f].Backlog * rows / 100000);
                sql.Append(ExportTables.FeedTableSql(Prefix, feed.Table, FeedTableShape.Feed)).Append(ExportTables.ChangelogSql(Prefix, feed.Table));

                // The status mix: 3 % deleted, 0.3 % rejected (400), 0.1 % client errors (1), 0.5 % waiting for retry (2), the rest exported
                // (most by the full export three days ago, a tenth since).
                int deleted = count * 3 / 100, rejected = count * 3 / 1000, client = count / 1000, retry = count * 5 / 1000;
                int exported = count - deleted - rejected - client - retry;
                int recent = exported / 10;
                int next = 1;
                void Rows(int n, int status, bool isDeleted = false, string? errors = null, string? metadata = null, int minutesAgo = 10)
                {
                    if (n > 0)
                    {
                        sql.Append(ExportTables.FeedRowsSql(Prefix, feed.Table, next, n, status, isDeleted, errors, metadata, minutesAgo));
                        next += n;
                    }
                }

                Rows(exported - recent, 200, minutesAgo: 3 * 24 * 60);
                Rows(recent, 200, minutesAgo: 12);
                Rows(deleted, 200, isDeleted: true, minutesAgo: 2 * 24 * 60);
                Rows(rejected, 400, errors: RejectedError(feed), metadata: "[\"4f1c2b7e-9a0d-4d51-b1f5-2c8e6a3d9b10\"]", minutesAgo: 40);
                Rows(client, 1, errors: ClientError(feed), minutesAgo: 90);
                Rows(retry, 2, errors: "cURL error 28: Operation timed out after 30001 milliseconds with 0 bytes received (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for https://commerce.adobe.io/feeds/"
                    + feed.Name + "/v1/; the batch of 100 items will be sent again by the " + feed.Name + "_feed_resend_failed_items cron job.", minutesAgo: 4);

                // The changelog: processed entries (the view's version) and the backlog after them.
                int processed = Math.Max(1, count / 10);
                sql.Append(ExportTables.ChangelogRowsSql(Prefix, feed.Table, 1, processed + backlog));
                sql.Append(ExportTables.IndexerStateSql(Prefix, feed.IndexerId, feed.Table, "valid", "enabled", processed));
            }

            sql.Append(ExportTables.CronRunSql(Prefix, "indexer_update_all_views", 1)).Append(ExportTables.CronRunSql(Prefix, "indexer_reindex_all_invalid", 1))
                .Append(ExportTables.CronRunSql(Prefix, "products_feed_resend_failed_items", 3)).Append(ExportTables.CronRunSql(Prefix, "indexer_update_all_views", 0, "pending"));
            return sql.ToString();
        }

        private static string RejectedError(ExportFeed feed) =>
            "{\"message\":\"Invalid request: the " + feed.Name + " feed item was rejected by the service. Field 'attributes[3].values[0]' must be a string of at most 255 characters;"
            + " field 'shopperInputOptions[0].range.from' must be a number; field 'images[1].url' is not an absolute URL ('media/catalog/product/a/b/ab-1234.jpg')."
            + " Fix the product data in the Admin and save the product to export it again.\",\"code\":\"VALIDATION_ERROR\",\"status\":400}";

        private static string ClientError(ExportFeed feed) =>
            "Magento\\DataExporter\\Exception\\UnableSendData: the " + feed.Name + " feed item could not be prepared for sending: the payload of this item was too large"
            + " after serialization (2,347,201 bytes, the limit is 2,097,152 bytes). The item is not sent again until it changes; reduce the number of attribute values"
            + " or store views, then run bin/magento saas:resync --feed " + feed.Name + " --by-ids <id>.";

        /// <summary>One instance's database as a copy of the template: CREATE TABLE ... LIKE and INSERT ... SELECT per table, in one client call.</summary>
        private static string CopySql(string database, IEnumerable<string> tables)
        {
            var sql = new StringBuilder("CREATE DATABASE " + database + " CHARACTER SET utf8mb4; SET SESSION unique_checks = 0; SET SESSION foreign_key_checks = 0;");
            foreach (string table in tables)
            {
                sql.Append("CREATE TABLE ").Append(database).Append('.').Append(table).Append(" LIKE ").Append(Template).Append('.').Append(table).Append(';')
                    .Append("INSERT INTO ").Append(database).Append('.').Append(table).Append(" SELECT * FROM ").Append(Template).Append('.').Append(table).Append(';');
            }

            return sql.ToString();
        }

        private static string RunPwsh(string shops, int throttle)
        {
            string script = Path.Combine(AppContext.BaseDirectory, "Invoke-DataExportStatus.ps1");
            ProcessStartInfo start = Pwsh.StartInfo("-NoProfile", "-NonInteractive", "-File", script, "-Module", Module, "-Root", shops,
                "-ThrottleLimit", throttle.ToString(CultureInfo.InvariantCulture), "-Runs", Runs.ToString(CultureInfo.InvariantCulture));
            using Process pwsh = Process.Start(start) ?? throw new InvalidOperationException("pwsh did not start");
            var stderr = pwsh.StandardError.ReadToEndAsync();
            string stdout = pwsh.StandardOutput.ReadToEnd();
            pwsh.WaitForExit();
            if (pwsh.ExitCode != 0)
            {
                throw new InvalidOperationException("The status run failed (exit code " + pwsh.ExitCode + "):" + Environment.NewLine + stdout + stderr.Result);
            }

            return stdout.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("{", StringComparison.Ordinal));
        }

        /// <summary>The reader's queries for the largest feed of one instance (as DataExportStatusReader writes them), each timed (best of 5) with its EXPLAIN.</summary>
        private static void ProfileQueries(TextWriter output, MariaDbServer server, string database)
        {
            ExportFeed feed = ExportFeeds.Find("products")!;
            string table = "`" + Prefix + feed.Table + "`";
            long version = long.Parse(server.Sql("SELECT version_id FROM " + Prefix + "mview_state WHERE view_id = '" + feed.Table + "'", database).Trim(), CultureInfo.InvariantCulture);
            var queries = new (string Name, string Sql)[]
            {
                ("changelog backlog", "SELECT COUNT(DISTINCT entity_id) FROM `" + Prefix + feed.Table + "_cl` WHERE version_id > " + version),
                ("status counts", "SELECT status, is_deleted, COUNT(*), MAX(modified_at) FROM " + table + " GROUP BY 1, 2"),
                ("resync scheduled", "SELECT COUNT(*) FROM " + table + " WHERE feed_hash = '-'"),
                ("one-scan rewrite", "SELECT status, is_deleted, COUNT(*), MAX(modified_at), SUM(feed_hash = '-') FROM " + table + " GROUP BY 1, 2"),
                ("first errors", "SELECT status, source_entity_id, LEFT(feed_data, 4000), LEFT(errors, 1001), LEFT(metadata, 500), modified_at FROM " + table
                    + " WHERE status <> 200 ORDER BY status IN (400, 1) DESC, modified_at DESC LIMIT 10"),
            };
            int tableRows = int.Parse(server.Sql("SELECT COUNT(*) FROM " + table, database).Trim(), CultureInfo.InvariantCulture);
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  The reader's queries on one instance's {0} ({1:N0} rows), best of 5, over MySqlConnector:", Prefix + feed.Table, tableRows));
            var builder = new MySqlConnectionStringBuilder
            {
                Server = server.Socket,
                ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
                UserID = MariaDbServer.User,
                Password = MariaDbServer.Password,
                Database = database,
                Pooling = false,
            };
            using var connection = new MySqlConnection(builder.ConnectionString);
            connection.Open();
            foreach (var (name, sql) in queries)
            {
                double best = double.MaxValue;
                for (int i = 0; i < 5; i++)
                {
                    var watch = Stopwatch.StartNew();
                    using (var command = new MySqlCommand(sql, connection))
                    using (MySqlDataReader reader = command.ExecuteReader())
                    {
                        while (reader.Read())
                        {
                        }
                    }

                    best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
                }

                var plan = new List<string>();
                using (var command = new MySqlCommand("EXPLAIN " + sql, connection))
                using (MySqlDataReader reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        string Field(string column) => reader.IsDBNull(reader.GetOrdinal(column)) ? "-" : Convert.ToString(reader.GetValue(reader.GetOrdinal(column)), CultureInfo.InvariantCulture)!;
                        plan.Add("type=" + Field("type") + " key=" + Field("key") + " rows=" + Field("rows") + " extra=" + Field("Extra"));
                    }
                }

                output.WriteLine(string.Format(CultureInfo.InvariantCulture, "    {0,-18} {1,8:F1} ms   {2}", name, best, string.Join(" | ", plan)));
            }
        }

        /// <summary>Max_used_connections since the last FLUSH STATUS, less the client asking when the peak is now (the pools still open).</summary>
        private static string MaxUsedConnections(MariaDbServer server, int asking) =>
            (long.Parse(server.Sql("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'MAX_USED_CONNECTIONS'").Trim(), CultureInfo.InvariantCulture) - asking)
                .ToString(CultureInfo.InvariantCulture);

        private static long DirectoryBytes(string path) =>
            new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
    }
}
