using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace CommerceServices.Emulator.Commands
{
    /// <summary>
    /// Emulators started with Start-CommerceServicesEmulator, per runspace, so that
    /// Stop-CommerceServicesEmulator without arguments stops this runspace's emulators only.
    /// </summary>
    internal static class StartedEmulators
    {
        private static readonly ConditionalWeakTable<Runspace, List<GatewayEmulator>> ByRunspace = new ConditionalWeakTable<Runspace, List<GatewayEmulator>>();

        private static List<GatewayEmulator> Current => ByRunspace.GetValue(Runspace.DefaultRunspace, _ => new List<GatewayEmulator>());

        public static void Add(GatewayEmulator emulator)
        {
            List<GatewayEmulator> list = Current;
            lock (list)
            {
                list.Add(emulator);
            }
        }

        public static GatewayEmulator[] All()
        {
            List<GatewayEmulator> list = Current;
            lock (list)
            {
                return list.ToArray();
            }
        }

        public static void Remove(GatewayEmulator emulator)
        {
            List<GatewayEmulator> list = Current;
            lock (list)
            {
                list.Remove(emulator);
            }
        }
    }

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

    /// <summary>
    /// <para type="synopsis">Issues a key pair from the emulator's API Portal and saves the private key to a file.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CommerceServicesEmulatorKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(EmulatorKeyFile))]
    public sealed class NewCommerceServicesEmulatorKeyCommand : PSCmdlet
    {
        /// <summary>The emulator whose API Portal issues the pair.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public GatewayEmulator Emulator { get; set; } = null!;

        /// <summary>The account (MageID) the pair belongs to.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string MageId { get; set; } = string.Empty;

        /// <summary>The account's edition, which decides the data spaces of its new projects.</summary>
        [Parameter]
        public CommerceEdition Edition { get; set; } = CommerceEdition.AdobeCommerce;

        /// <summary>The gateway environments to issue pairs for.</summary>
        [Parameter]
        public EmulatorEnvironment[] Environment { get; set; } = { EmulatorEnvironment.Production };

        /// <summary>The folder the private key files are written to.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Directory { get; set; } = ".";

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string directory = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Directory);
            foreach (EmulatorEnvironment environment in Environment.Distinct())
            {
                if (!ShouldProcess(MageId + " " + environment, "Issue a new key pair (revokes the previous one)"))
                {
                    continue;
                }

                try
                {
                    WriteObject(KeyFileWriter.IssueInto(directory, MageId, environment, () => Emulator.IssueKeyPair(MageId, Edition, environment)));
                }
                catch (InvalidOperationException ex)
                {
                    WriteError(new ErrorRecord(ex, "EmulatorAccountEditionMismatch", ErrorCategory.InvalidArgument, MageId));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    WriteError(new ErrorRecord(ex, "EmulatorKeyFileNotWritten", ErrorCategory.WriteError, directory));
                }
            }
        }
    }
}
