using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Rules;
using CommerceServices.Saas;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// Set-CommerceDataSpace (user help: en-US/CommerceServices.dll-Help.xml). Asks the registry for the data
    /// space with the instance's own key pair, applies Magento's project check and the guard rails (R6, each
    /// instance its own data space; R7, the Production data space only on a Production instance; R8, no change
    /// of keys and of the Production data space in one session; see <see cref="DataSpaceGuardRails"/>),
    /// writes <see cref="SaasIdentifierChange.ToDataSpace"/> and makes the registry calls that follow
    /// (<see cref="DataSpaceRegistration"/>).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CommerceDataSpace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ConnectorSetting))]
    public sealed class SetCommerceDataSpaceCommand : SaasIdentifierCmdlet
    {
        /// <summary>The data space to choose.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string DataSpaceId { get; set; } = string.Empty;

        /// <summary>Also switch the instance to the data space's project when it has another one.</summary>
        [Parameter]
        public SwitchParameter SwitchProject { get; set; }

        /// <summary>
        /// The Adobe Commerce on Cloud project id the registry is told; else the instance's own
        /// (<see cref="CommerceInstance.CloudProjectId"/>, known when this runs in the Cloud application).
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidatePattern("^[A-Za-z0-9_-]+$")]
        public string? CloudProjectId { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // This record's values: with -ThrottleLimit, the instances are written after the last record.
            string dataSpaceId = DataSpaceId;
            Uri? gatewayUri = GatewayUri;
            bool switchProject = SwitchProject;
            string? cloudProjectId = string.IsNullOrEmpty(CloudProjectId) ? null : CloudProjectId;
            WriteEachInstance(instance => ChooseDataSpace(instance, dataSpaceId, gatewayUri, switchProject, cloudProjectId ?? instance.CloudProjectId));
        }

        private void ChooseDataSpace(CommerceInstance instance, string dataSpaceId, Uri? gatewayUri, bool switchProject, string? cloudProjectId)
        {
            // As Magento's own check on config import: the data space must be reachable with the
            // instance's keys and belong to the configured project.
            if (!Choice.TryAsk(instance, gatewayUri, (client, token) => client.GetDataSpaceAsync(dataSpaceId, token), dataSpaceId, out SaasDataSpace dataSpace, out AskedGateway? asked)
                || !Choice.TryReadCurrent(instance, out ConnectorSetting[]? current))
            {
                return;
            }

            GuardRailViolation? mismatch = SaasIdentifierChange.ProjectMismatch(instance, SaasIdentifierChoice.CurrentValue(current, ConnectorPaths.ProjectId), dataSpace, switchProject);
            if (mismatch != null)
            {
                WriteError(ErrorRecords.ForGuardRail(mismatch, dataSpace.DataSpaceId));
                return;
            }

            if (!Choice.GuardRailsAllow(instance, dataSpace))
            {
                return;
            }

            bool written = false;
            try
            {
                written = ChooseCheckedDataSpace(instance, dataSpace, current, cloudProjectId, asked!);
            }
            finally
            {
                if (!written)
                {
                    // Give back the claim of GuardRailsAllow: the instance still uses what it used.
                    SaasIdentifierChoice.RememberDataSpace(instance, SaasIdentifierChoice.CurrentValue(current, ConnectorPaths.DataSpaceId));
                }
            }
        }

        private bool ChooseCheckedDataSpace(CommerceInstance instance, SaasDataSpace dataSpace, ConnectorSetting[]? current, string? cloudProjectId, AskedGateway asked)
        {
            string? loss = Choice.ProductionLossAllowed(instance, current);
            IReadOnlyList<RegistryFollowUp> followUps = DataSpaceRegistration.For(instance, dataSpace.DataSpaceId, cloudProjectId);
            string registryCalls = followUps.Count == 0 ? string.Empty
                : " Then, as Magento does when a data space is saved, tell the registry: " + string.Join("; ", followUps.Select(f => f.RequestLine(asked.Routes) + " (" + f.Why + ")")) + ".";
            if (loss == null || !ShouldProcess(instance.Path, "Send its SaaS data to data space '" + dataSpace.Name + "' (" + dataSpace.Type + ", " + dataSpace.DataSpaceId + ") of project '" + dataSpace.ProjectName + "'." + loss + registryCalls))
            {
                return false;
            }

            if (!Choice.Write(instance, SaasIdentifierChange.ToDataSpace(dataSpace)))
            {
                return false;
            }

            SaasIdentifierChoice.RememberDataSpace(instance, dataSpace.DataSpaceId);
            Choice.SendFollowUps(instance, dataSpace, followUps, asked);
            if (DataSpaceRegistration.CloudProjectUnknown(instance, dataSpace.DataSpaceId, cloudProjectId) is string untold)
            {
                WriteWarning(untold);
            }

            return true;
        }
    }
}
