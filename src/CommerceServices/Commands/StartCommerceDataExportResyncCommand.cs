using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.DataExport;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// Start-CommerceDataExportResync (user help: en-US/CommerceServices.dll-Help.xml): runs 'bin/magento
    /// saas:resync' for each feed on each instance (<see cref="DataExportResync"/>), its output as progress, or says
    /// what to run on the host when it cannot run here.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "CommerceDataExportResync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DataExportResyncResult))]
    public sealed class StartCommerceDataExportResyncCommand : InstanceCmdlet
    {
        private const int ProgressId = 0x5C2;

        /// <summary>The instances; also taken by property name, so objects with Feed and Instance properties bind both.</summary>
        [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public override CommerceInstance[]? Instance
        {
            get => base.Instance;
            set => base.Instance = value;
        }

        /// <summary>The feeds to resync, by their saas:resync --feed names.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ExportFeedNameCompleter))]
        public string[] Feed { get; set; } = Array.Empty<string>();

        /// <summary>--no-reindex.</summary>
        [Parameter]
        public SwitchParameter NoReindex { get; set; }

        /// <summary>--dry-run.</summary>
        [Parameter]
        public SwitchParameter DryRun { get; set; }

        /// <summary>--thread-count.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? ThreadCount { get; set; }

        /// <summary>--batch-size.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? BatchSize { get; set; }

        /// <summary>--by-ids.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? ById { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var options = new DataExportResyncOptions { NoReindex = NoReindex, DryRun = DryRun, ThreadCount = ThreadCount, BatchSize = BatchSize, ByIds = ById };
            IReadOnlyList<ExportFeed> feeds = ExportFeedNames.Resolve(this, Feed, wildcards: false);
            foreach (ExportFeed feed in feeds)
            {
                try
                {
                    DataExportResync.Validate(feed, options);
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(ErrorRecords.ForResyncOptions(ex, feed));
                    return;
                }
            }

            foreach (CommerceInstance instance in ResolveInstances())
            {
                foreach (ExportFeed feed in feeds)
                {
                    Resync(new DataExportResync(instance, feed, options));
                }
            }
        }

        private void Resync(DataExportResync resync)
        {
            InvalidOperationException? refusal = resync.Refusal();
            if (refusal != null)
            {
                WriteError(ErrorRecords.ForResync(refusal, resync.Instance));
                return;
            }

            if (!ShouldProcess(resync.Instance.Path, "Run '" + resync.Command + "'"))
            {
                return;
            }

            WriteVerbose("Running '" + resync.Command + "' in " + resync.Instance.Path + ".");
            string activity = "Resyncing " + resync.Feed.Name + " of " + resync.Instance.Path;
            int percent = -1;
            DataExportResyncResult result;
            try
            {
                result = RunOperation(
                    (outputLine, token) => resync.RunAsync(outputLine, token),
                    line =>
                    {
                        percent = DataExportResync.PercentOf(line) ?? percent;
                        WriteProgress(new ProgressRecord(ProgressId, activity, line) { PercentComplete = percent });
                        WriteVerbose(line);
                    });
            }
            catch (Exception ex) when (ErrorRecords.IsInstanceFailure(ex))
            {
                CompleteProgress(activity);
                WriteError(ErrorRecords.ForResync(ex, resync.Instance));
                return;
            }

            CompleteProgress(activity);
            if (result.Succeeded)
            {
                WriteObject(result);
            }
            else
            {
                WriteError(ErrorRecords.ForResync(resync.FailureOf(result), resync.Instance));
            }
        }

        private void CompleteProgress(string activity) =>
            WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
    }
}
