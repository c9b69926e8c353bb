using System.Management.Automation;
using CommerceServices.Keys;
using CommerceServices.Saas;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Renames a SaaS data space. Only its label changes.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Rename, "SaasDataSpace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(SaasDataSpace))]
    public sealed class RenameSaasDataSpaceCommand : SaasCmdlet
    {
        /// <summary>The data space to rename.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string DataSpaceId { get; set; } = string.Empty;

        /// <summary>The new name.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 255)]
        public string NewName { get; set; } = string.Empty;

        /// <summary>Write the renamed data space.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ApiKeyPair? keyPair = ResolveKeyPair();
            if (keyPair == null || !ShouldProcess("SaaS data space " + DataSpaceId + " in " + Where(keyPair), "Rename to '" + NewName.Trim() + "'"))
            {
                return;
            }

            if (TryCall(keyPair, (client, token) => client.RenameDataSpaceAsync(DataSpaceId, NewName.Trim(), token), DataSpaceId, out SaasDataSpace dataSpace))
            {
                WriteVerbose("Renamed SaaS data space " + dataSpace.DataSpaceId + " to '" + dataSpace.Name + "'.");
                if (PassThru)
                {
                    WriteObject(dataSpace);
                }
            }
        }
    }
}
