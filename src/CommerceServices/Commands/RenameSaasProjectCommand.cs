using System.Management.Automation;
using CommerceServices.Keys;
using CommerceServices.Saas;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Renames a SaaS project. Only its label changes.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Rename, "SaasProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(SaasProject))]
    public sealed class RenameSaasProjectCommand : SaasCmdlet
    {
        /// <summary>The project to rename.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ProjectId { get; set; } = string.Empty;

        /// <summary>The new name.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 255)]
        public string NewName { get; set; } = string.Empty;

        /// <summary>Write the renamed project.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ApiKeyPair? keyPair = ResolveKeyPair();
            if (keyPair == null || !ShouldProcess("SaaS project " + ProjectId + " in " + Where(keyPair), "Rename to '" + NewName.Trim() + "'"))
            {
                return;
            }

            if (TryCall(keyPair, (client, token) => client.RenameProjectAsync(ProjectId, NewName.Trim(), token), ProjectId, out SaasProject project))
            {
                WriteVerbose("Renamed SaaS project " + project.ProjectId + " to '" + project.Name + "'.");
                if (PassThru)
                {
                    WriteObject(project);
                }
            }
        }
    }
}
