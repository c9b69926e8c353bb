using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.State;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// Test-CommerceServicesState (user help: en-US/CommerceServices.dll-Help.xml): compares instances with a desired
    /// state (<see cref="CommerceServicesStateComparison"/>) from their settings alone, without asking the gateway,
    /// and says for each whether it matches and what differs.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CommerceServicesState", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CommerceServicesStateReport), typeof(bool))]
    public sealed class TestCommerceServicesStateCommand : InstanceCmdlet
    {
        private const string PathSet = "Path";
        private const string StateSet = "State";
        private DesiredStateInput? input;

        /// <summary>The desired state files: PowerShell data files (.psd1) or JSON; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>The desired state as a table, with the keys of a state file.</summary>
        [Parameter(Mandatory = true, ParameterSetName = StateSet)]
        [ValidateNotNull]
        public IDictionary? State { get; set; }

        /// <summary>The secrets the state names with PrivateKeySecret, by name, as SecureStrings.</summary>
        [Parameter]
        public IDictionary? Secret { get; set; }

        /// <summary>Write only True or False per instance.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            input = new DesiredStateInput(this);
            input.CheckSecrets(Secret);
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (CommerceServicesState state in input!.Read(ParameterSetName == PathSet ? Path : null, State))
            {
                IReadOnlyList<CommerceInstance> instances = input.InstancesOf(state, Instance);
                if (instances.Count == 0)
                {
                    continue;
                }

                Dictionary<GatewayEnvironment, ApiKeyPair>? pairs = input.ReadKeyPairs(state, Secret);
                if (pairs == null)
                {
                    continue;
                }

                try
                {
                    foreach (CommerceInstance instance in instances)
                    {
                        Compare(state, instance, pairs);
                    }
                }
                finally
                {
                    foreach (ApiKeyPair pair in pairs.Values)
                    {
                        pair.Dispose();
                    }
                }
            }
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                input?.CloseOpened();
            }

            base.Dispose(disposing);
        }

        private void Compare(CommerceServicesState state, CommerceInstance instance, IReadOnlyDictionary<GatewayEnvironment, ApiKeyPair> pairs)
        {
            if (!(input!.ReadCurrent(instance, " cannot be compared with its desired state") is IReadOnlyList<ConnectorSetting> current))
            {
                return;
            }

            var report = new CommerceServicesStateReport(instance, state.Source, CommerceServicesStateComparison.Compare(state, instance, current, pairs));
            WriteVerbose(report.ToString());
            WriteObject(Quiet ? (object)report.InDesiredState : report);
        }
    }
}
