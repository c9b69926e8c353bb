using System.Management.Automation;

namespace CommerceServices.Emulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Stops Commerce Services gateway emulators.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "CommerceServicesEmulator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class StopCommerceServicesEmulatorCommand : PSCmdlet
    {
        private bool sawInput;

        /// <summary>The emulator to stop; without it, every emulator started with Start-CommerceServicesEmulator.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public GatewayEmulator[]? Emulator { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (Emulator == null)
            {
                return;
            }

            sawInput = true;
            foreach (GatewayEmulator emulator in Emulator)
            {
                Stop(emulator);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (!sawInput)
            {
                foreach (GatewayEmulator emulator in StartedEmulators.All())
                {
                    Stop(emulator);
                }
            }
        }

        private void Stop(GatewayEmulator emulator)
        {
            if (ShouldProcess(emulator.ToString(), "Stop"))
            {
                emulator.Stop();
                StartedEmulators.Remove(emulator);
            }
        }
    }
}
