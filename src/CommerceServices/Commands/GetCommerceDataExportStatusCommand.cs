using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.DataExport;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Get-CommerceDataExportStatus cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsCommon.Get, "CommerceDataExportStatus")]
    [OutputType(typeof(DataExportFeedStatus))]
    public sealed class GetCommerceDataExportStatusCommand : InstanceCmdlet
    {
        private readonly List<(CommerceInstance Instance, IReadOnlyList<ExportFeed>? Feeds)> collected = new List<(CommerceInstance, IReadOnlyList<ExportFeed>?)>();

        /// <summary>Only these feeds; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ExportFeedNameCompleter))]
        public string[]? Feed { get; set; }

        /// <summary>How many instances are read at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // A feed named outright is answered even when its module is not enabled (NotInstalled); one a wildcard matches only when it is.
            IReadOnlyList<ExportFeed>? named = Feed == null ? null : ExportFeedNames.Resolve(this, Feed.Where(name => !WildcardPattern.ContainsWildcardCharacters(name)), wildcards: false);
            IReadOnlyList<ExportFeed>? matched = Feed == null ? null : ExportFeedNames.Resolve(this, Feed.Where(WildcardPattern.ContainsWildcardCharacters), wildcards: true);
            foreach (CommerceInstance instance in ResolveInstances())
            {
                collected.Add((instance, Feed == null ? null : ExportFeeds.All.Where(feed => named!.Contains(feed) || (matched!.Contains(feed) && DataExportStatusReader.IsInstalled(instance, feed))).ToList()));
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            // Each instance's feeds come out together, instances as they finish.
            ForEachConcurrently(collected, ThrottleLimit, item =>
            {
                try
                {
                    IReadOnlyList<DataExportFeedStatus> statuses = RunOperation((debug, token) => DataExportStatusReader.ReadAsync(item.Instance, item.Feeds, token));
                    WriteObject(statuses, enumerateCollection: true);
                }
                catch (DatabaseUnavailableException ex)
                {
                    WriteError(ex, "DatabaseUnavailable", ErrorCategory.ConnectionError, item.Instance, "Run it where the instance's database is reachable; the export status is kept only there.");
                }
                catch (DataExportUnreadableException ex)
                {
                    WriteError(ex, "DataExportStatusUnreadable", ErrorCategory.ReadError, item.Instance);
                }
            });
            collected.Clear();
        }
    }
}
