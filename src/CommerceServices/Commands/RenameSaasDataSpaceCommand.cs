using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Gateway;
using CommerceServices.Saas;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Rename-SaasDataSpace cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsCommon.Rename, "SaasDataSpace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(SaasDataSpace))]
    public sealed class RenameSaasDataSpaceCommand : SaasRenameCmdlet<SaasDataSpace>
    {
        /// <summary>The data space to rename.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string DataSpaceId { get; set; } = string.Empty;

        /// <inheritdoc />
        protected override string Noun => "SaaS data space";

        /// <inheritdoc />
        protected override string TargetId => DataSpaceId;

        /// <inheritdoc />
        protected override Task<SaasDataSpace> RenameAsync(GatewayClient client, string id, string newName, CancellationToken token) =>
            client.RenameDataSpaceAsync(id, newName, token);
    }
}
