namespace CommerceServices.DataExport
{
    /// <summary>What became of an item, by its stored status code.</summary>
    public enum ExportOutcome
    {
        Exported,
        Rejected,
        Retrying,
    }

    /// <summary>
    /// The status codes of feed rows in both eras: exporters from 103.3.19 store 200, 400, 1 and 2 only; earlier ones
    /// stored the raw HTTP code (401, 403, 429, 500, 503, …) or 0 for an application error (data-export.md §2.2).
    /// </summary>
    public static class ExportStatusCodes
    {
        /// <summary>How much of an item's error text is shown.</summary>
        public const int MaxErrorLength = 1000;

        /// <summary>
        /// 200 was accepted; 400 and 1 were rejected and are not sent again until their hash changes (the retry cron
        /// takes status NOT IN (200, 400, 1)); everything else is retried.
        /// </summary>
        public static ExportOutcome Classify(int code) => code switch
        {
            200 => ExportOutcome.Exported,
            400 => ExportOutcome.Rejected,
            1 => ExportOutcome.Rejected,
            _ => ExportOutcome.Retrying,
        };

        /// <summary>The labels of the exporter's status page for each code.</summary>
        public static string Meaning(int code) => code switch
        {
            200 => "Submitted to service",
            400 => "Data payload error",
            1 => "Client error (require attention)",
            2 => "Not accepted (to be retried)",
            0 => "Application error",
            -1 => "Dry run (not sent)",
            401 => "Unauthorized",
            403 => "Permission denied",
            429 => "Too many requests",
            _ when code >= 500 && code < 600 => "Server error " + code,
            _ => "Failed with code " + code,
        };
    }
}
