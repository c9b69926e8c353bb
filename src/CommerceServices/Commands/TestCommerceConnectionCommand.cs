using System;
using System.Collections.Generic;
using System.Management.Automation;
using CommerceServices.Diagnostics;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Test-CommerceConnection cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "CommerceConnection")]
    [OutputType(typeof(CommerceConnectionReport))]
    [OutputType(typeof(bool))]
    public sealed class TestCommerceConnectionCommand : InstanceCmdlet
    {
        private const int ProgressId = 0x5C0;
        private readonly List<CommerceInstance> collected = new List<CommerceInstance>();

        /// <summary>Return only true or false per instance.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Skip the checks that call the gateway.</summary>
        [Parameter]
        public SwitchParameter Offline { get; set; }

        /// <summary>How many instances are tested at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>How long one gateway request may take, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 300)]
        public int TimeoutSec { get; set; } = 15;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (Instance != null)
            {
                collected.AddRange(ResolveInstances());
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (collected.Count == 0)
            {
                if (Instance != null)
                {
                    return;
                }

                collected.AddRange(ResolveInstances());
            }

            var options = new ConnectionTestOptions { Offline = Offline, ThrottleLimit = ThrottleLimit, RequestTimeout = TimeSpan.FromSeconds(TimeoutSec) };
            int total = collected.Count;
            IReadOnlyList<CommerceConnectionReport> reports = RunOperationWithProgress(
                (progress, token) => ConnectionTester.TestAsync(collected, options, progress, token),
                done => WriteProgress(new ProgressRecord(ProgressId, "Testing Commerce Services connections", done + " of " + total + " instances tested")
                {
                    PercentComplete = done * 100 / total,
                }));
            WriteProgress(new ProgressRecord(ProgressId, "Testing Commerce Services connections", "Done") { RecordType = ProgressRecordType.Completed });
            foreach (CommerceConnectionReport report in reports)
            {
                if (Quiet)
                {
                    WriteObject(report.IsConnected);
                }
                else
                {
                    WriteObject(report);
                }
            }
        }
    }
}
