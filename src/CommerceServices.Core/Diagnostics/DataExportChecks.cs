using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.DataExport;
using CommerceServices.Instances;
using CommerceServices.Stores;
using CommerceServices.Stores.Backups;
using MySqlConnector;

namespace CommerceServices.Diagnostics
{
    /// <summary>
    /// Test-CommerceConnection's checks of the data export (R15): does cron run, are the feed indexers on Update by
    /// Schedule and valid, did items fail, does a backlog build up, and did the data space change after items were
    /// exported. All local: they read the instance's database, so -Offline keeps them.
    /// </summary>
    internal static class DataExportChecks
    {
        /// <summary>The names of the checks, in the order they are reported.</summary>
        public static readonly string[] Names = { "DataExportCron", "DataExportIndexers", "DataExportFailedItems", "DataExportBacklog", "DataExportDataSpace" };

        /// <summary>More waiting items than this is a warning (the Admin's Data Feed Sync Status page says the same).</summary>
        public const int BacklogWarning = 1000;

        /// <summary>indexer_update_all_views runs every minute; not having run for this long means cron does not run.</summary>
        public static readonly TimeSpan CronStale = TimeSpan.FromMinutes(15);

        /// <summary>The *_resend_failed_items jobs run every 5 minutes.</summary>
        public static readonly TimeSpan RetryStale = TimeSpan.FromMinutes(30);

        public static async Task<IReadOnlyList<ConnectionCheck>> CheckAsync(CommerceInstance instance, IReadOnlyList<ConnectorSetting> settings, MySqlConnection? connection, CancellationToken cancellationToken)
        {
            if (!DataExportStatusReader.ExportsAnyFeed(instance))
            {
                return Skipped("No SaaS data export module is enabled (" + ExportFeeds.DataExporterModule + " and a feed module), so the instance exports nothing to Commerce Services; Get-CommerceDataExportStatus says the same.");
            }

            if (connection == null)
            {
                return Skipped("The data export is kept in the instance's database, which could not be read.");
            }

            try
            {
                IReadOnlyList<DataExportFeedStatus> feeds = await DataExportStatusReader.ReadAsync(instance, null, connection, cancellationToken).ConfigureAwait(false);
                return new[]
                {
                    await CronCheckAsync(instance, feeds, connection, cancellationToken).ConfigureAwait(false),
                    IndexersCheck(feeds),
                    FailedItemsCheck(feeds),
                    BacklogCheck(feeds),
                    await DataSpaceCheckAsync(instance, settings, feeds, connection, cancellationToken).ConfigureAwait(false),
                };
            }
            catch (MySqlException ex)
            {
                // The connection checks stand; only what the export tables would have said is unknown.
                string message = new DataExportUnreadableException(instance.Path, ex).Message;
                return Names.Select(name => Check(name, CheckStatus.Warning, message)).ToList();
            }
        }

        private static IReadOnlyList<ConnectionCheck> Skipped(string why) =>
            Names.Select(name => Check(name, CheckStatus.Skipped, why)).ToList();

        private static ConnectionCheck Check(string name, CheckStatus status, string message, string? remedy = null) =>
            new ConnectionCheck(name, status, message, remedy, CheckArea.DataExport);

        /// <summary>Partial export and the retry of failed items both run from cron: cron_schedule says when each job last succeeded.</summary>
        private static async Task<ConnectionCheck> CronCheckAsync(CommerceInstance instance, IReadOnlyList<DataExportFeedStatus> feeds, MySqlConnection connection, CancellationToken cancellationToken)
        {
            const string Name = "DataExportCron";
            const string IndexJob = "indexer_update_all_views";
            const string RunCron = "Make sure Magento's cron runs every minute as the owner of the files ('bin/magento cron:install', or the crontab line '* * * * * php bin/magento cron:run'), and look at var/log/magento.cron.log.";
            var lastRuns = new Dictionary<string, (DateTime At, long SecondsAgo)>(StringComparer.Ordinal);
            try
            {
                using (var command = new MySqlCommand(
                    "SELECT job_code, MAX(COALESCE(finished_at, executed_at)), TIMESTAMPDIFF(SECOND, MAX(COALESCE(finished_at, executed_at)), UTC_TIMESTAMP())"
                    + " FROM " + InstanceDatabase.Table(instance, "cron_schedule")
                    + " WHERE status = 'success' AND (job_code IN ('indexer_update_all_views', 'indexer_reindex_all_invalid') OR job_code LIKE '%resend\\_failed\\_items')"
                    + " GROUP BY job_code", connection))
                using (MySqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (!reader.IsDBNull(1))
                        {
                            lastRuns[reader.GetString(0)] = (DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture));
                        }
                    }
                }
            }
            catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.NoSuchTable)
            {
                return Check(Name, CheckStatus.Fail, "The instance's database has no cron_schedule table, so cron has never run here.", RunCron);
            }

            if (!lastRuns.TryGetValue(IndexJob, out var index))
            {
                return Check(Name, CheckStatus.Fail, "cron_schedule has no successful run of " + IndexJob + ": cron does not run (or its history was cleaned), so changes are not exported and failed items are not retried.", RunCron);
            }

            string indexText = IndexJob + " last succeeded " + Ago(index.SecondsAgo) + " (" + index.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC)";
            if (index.SecondsAgo > CronStale.TotalSeconds)
            {
                return Check(Name, CheckStatus.Fail, indexText + ": cron has stopped, so changes are not exported and failed items are not retried.", RunCron);
            }

            bool retrying = feeds.Any(f => f.Mode == ExportMode.Immediate);
            var retryRuns = lastRuns.Where(r => r.Key.EndsWith("resend_failed_items", StringComparison.Ordinal)).ToList();
            if (retrying && retryRuns.Count == 0)
            {
                return Check(Name, CheckStatus.Warning, indexText + ", but no *_resend_failed_items job has ever succeeded, so failed items are not sent again.", "Check that the cron group resync_failed_feeds_data_exporter runs (it runs in its own process: 'bin/magento cron:run --group resync_failed_feeds_data_exporter' shows why not).");
            }

            var staleRetries = retryRuns.Where(r => r.Value.SecondsAgo > RetryStale.TotalSeconds).Select(r => r.Key + " (" + Ago(r.Value.SecondsAgo) + ")").ToList();
            if (retrying && staleRetries.Count == retryRuns.Count)
            {
                return Check(Name, CheckStatus.Warning, indexText + ", but the retry jobs have not succeeded for a while: " + string.Join(", ", staleRetries) + ".", "Check that the cron group resync_failed_feeds_data_exporter runs: 'bin/magento cron:run --group resync_failed_feeds_data_exporter'.");
            }

            return Check(Name, CheckStatus.Pass, indexText + (retryRuns.Count > 0 ? "; the retry of failed items ran " + Ago(retryRuns.Min(r => r.Value.SecondsAgo)) : string.Empty) + ".");
        }

        private static ConnectionCheck IndexersCheck(IReadOnlyList<DataExportFeedStatus> feeds)
        {
            const string Name = "DataExportIndexers";
            var problems = new List<string>();
            var remedies = new List<string>();
            foreach (DataExportFeedStatus feed in feeds)
            {
                ExportFeed definition = ExportFeeds.Find(feed.Feed)!;
                if (feed.Table == null)
                {
                    problems.Add(feed.Feed + ": no feed table");
                    remedies.Add("run 'bin/magento setup:upgrade' (the feed tables of enabled modules are missing)");
                }
                else if (feed.IndexerStatus == FeedIndexerStatus.Missing || feed.IndexerStatus == FeedIndexerStatus.ReindexRequired)
                {
                    problems.Add(feed.Feed + ": " + (feed.IndexerStatus == FeedIndexerStatus.Missing ? "never indexed" : "reindex required"));
                    remedies.Add("let cron's indexer_reindex_all_invalid run, or Start-CommerceDataExportResync -Feed " + feed.Feed);
                }

                if (feed.IndexerMode == FeedIndexerMode.UpdateOnSave)
                {
                    problems.Add(feed.Feed + ": Update on Save");
                    remedies.Add("'bin/magento indexer:set-mode schedule " + definition.IndexerId + "'");
                }
            }

            return problems.Count == 0
                ? Check(Name, CheckStatus.Pass, "The indexers of " + feeds.Count + " feeds are valid and on Update by Schedule.")
                : Check(Name, CheckStatus.Fail, "Feed indexers that do not export changes: " + string.Join("; ", problems) + ".", DataExportStatusReader.Sentence(remedies.Distinct()));
        }

        private static ConnectionCheck FailedItemsCheck(IReadOnlyList<DataExportFeedStatus> feeds)
        {
            const string Name = "DataExportFailedItems";
            DataExportFeedStatus[] failing = feeds.Where(f => f.Rejected + f.Retrying > 0).ToArray();
            if (failing.Length == 0)
            {
                return Check(Name, CheckStatus.Pass, "No item of " + feeds.Count + " feeds failed.");
            }

            string counts = string.Join("; ", failing.Select(f => f.Feed + ": " + f.Rejected + " rejected, " + f.Retrying + " to be retried"));
            FeedItemError? first = failing.SelectMany(f => f.FirstErrors).FirstOrDefault(e => e.Error != null);
            return Check(Name, CheckStatus.Fail, "Items failed to export (" + counts + ")." + (first == null ? string.Empty : " First error: " + first.Feed + " " + (first.Item ?? first.EntityId) + " (" + first.Status + "): " + first.Error),
                "Get-CommerceDataExportStatus -Feed " + string.Join(",", failing.Select(f => f.Feed)) + " shows the errors and what to do; after fixing the cause, Start-CommerceDataExportResync sends them again.");
        }

        private static ConnectionCheck BacklogCheck(IReadOnlyList<DataExportFeedStatus> feeds)
        {
            const string Name = "DataExportBacklog";
            DataExportFeedStatus[] behind = feeds.Where(f => f.Pending > BacklogWarning).ToArray();
            long waiting = feeds.Sum(f => f.Pending);
            return behind.Length == 0
                ? Check(Name, CheckStatus.Pass, waiting == 0 ? "Nothing waits to be exported." : waiting + " items wait to be exported, within what cron exports in a few runs.")
                : Check(Name, CheckStatus.Warning, "More than " + BacklogWarning.ToString("N0", CultureInfo.InvariantCulture) + " items wait to be exported: " + string.Join(", ", behind.Select(f => f.Feed + " " + f.Pending.ToString("N0", CultureInfo.InvariantCulture))) + ".", "A backlog that does not shrink means cron or the indexers are stuck (see DataExportCron and DataExportIndexers); a large catalog change also causes one, which cron works off.");
        }

        /// <summary>
        /// Items exported before the data space changed went to the old data space; their hash did not change, so
        /// they are not sent to the new one by themselves (the docs and the KB: resync after changing the data space).
        /// </summary>
        private static async Task<ConnectionCheck> DataSpaceCheckAsync(CommerceInstance instance, IReadOnlyList<ConnectorSetting> settings, IReadOnlyList<DataExportFeedStatus> feeds, MySqlConnection connection, CancellationToken cancellationToken)
        {
            const string Name = "DataExportDataSpace";
            ConnectorSetting dataSpace = settings.Single(s => s.Path == ConnectorPaths.DataSpaceId);
            if (string.IsNullOrEmpty(dataSpace.Value))
            {
                return Check(Name, CheckStatus.Skipped, "No data space is chosen.");
            }

            DateTime? changed = await DataSpaceChangedAsync(instance, dataSpace, connection, cancellationToken).ConfigureAwait(false);
            if (changed == null)
            {
                return Check(Name, CheckStatus.Skipped, "When the data space was chosen is not known here (it is set in " + dataSpace.Layer + " and no backup of this module records its change).");
            }

            var before = new List<(string Feed, long Count)>();
            foreach (DataExportFeedStatus feed in feeds.Where(f => f.Table != null))
            {
                long count = await DataExportStatusReader.ExportedBeforeAsync(feed, changed.Value, connection, cancellationToken).ConfigureAwait(false);
                if (count > 0)
                {
                    before.Add((feed.Feed, count));
                }
            }

            string when = changed.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
            return before.Count == 0
                ? Check(Name, CheckStatus.Pass, "No item was exported before the data space was last chosen (" + when + ").")
                : Check(Name, CheckStatus.Fail, "The data space changed at " + when + ", after items had been exported to the previous one (" + string.Join(", ", before.Select(b => b.Feed + " " + b.Count)) + "): the service's new data space lacks them, and unchanged items are not sent again by themselves.",
                    "Resync the feeds: Start-CommerceDataExportResync -Feed " + string.Join(",", before.Select(b => b.Feed)) + ".");
        }

        /// <summary>When the data space setting was last written: its core_config_data row's updated_at, or the newest backup of this module whose write changed it.</summary>
        private static async Task<DateTime?> DataSpaceChangedAsync(CommerceInstance instance, ConnectorSetting dataSpace, MySqlConnection connection, CancellationToken cancellationToken)
        {
            if (dataSpace.Layer == ConfigLayer.Database)
            {
                using (var command = new MySqlCommand("SELECT updated_at FROM " + InstanceDatabase.Table(instance, "core_config_data") + " WHERE scope = 'default' AND scope_id = 0 AND path = @path", connection))
                {
                    command.Parameters.AddWithValue("@path", ConnectorPaths.DataSpaceId);
                    object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    return value is DateTime at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : (DateTime?)null;
                }
            }

            try
            {
                return ConfigBackupReader.Files(instance)
                    .Select(file => ConfigBackupReader.Read(instance, file))
                    .Where(backup => backup.ChangedPaths != null && backup.ChangedPaths.Contains(ConnectorPaths.DataSpaceId))
                    .Select(backup => (DateTime?)backup.TakenAt.UtcDateTime)
                    .FirstOrDefault();
            }
            catch (Exception ex) when (ex is ConfigBackupUnreadableException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                // The backups cannot say when: the check is Skipped with its reason rather than the report lost.
                return null;
            }
        }

        private static string Ago(long seconds) =>
            seconds < 120 ? seconds + " seconds ago"
            : seconds < 7200 ? (seconds / 60) + " minutes ago"
            : seconds < 172800 ? (seconds / 3600) + " hours ago"
            : (seconds / 86400) + " days ago";

    }
}
