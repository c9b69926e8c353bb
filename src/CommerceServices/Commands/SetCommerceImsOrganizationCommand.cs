using System.Management.Automation;
using CommerceServices.Config;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// Set-CommerceImsOrganization (user help: en-US/CommerceServices.dll-Help.xml): writes or clears
    /// services_connector/ims_organization_id, in the form <see cref="Saas.ImsOrganizationId"/> checks.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CommerceImsOrganization", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = SetName)]
    [OutputType(typeof(ConnectorSetting))]
    public sealed class SetCommerceImsOrganizationCommand : InstanceWriterCmdlet
    {
        private const string SetName = "Set";
        private const string ClearName = "Clear";

        /// <summary>The IMS organization id, 24 hexadecimal characters followed by @AdobeOrg.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = SetName)]
        [ValidateNotNullOrEmpty]
        public string OrganizationId { get; set; } = string.Empty;

        /// <summary>Remove the IMS organization id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ClearName)]
        public SwitchParameter Clear { get; set; }

        /// <summary>Write the setting afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>With -ConfigStore EnvPhp: write env.php even when Magento's configuration hash cannot be brought up to date from here.</summary>
        [Parameter]
        public SwitchParameter DeferConfigImport { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            if (!Clear && !Saas.ImsOrganizationId.IsValid(OrganizationId))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new PSArgumentException(Saas.ImsOrganizationId.NotAnId(OrganizationId)),
                    "InvalidImsOrganizationId",
                    ErrorCategory.InvalidArgument,
                    OrganizationId));
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            WriteEachInstance(SetOrganization);
        }

        private void SetOrganization(CommerceInstance instance)
        {
            string? value = Clear ? null : OrganizationId.Trim();
            {
                if (!ShouldProcess(instance.Path, value == null ? "Clear the IMS organization id" : "Set the IMS organization id to " + value))
                {
                    return;
                }

                if (Writer.TryWrite(instance, new[] { new ConfigChange(ConnectorPaths.ImsOrganizationId, value) }, DeferConfigImport) && PassThru)
                {
                    WriteObject(Settings.Of(instance, ConnectorPaths.ImsOrganizationId), enumerateCollection: true);
                }
            }
        }
    }
}
