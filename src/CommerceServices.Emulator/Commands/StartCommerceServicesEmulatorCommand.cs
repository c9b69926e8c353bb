using System;
using System.IO;
using System.Management.Automation;

namespace CommerceServices.Emulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Starts a local Commerce Services gateway emulator on free loopback ports.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "CommerceServicesEmulator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(GatewayEmulator))]
    public sealed class StartCommerceServicesEmulatorCommand : PSCmdlet
    {
        /// <summary>A JSON file to keep the state in and resume from.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StatePath { get; set; }

        /// <summary>The production gateway's port; 0 picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int ProductionPort { get; set; }

        /// <summary>The sandbox gateway's port; 0 picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int SandboxPort { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            string? state = StatePath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(StatePath);
            if (!ShouldProcess("loopback ports " + (ProductionPort == 0 ? "(free)" : ProductionPort.ToString()) + " and " + (SandboxPort == 0 ? "(free)" : SandboxPort.ToString()), "Start the Commerce Services gateway emulator"))
            {
                return;
            }

            try
            {
                GatewayEmulator emulator = GatewayEmulator.Start(new EmulatorOptions { StatePath = state, ProductionPort = ProductionPort, SandboxPort = SandboxPort });
                StartedEmulators.Add(emulator);
                WriteVerbose(emulator.ToString());
                WriteObject(emulator);
            }
            catch (Exception ex) when (ex is System.Net.HttpListenerException || ex is IOException || ex is System.Text.Json.JsonException || ex is System.Net.Sockets.SocketException)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("The Commerce Services emulator could not start: " + ex.Message + " Choose other ports, or check the state file.", ex),
                    "EmulatorStartFailed",
                    ErrorCategory.ResourceUnavailable,
                    state));
            }
        }
    }
}
