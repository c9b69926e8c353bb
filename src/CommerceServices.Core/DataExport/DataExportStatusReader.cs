using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Instances;
using CommerceServices.Stores;
using MySqlConnector;

namespace CommerceServices.DataExport
{
    /// <summary>
    /// Reads how each feed of an instance stands from the instance's database, read-only: the feed tables in
    /// every layout they have had, indexer_state, mview_state and the changelogs, and the flags of feeds sent by
    /// cron (queries: data-export.md §2.3). A table that does not exist is a fact of the answer, never an error.
    /// </summary>
    public static class DataExportStatusReader
    {
        /// <summary>How many failed items a feed's status carries.</summary>
        public const int ErrorsShown = 10;

        /// <summary>
        /// The feeds whose modules are enabled on the instance; with <paramref name="feeds"/>, those feeds, a feed
        /// whose module is not enabled answering <see cref="DataExportState.NotInstalled"/>. An instance that exports
        /// no feed at all answers one NotInstalled status with an empty feed name.
        /// </summary>
        /// <exception cref="DatabaseUnavailableException">The instance's database cannot be opened.</exception>
        /// <exception cref="DataExportUnreadableException">The database was opened, but its export tables could not be read.</exception>
        public static async Task<IReadOnlyList<DataExportFeedStatus>> ReadAsync(CommerceInstance instance, IReadOnlyCollection<ExportFeed>? feeds, CancellationToken cancellationToken)
        {
            IReadOnlyList<DataExportFeedStatus>? nothing = NothingInstalled(instance, feeds);
            if (nothing != null)
            {
                return nothing;
            }

            using (MySqlConnection connection = await InstanceDatabase.OpenAsync(instance, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    return await ReadAsync(instance, feeds, connection, cancellationToken).ConfigureAwait(false);
                }
                catch (MySqlException ex)
                {
                    throw new DataExportUnreadableException(instance.Path, ex);
                }
            }
        }

        /// <summary>
        /// As <see cref="ReadAsync(CommerceInstance, IReadOnlyCollection{ExportFeed}?, CancellationToken)"/>, on an open connection
        /// to the instance's database, for an instance that exports at least one of the feeds (the caller has answered the
        /// case where none is installed).
        /// </summary>
        internal static async Task<IReadOnlyList<DataExportFeedStatus>> ReadAsync(CommerceInstance instance, IReadOnlyCollection<ExportFeed>? feeds, MySqlConnection connection, CancellationToken cancellationToken)
        {
            var wanted = (feeds ?? ExportFeeds.All.Where(feed => IsInstalled(instance, feed)).ToList()).ToList();
            var database = new ExportDatabase(instance, connection);
            await database.LoadAsync(wanted, cancellationToken).ConfigureAwait(false);

            var statuses = new List<DataExportFeedStatus>();
            foreach (ExportFeed feed in wanted)
            {
                if (IsInstalled(instance, feed))
                {
                    var status = new DataExportFeedStatus(instance, feed.Name);
                    await database.ReadFeedAsync(feed, status, cancellationToken).ConfigureAwait(false);
                    statuses.Add(status);
                }
                else
                {
                    statuses.Add(NotInstalled(instance, feed));
                }
            }

            return statuses;
        }

        /// <summary>Whether the modules that export <paramref name="feed"/> are enabled.</summary>
        public static bool IsInstalled(CommerceInstance instance, ExportFeed feed) =>
            instance.IsModuleEnabled(ExportFeeds.DataExporterModule) && instance.IsModuleEnabled(feed.Module);

        /// <summary>Whether the instance exports any feed.</summary>
        public static bool ExportsAnyFeed(CommerceInstance instance) => ExportFeeds.All.Any(feed => IsInstalled(instance, feed));

        /// <summary>A feed whose module (or the exporter's base module) is not enabled on the instance.</summary>
        private static DataExportFeedStatus NotInstalled(CommerceInstance instance, ExportFeed feed)
        {
            string missing = instance.IsModuleEnabled(ExportFeeds.DataExporterModule) ? feed.Module : ExportFeeds.DataExporterModule;
            return new DataExportFeedStatus(instance, feed.Name)
            {
                State = DataExportState.NotInstalled,
                Message = missing + " is not enabled, so the " + feed.Name + " feed is not exported. Enable it where the service needs the feed: 'bin/magento module:enable " + feed.Module + "' and 'bin/magento setup:upgrade' (the modules come with magento/saas-export).",
            };
        }

        private static IReadOnlyList<DataExportFeedStatus>? NothingInstalled(CommerceInstance instance, IReadOnlyCollection<ExportFeed>? feeds)
        {
            if (feeds != null ? feeds.Any(feed => IsInstalled(instance, feed)) : ExportsAnyFeed(instance))
            {
                return null;
            }

            if (feeds != null)
            {
                return feeds.Select(feed => NotInstalled(instance, feed)).ToList();
            }

            return new[]
            {
                new DataExportFeedStatus(instance, string.Empty)
                {
                    State = DataExportState.NotInstalled,
                    Message = "No SaaS data export module is enabled (" + ExportFeeds.DataExporterModule + " and the feed modules are not in app/etc/config.php), so this instance exports nothing to Commerce Services. Live Search, Product Recommendations and Catalog Service need it: 'composer require magento/saas-export', then 'bin/magento setup:upgrade'.",
                },
            };
        }

        /// <summary>What one instance's database holds for the feeds: read once, then per feed.</summary>
        private sealed class ExportDatabase
        {
            private readonly CommerceInstance instance;
            private readonly MySqlConnection connection;
            private readonly string prefix;
            private Dictionary<string, HashSet<string>> columns = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
            private Dictionary<string, string> indexers = new Dictionary<string, string>(StringComparer.Ordinal);
            private Dictionary<string, (string Mode, long Version)> views = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
            private Dictionary<string, string?> flags = new Dictionary<string, string?>(StringComparer.Ordinal);

            public ExportDatabase(CommerceInstance instance, MySqlConnection connection)
            {
                this.instance = instance;
                this.connection = connection;
                prefix = instance.Database?.TablePrefix ?? string.Empty;
            }

            /// <summary>Which tables exist with which columns, the indexers' and views' states, and the legacy flags: four queries for all feeds.</summary>
            public async Task LoadAsync(IReadOnlyCollection<ExportFeed> feeds, CancellationToken cancellationToken)
            {
                // Magento keeps timestamps in UTC and reads them with time_zone +00:00; so do we.
                await ExecuteAsync("SET time_zone = '+00:00'", cancellationToken).ConfigureAwait(false);

                var tables = new List<string> { "indexer_state", "mview_state", "flag" };
                foreach (ExportFeed feed in feeds)
                {
                    tables.Add(feed.Table);
                    tables.Add(feed.Table + "_cl");
                    if (feed.OlderTable != null)
                    {
                        tables.Add(feed.OlderTable);
                        tables.Add(feed.OlderTable + "_cl");
                    }
                }

                using (MySqlCommand command = Command("SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (" + string.Join(", ", tables.Select((_, i) => "@t" + i)) + ")"))
                {
                    for (int i = 0; i < tables.Count; i++)
                    {
                        command.Parameters.AddWithValue("@t" + i, prefix + tables[i]);
                    }

                    using (MySqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            string table = reader.GetString(0).Substring(prefix.Length);
                            if (!columns.TryGetValue(table, out HashSet<string>? names))
                            {
                                columns[table] = names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                            }

                            names.Add(reader.GetString(1));
                        }
                    }
                }

                if (Exists("indexer_state"))
                {
                    using (MySqlCommand command = Command("SELECT indexer_id, status FROM " + Table("indexer_state")))
                    using (MySqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            indexers[reader.GetString(0)] = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
                        }
                    }
                }

                if (Exists("mview_state"))
                {
                    using (MySqlCommand command = Command("SELECT view_id, mode, version_id FROM " + Table("mview_state")))
                    using (MySqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            views[reader.GetString(0)] = (reader.IsDBNull(1) ? string.Empty : reader.GetString(1), reader.IsDBNull(2) ? 0 : Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture));
                        }
                    }
                }

                string[] flagCodes = feeds.Where(feed => feed.LegacyFlag != null).Select(feed => feed.LegacyFlag!).Distinct().ToArray();
                if (Exists("flag") && flagCodes.Length > 0)
                {
                    using (MySqlCommand command = Command("SELECT flag_code, flag_data FROM " + Table("flag") + " WHERE flag_code IN (" + string.Join(", ", flagCodes.Select((_, i) => "@f" + i)) + ")"))
                    {
                        for (int i = 0; i < flagCodes.Length; i++)
                        {
                            command.Parameters.AddWithValue("@f" + i, flagCodes[i]);
                        }

                        using (MySqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                        {
                            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                            {
                                flags[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
                            }
                        }
                    }
                }
            }

            public async Task ReadFeedAsync(ExportFeed feed, DataExportFeedStatus status, CancellationToken cancellationToken)
            {
                // The current table first: after 103.3.0 the old one is dropped, but a half-finished upgrade may leave both.
                string? table = Exists(feed.Table) ? feed.Table : feed.OlderTable != null && Exists(feed.OlderTable) ? feed.OlderTable : null;
                if (table == null)
                {
                    status.State = DataExportState.NotIndexed;
                    status.IndexerStatus = IndexerStatusOf(feed);
                    status.Message = "The feed table " + prefix + feed.Table + (feed.OlderTable != null ? " (or " + prefix + feed.OlderTable + " of exporters before 103.3.0)" : string.Empty) + " does not exist although " + feed.Module + " is enabled: the module's schema was not installed. Run 'bin/magento setup:upgrade' on the instance.";
                    return;
                }

                HashSet<string> tableColumns = columns[table];
                bool hasStatus = tableColumns.Contains("status");
                string viewId = table;
                status.Table = prefix + table;
                status.Mode = hasStatus ? ExportMode.Immediate : ExportMode.Legacy;
                status.Layout = table == feed.Table
                    ? (feed.Mode == ExportMode.Legacy ? "legacy" : "103.3.0+")
                    : hasStatus ? "103.0-103.2" : "102.x";
                status.IndexerStatus = IndexerStatusOf(feed);
                status.IndexerMode = views.TryGetValue(viewId, out var view)
                    ? (view.Mode == "enabled" ? FeedIndexerMode.UpdateBySchedule : FeedIndexerMode.UpdateOnSave)
                    : Exists("mview_state") ? FeedIndexerMode.UpdateOnSave : FeedIndexerMode.Unknown;

                string? changelog = Exists(viewId + "_cl") ? viewId + "_cl" : null;
                status.ChangelogTable = changelog == null ? null : prefix + changelog;
                if (changelog != null && status.IndexerMode == FeedIndexerMode.UpdateBySchedule)
                {
                    status.Pending = await ScalarAsync("SELECT COUNT(DISTINCT entity_id) FROM " + Table(changelog) + " WHERE version_id > @version", cancellationToken, ("@version", view.Version)).ConfigureAwait(false);
                }

                if (hasStatus)
                {
                    await ReadStatusesAsync(feed, table, tableColumns, status, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await ReadCronSentAsync(feed, table, tableColumns, status, cancellationToken).ConfigureAwait(false);
                }

                Judge(feed, status);
            }

            /// <summary>Immediate feeds: each row's status says what became of it.</summary>
            private async Task ReadStatusesAsync(ExportFeed feed, string table, HashSet<string> tableColumns, DataExportFeedStatus status, CancellationToken cancellationToken)
            {
                bool hasDeleted = tableColumns.Contains("is_deleted");
                var counts = new SortedDictionary<int, long>();
                DateTime? lastExported = null;
                using (MySqlCommand command = Command("SELECT status, " + (hasDeleted ? "is_deleted" : "0") + ", COUNT(*), MAX(modified_at) FROM " + Table(table) + " GROUP BY 1, 2"))
                using (MySqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        int code = reader.IsDBNull(0) ? 0 : Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
                        bool deleted = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) != 0;
                        long count = reader.GetInt64(2);
                        counts[code] = (counts.TryGetValue(code, out long before) ? before : 0) + count;
                        status.Total += count;
                        switch (ExportStatusCodes.Classify(code))
                        {
                            case ExportOutcome.Exported:
                                if (deleted)
                                {
                                    status.Deleted += count;
                                }
                                else
                                {
                                    status.Exported += count;
                                }

                                DateTime? last = Utc(reader, 3);
                                if (last != null && (lastExported == null || last > lastExported))
                                {
                                    lastExported = last;
                                }

                                break;
                            case ExportOutcome.Rejected:
                                status.Rejected += count;
                                break;
                            default:
                                status.Retrying += count;
                                break;
                        }
                    }
                }

                status.LastExported = lastExported;
                status.StatusCounts = counts.Select(pair => new FeedStatusCount(feed.Name, pair.Key, pair.Value)).ToList();
                if (tableColumns.Contains("feed_hash"))
                {
                    status.ResyncScheduled = await ScalarAsync("SELECT COUNT(*) FROM " + Table(table) + " WHERE feed_hash = '-'", cancellationToken).ConfigureAwait(false);
                }

                if (status.Rejected + status.Retrying > 0)
                {
                    status.FirstErrors = await FirstErrorsAsync(feed, table, tableColumns, cancellationToken).ConfigureAwait(false);
                }
            }

            /// <summary>Feeds sent by cron: the rows changed after the feed's flag was last saved are not sent yet.</summary>
            private async Task ReadCronSentAsync(ExportFeed feed, string table, HashSet<string> tableColumns, DataExportFeedStatus status, CancellationToken cancellationToken)
            {
                DateTime? sent = feed.LegacyFlag != null && flags.TryGetValue(feed.LegacyFlag, out string? data) ? FlagTime(data) : null;
                status.LastExported = sent;
                bool hasDeleted = tableColumns.Contains("is_deleted");
                using (MySqlCommand command = Command("SELECT " + (hasDeleted ? "is_deleted" : "0") + ", " + (sent == null ? "1" : "modified_at > @sent") + ", COUNT(*) FROM " + Table(table) + " GROUP BY 1, 2"))
                {
                    if (sent != null)
                    {
                        command.Parameters.AddWithValue("@sent", sent.Value);
                    }

                    using (MySqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            bool deleted = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture) != 0;
                            bool waiting = reader.IsDBNull(1) || Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) != 0;
                            long count = reader.GetInt64(2);
                            status.Total += count;
                            if (waiting)
                            {
                                status.Pending += count;
                            }
                            else if (deleted)
                            {
                                status.Deleted += count;
                            }
                            else
                            {
                                status.Exported += count;
                            }
                        }
                    }
                }
            }

            private async Task<IReadOnlyList<FeedItemError>> FirstErrorsAsync(ExportFeed feed, string table, HashSet<string> tableColumns, CancellationToken cancellationToken)
            {
                string? idColumn = new[] { "source_entity_id", "id", "product_id", "sku" }.FirstOrDefault(tableColumns.Contains);
                string Column(string name, int length) => tableColumns.Contains(name) ? "LEFT(" + name + ", " + length + ")" : "NULL";
                string sql = "SELECT status, " + (idColumn ?? "NULL") + ", " + Column("feed_data", 4000) + ", " + Column("errors", ExportStatusCodes.MaxErrorLength + 1) + ", " + Column("metadata", 500) + ", modified_at"
                    + " FROM " + Table(table) + " WHERE status <> 200"
                    + " ORDER BY status IN (400, 1) DESC, modified_at DESC LIMIT " + ErrorsShown;
                var errors = new List<FeedItemError>();
                using (MySqlCommand command = Command(sql))
                using (MySqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        string? error = reader.IsDBNull(3) ? null : reader.GetString(3);
                        if (error != null && error.Length > ExportStatusCodes.MaxErrorLength)
                        {
                            error = error.Substring(0, ExportStatusCodes.MaxErrorLength - 1) + "…";
                        }

                        errors.Add(new FeedItemError(
                            feed.Name,
                            Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture),
                            reader.IsDBNull(1) ? null : Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture),
                            reader.IsDBNull(2) ? null : Identity(feed, reader.GetString(2)),
                            string.IsNullOrEmpty(error) ? null : error,
                            reader.IsDBNull(4) ? null : RequestId(reader.GetString(4)),
                            Utc(reader, 5)));
                    }
                }

                return errors;
            }

            private FeedIndexerStatus IndexerStatusOf(ExportFeed feed) =>
                !indexers.TryGetValue(feed.IndexerId, out string? state) ? FeedIndexerStatus.Missing
                : state == "valid" ? FeedIndexerStatus.Ready
                : state == "working" ? FeedIndexerStatus.Processing
                : FeedIndexerStatus.ReindexRequired;

            private bool Exists(string table) => columns.ContainsKey(table);

            private string Table(string table) => "`" + (prefix + table).Replace("`", "``") + "`";

            private MySqlCommand Command(string sql) => new MySqlCommand(sql, connection);

            private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
            {
                using (MySqlCommand command = Command(sql))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
            {
                using (MySqlCommand command = Command(sql))
                {
                    foreach (var (name, value) in parameters)
                    {
                        command.Parameters.AddWithValue(name, value);
                    }

                    object? result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    return result == null || result is DBNull ? 0 : Convert.ToInt64(result, CultureInfo.InvariantCulture);
                }
            }
        }

        /// <summary>
        /// How many items of a feed read by <see cref="ReadAsync(CommerceInstance, IReadOnlyCollection{ExportFeed}?, MySqlConnection, CancellationToken)"/>
        /// were last exported before <paramref name="moment"/> (UTC): accepted rows last written before it, and for feeds sent by
        /// cron, rows last changed before it and before the feed's last send.
        /// </summary>
        internal static async Task<long> ExportedBeforeAsync(DataExportFeedStatus feed, DateTime moment, MySqlConnection connection, CancellationToken cancellationToken)
        {
            if (feed.Table == null || (feed.Mode == ExportMode.Legacy && feed.LastExported == null))
            {
                return 0;
            }

            DateTime until = feed.Mode == ExportMode.Legacy && feed.LastExported < moment ? feed.LastExported.Value : moment;
            string table = "`" + feed.Table.Replace("`", "``") + "`";
            using (var command = new MySqlCommand("SELECT COUNT(*) FROM " + table + " WHERE modified_at < @moment" + (feed.Mode == ExportMode.Immediate ? " AND status = 200" : string.Empty), connection))
            {
                command.Parameters.AddWithValue("@moment", until);
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }
        }

        /// <summary>The state the numbers add up to, worst first, and the sentence that says what to do.</summary>
        internal static void Judge(ExportFeed feed, DataExportFeedStatus status)
        {
            string resync = "Start-CommerceDataExportResync -Feed " + feed.Name;
            string mode = status.IndexerMode == FeedIndexerMode.UpdateOnSave
                ? " The indexer " + feed.IndexerId + " is on Update on Save, so changes are exported only by a full reindex: set it to Update by Schedule ('bin/magento indexer:set-mode schedule " + feed.IndexerId + "')."
                : string.Empty;
            if (status.IndexerStatus == FeedIndexerStatus.ReindexRequired || status.IndexerStatus == FeedIndexerStatus.Missing)
            {
                status.State = DataExportState.NotIndexed;
                status.Pending = Math.Max(status.Pending, status.Total);
                status.Message = (status.IndexerStatus == FeedIndexerStatus.Missing
                        ? "The indexer " + feed.IndexerId + " has no state (indexer_state): it has never run."
                        : "The indexer " + feed.IndexerId + " is invalid (reindex required): every item waits for a full export, which cron's indexer_reindex_all_invalid job starts.")
                    + " Check that cron runs, or export now with " + resync + "." + mode;
                return;
            }

            if (status.Rejected + status.Retrying > 0)
            {
                status.State = DataExportState.Failing;
                var parts = new List<string>();
                if (status.Rejected > 0)
                {
                    parts.Add(status.Rejected + " rejected by the service (not sent again until the item changes)");
                }

                if (status.Retrying > 0)
                {
                    parts.Add(status.Retrying + " failed and waiting for the retry cron (*_resend_failed_items, every 5 minutes)");
                }

                status.Message = string.Join("; ", parts) + " of " + status.Total + " items." + Remedy(feed, status) + mode;
                return;
            }

            if (status.Pending + status.ResyncScheduled > 0)
            {
                status.State = DataExportState.Behind;
                status.Message = (status.Pending > 0
                        ? status.Pending + " items wait to be exported" + (status.Mode == ExportMode.Legacy ? " (changed since the feed was last sent by cron)" : " (in the changelog, not yet processed by the indexer)")
                        : status.ResyncScheduled + " items were scheduled for resync and wait for the indexer")
                    + ". Cron exports them within minutes when it runs (Test-CommerceConnection checks it); more than 1,000 waiting for long points to a stuck cron." + mode;
                return;
            }

            status.State = DataExportState.Synced;
            status.Message = (status.Total == 0
                    ? "The feed table is empty: nothing was exported, and nothing waits."
                    : status.Exported + " items exported" + (status.Deleted > 0 ? " and " + status.Deleted + " deletions" : string.Empty) + ", nothing waits or failed.")
                + " Whether the data arrived is shown by the Admin's Data Management Dashboard." + mode;
        }

        /// <summary>What to do about the failed items, by what their codes say.</summary>
        private static string Remedy(ExportFeed feed, DataExportFeedStatus status)
        {
            var codes = new HashSet<int>(status.StatusCounts.Where(c => ExportStatusCodes.Classify(c.Code) != ExportOutcome.Exported).Select(c => c.Code));
            var remedies = new List<string>();
            if (codes.Contains(401) || codes.Contains(403))
            {
                remedies.Add("401/403: the gateway refused the keys; check them with Test-CommerceConnection, fix them with Set-CommerceApiKey, then Start-CommerceDataExportResync -Feed " + feed.Name);
            }

            if (codes.Contains(429))
            {
                remedies.Add("429: the service's rate limit was hit; lower commerce_data_export/feeds/" + feed.Name + "/thread_count");
            }

            if (codes.Contains(400) || codes.Contains(1))
            {
                remedies.Add("fix the data the errors name (FirstErrors; var/log/saas-export-errors.log), then resync those items with Start-CommerceDataExportResync -Feed " + feed.Name + (feed.SupportsByIds ? " -ById <ids>" : string.Empty));
            }

            if (codes.Any(c => c == 2 || c == 0 || c >= 500))
            {
                remedies.Add("retried items go out again by themselves when cron runs; if they keep failing, read var/log/saas-export-errors.log and commerce-data-export-errors.log");
            }

            return remedies.Count == 0 ? string.Empty : " " + Sentence(remedies);
        }

        /// <summary>Remedies joined into one sentence: "; " between them, the first letter in capitals, a full stop.</summary>
        internal static string Sentence(IEnumerable<string> remedies)
        {
            string text = string.Join("; ", remedies);
            return char.ToUpperInvariant(text[0]) + text.Substring(1) + ".";
        }

        /// <summary>The item's identity from its payload (the fields of <see cref="ExportFeed.Identity"/>), or null when the payload says none.</summary>
        internal static string? Identity(ExportFeed feed, string feedData)
        {
            if (feed.Identity.Count == 0 || feedData.Length == 0)
            {
                return null;
            }

            try
            {
                using (JsonDocument document = JsonDocument.Parse(feedData))
                {
                    if (document.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        return null;
                    }

                    var parts = new List<string>();
                    foreach (string field in feed.Identity)
                    {
                        if (document.RootElement.TryGetProperty(field, out JsonElement value) && value.ValueKind != JsonValueKind.Null)
                        {
                            string text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                            parts.Add(field + "=" + (text.Length > 200 ? text.Substring(0, 199) + "…" : text));
                        }
                    }

                    return parts.Count == 0 ? null : string.Join(", ", parts);
                }
            }
            catch (JsonException)
            {
                // A payload cut by LEFT(), or not JSON at all: the entity id still names the item.
                return null;
            }
        }

        /// <summary>metadata holds a JSON array whose first element is the request id (exporter 103.4.4 and later).</summary>
        internal static string? RequestId(string metadata)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(metadata))
                {
                    JsonElement root = document.RootElement;
                    JsonElement first = root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0 ? root[0]
                        : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("requestId", out JsonElement id) ? id
                        : default;
                    return first.ValueKind == JsonValueKind.String ? first.GetString() : null;
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>A legacy flag's time: flag_data is a JSON-encoded "Y-m-d H:i:s" in UTC.</summary>
        internal static DateTime? FlagTime(string? flagData)
        {
            if (string.IsNullOrWhiteSpace(flagData))
            {
                return null;
            }

            string text = flagData!.Trim();
            try
            {
                using (JsonDocument document = JsonDocument.Parse(text))
                {
                    if (document.RootElement.ValueKind == JsonValueKind.String)
                    {
                        text = document.RootElement.GetString()!;
                    }
                }
            }
            catch (JsonException)
            {
                // Written unencoded by some versions: the text itself is the time.
            }

            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime time)
                ? DateTime.SpecifyKind(time, DateTimeKind.Utc)
                : (DateTime?)null;
        }

        private static DateTime? Utc(MySqlDataReader reader, int ordinal) =>
            reader.IsDBNull(ordinal) ? (DateTime?)null : DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);
    }
}
