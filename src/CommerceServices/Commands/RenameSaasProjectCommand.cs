using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Gateway;
using CommerceServices.Saas;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Rename-SaasProject cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsCommon.Rename, "SaasProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(SaasProject))]
    public sealed class RenameSaasProjectCommand : SaasRenameCmdlet<SaasProject>
    {
        /// <summary>The project to rename.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ProjectId { get; set; } = string.Empty;

        /// <inheritdoc />
        protected override string Noun => "SaaS project";

        /// <inheritdoc />
        protected override string TargetId => ProjectId;

        /// <inheritdoc />
        protected override Task<SaasProject> RenameAsync(GatewayClient client, string id, string newName, CancellationToken token) =>
            client.RenameProjectAsync(id, newName, token);
    }
}
