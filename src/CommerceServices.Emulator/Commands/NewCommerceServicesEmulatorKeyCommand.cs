using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace CommerceServices.Emulator.Commands
{
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
