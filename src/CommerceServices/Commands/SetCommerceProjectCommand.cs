using System;
using System.Management.Automation;
using CommerceServices.Instances;
using CommerceServices.Saas;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// Set-CommerceProject (user help: en-US/CommerceServices.dll-Help.xml). Asks the registry for the project
    /// with the instance's own key pair, applies R8 (no change of keys and of the Production data space of a
    /// live installation in one session) and writes <see cref="SaasIdentifierChange.ToProject"/>,
    /// which clears the data space as Magento does.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CommerceProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ConnectorSetting))]
    public sealed class SetCommerceProjectCommand : SaasIdentifierCmdlet
    {
        /// <summary>The project to choose.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ProjectId { get; set; } = string.Empty;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // This record's values: with -ThrottleLimit, the instances are written after the last record.
            string projectId = ProjectId;
            Uri? gatewayUri = GatewayUri;
            WriteEachInstance(instance => ChooseProject(instance, projectId, gatewayUri));
        }

        private void ChooseProject(CommerceInstance instance, string projectId, Uri? gatewayUri)
        {
            string? loss;
            if (!Choice.TryAsk(instance, gatewayUri, (client, token) => client.GetProjectAsync(projectId, token), projectId, out SaasProject project, out _)
                || !Choice.TryReadCurrent(instance, out ConnectorSetting[]? current)
                || (loss = Choice.ProductionLossAllowed(instance, current)) == null
                || !ShouldProcess(instance.Path, "Use SaaS project '" + project.Name + "' (" + project.ProjectId + ") and clear its data space until one is chosen with Set-CommerceDataSpace." + loss)
                || !Choice.Write(instance, SaasIdentifierChange.ToProject(project)))
            {
                return;
            }

            SaasIdentifierChoice.RememberDataSpace(instance, null);
            WriteWarning(instance.Path + " has no data space now: choose one of project '" + project.Name + "' with Get-SaasDataSpace -ProjectId " + project.ProjectId + " | Set-CommerceDataSpace.");
        }
    }
}
