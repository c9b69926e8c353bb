namespace CommerceServices.DataExport
{
    /// <summary>The options of one saas:resync run besides its feed (shared/reference/data-export.md §3).</summary>
    public sealed class DataExportResyncOptions
    {
        /// <summary>--no-reindex: legacy feeds resend what the feed table holds; immediate feeds reindex anyway.</summary>
        public bool NoReindex { get; set; }

        /// <summary>--dry-run: collects and logs the payloads without sending them.</summary>
        public bool DryRun { get; set; }

        /// <summary>--thread-count=N; null leaves the exporter's own setting.</summary>
        public int? ThreadCount { get; set; }

        /// <summary>--batch-size=N; null leaves the exporter's own setting.</summary>
        public int? BatchSize { get; set; }

        /// <summary>--by-ids=a,b,c: only these items (SKUs or ids), for feeds that support it (<see cref="ExportFeed.SupportsByIds"/>); null or empty for all.</summary>
        public string[]? ByIds { get; set; }
    }
}
