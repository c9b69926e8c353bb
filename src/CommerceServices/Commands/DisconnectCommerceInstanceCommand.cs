using System;
using System.Management.Automation;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Disconnect-CommerceInstance cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "CommerceInstance")]
    [OutputType(typeof(void))]
    public sealed class DisconnectCommerceInstanceCommand : CommerceCmdlet
    {
        private bool sawInput;

        /// <summary>The instances to forget; without it, the default instance.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public CommerceInstance[]? Instance { get; set; }

        /// <summary>Forget every instance of this session.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (Instance == null)
            {
                return;
            }

            sawInput = true;
            foreach (CommerceInstance instance in Instance)
            {
                Forget(instance);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (sawInput)
            {
                return;
            }

            CommerceInstance[] targets = All ? InstanceSessions.All() : (InstanceSessions.Default is CommerceInstance d ? new[] { d } : Array.Empty<CommerceInstance>());
            foreach (CommerceInstance instance in targets)
            {
                Forget(instance);
            }
        }

        private void Forget(CommerceInstance instance)
        {
            if (InstanceSessions.Remove(instance))
            {
                WriteVerbose("Disconnected from " + instance + ".");
            }
            else
            {
                WriteVerbose(instance + " was not connected in this session.");
            }
        }
    }
}
