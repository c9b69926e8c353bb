using System;
using System.Collections.Generic;
using CommerceServices.Instances;

namespace CommerceServices.DataExport
{
    /// <summary>How a feed stands, worst first in the order a sysadmin acts on it.</summary>
    public enum DataExportState
    {
        /// <summary>Every item the exporter knows was accepted by the service and nothing waits.</summary>
        Synced,

        /// <summary>Changes wait in the changelog (or a resync was scheduled, or a legacy feed has rows not sent yet): cron has not caught up.</summary>
        Behind,

        /// <summary>Items failed: rejected by the service, or waiting to be retried.</summary>
        Failing,

        /// <summary>The feed's table or indexer is missing, or its indexer needs a full reindex: nothing is known to be exported.</summary>
        NotIndexed,

        /// <summary>The module that exports the feed is not enabled on the instance.</summary>
        NotInstalled,
    }

    /// <summary>The indexer's mode: partial export needs Update by Schedule (mview_state.mode 'enabled').</summary>
    public enum FeedIndexerMode
    {
        Unknown,
        UpdateBySchedule,
        UpdateOnSave,
    }

    /// <summary>The indexer's state (indexer_state.status), in the Admin's words.</summary>
    public enum FeedIndexerStatus
    {
        /// <summary>There is no indexer_state row for the feed's indexer.</summary>
        Missing,

        /// <summary>valid</summary>
        Ready,

        /// <summary>invalid: the next indexer_reindex_all_invalid cron run exports everything again.</summary>
        ReindexRequired,

        /// <summary>working</summary>
        Processing,
    }

    /// <summary>
    /// One feed of one instance as its database tells it, read-only: the numbers of the Admin's Data Feed
    /// Sync Status page (System › Data Transfer), with the state they add up to and what to do about it.
    /// </summary>
    public sealed class DataExportFeedStatus
    {
        internal DataExportFeedStatus(CommerceInstance instance, string feed)
        {
            Instance = instance;
            Feed = feed;
        }

        public CommerceInstance Instance { get; }

        /// <summary>The feed's --feed name (products, prices, …); empty when the instance exports no feed at all.</summary>
        public string Feed { get; }

        public DataExportState State { get; internal set; }

        /// <summary>Immediate or Legacy as the tables found show it; null when no table was found.</summary>
        public ExportMode? Mode { get; internal set; }

        /// <summary>The feed table found (with the table prefix); null when there is none.</summary>
        public string? Table { get; internal set; }

        /// <summary>
        /// The exporter version the table's shape points to: "103.3.0+" (cde_*_feed), "103.0-103.2"
        /// (catalog_data_exporter_* with a status column), "102.x" (no status column: sent by cron, known from a
        /// flag), "legacy" (a feed that is still cron-sent today); null without a table.
        /// </summary>
        public string? Layout { get; internal set; }

        /// <summary>The changelog table found; null when there is none.</summary>
        public string? ChangelogTable { get; internal set; }

        /// <summary>Rows in the feed table.</summary>
        public long Total { get; internal set; }

        /// <summary>Items the service accepted (status 200, not deleted): the Admin's "Successfully Sent".</summary>
        public long Exported { get; internal set; }

        /// <summary>Deletions the service accepted (is_deleted = 1, status 200).</summary>
        public long Deleted { get; internal set; }

        /// <summary>Items that failed and that the *_resend_failed_items cron sends again (status 2, or a raw 0, 401, 403, 429, 5xx of exporters before 103.3.19).</summary>
        public long Retrying { get; internal set; }

        /// <summary>Items the service rejected (400, or 1 for an item refused inside a 200 answer): not sent again until the item changes or is resynced.</summary>
        public long Rejected { get; internal set; }

        /// <summary>
        /// Items waiting to be exported: entities in the changelog after the indexer's mview_state version ("Awaiting
        /// submission"), and, for feeds sent by cron, rows changed after the last send. Every row when a full reindex is required.
        /// </summary>
        public long Pending { get; internal set; }

        /// <summary>Items an Admin "Schedule Resync" reset (feed_hash '-') that the indexer has not exported again yet.</summary>
        public long ResyncScheduled { get; internal set; }

        public FeedIndexerMode IndexerMode { get; internal set; }

        public FeedIndexerStatus IndexerStatus { get; internal set; }

        /// <summary>When an item of the feed was last accepted (UTC, marked Z in the table); for feeds sent by cron, the last send.</summary>
        public DateTime? LastExported { get; internal set; }

        /// <summary>Rows per stored status code, with the code's meaning.</summary>
        public IReadOnlyList<FeedStatusCount> StatusCounts { get; internal set; } = Array.Empty<FeedStatusCount>();

        /// <summary>The first failed items (rejected ones first, newest first), each error cut to a bounded length.</summary>
        public IReadOnlyList<FeedItemError> FirstErrors { get; internal set; } = Array.Empty<FeedItemError>();

        /// <summary>The state in a sentence, with what to do about it.</summary>
        public string Message { get; internal set; } = string.Empty;

        public override string ToString() => (Feed.Length == 0 ? "(no feed)" : Feed) + ": " + State + " - " + Message;
    }

    /// <summary>How many rows of a feed hold one status code.</summary>
    public sealed class FeedStatusCount
    {
        internal FeedStatusCount(string feed, int code, long count)
        {
            Feed = feed;
            Code = code;
            Count = count;
        }

        public string Feed { get; }

        public int Code { get; }

        public long Count { get; }

        /// <summary>What the code means (the labels of the exporter's status page).</summary>
        public string Meaning => ExportStatusCodes.Meaning(Code);

        /// <summary>Whether the retry cron sends such items again.</summary>
        public bool Retried => ExportStatusCodes.Classify(Code) == ExportOutcome.Retrying;

        public override string ToString() => Feed + " " + Code + " (" + Meaning + "): " + Count;
    }

    /// <summary>One failed item of a feed.</summary>
    public sealed class FeedItemError
    {
        internal FeedItemError(string feed, int status, string? entityId, string? item, string? error, string? requestId, DateTime? modifiedAt)
        {
            Feed = feed;
            Status = status;
            EntityId = entityId;
            Item = item;
            Error = error;
            RequestId = requestId;
            ModifiedAt = modifiedAt;
        }

        public string Feed { get; }

        /// <summary>The stored status code.</summary>
        public int Status { get; }

        public string Meaning => ExportStatusCodes.Meaning(Status);

        /// <summary>The entity id in the source table (source_entity_id, or the older layouts' id column).</summary>
        public string? EntityId { get; }

        /// <summary>The item's identity from its payload, e.g. "sku=MH01, storeViewCode=default".</summary>
        public string? Item { get; }

        /// <summary>The service's or the exporter's error text, cut to <see cref="ExportStatusCodes.MaxErrorLength"/> characters.</summary>
        public string? Error { get; }

        /// <summary>The X-Request-Id of the request that sent it (metadata[0], exporter 103.4.4 and later), for a support ticket.</summary>
        public string? RequestId { get; }

        /// <summary>When the row was last written (UTC): the last export attempt.</summary>
        public DateTime? ModifiedAt { get; }

        public override string ToString() => Feed + " " + (Item ?? EntityId) + ": " + Status + " " + Error;
    }
}
