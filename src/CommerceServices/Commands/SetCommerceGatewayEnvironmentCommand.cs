using System.Linq;
using System.Management.Automation;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// Set-CommerceGatewayEnvironment (user help: en-US/CommerceServices.dll-Help.xml): writes
    /// magento_saas/environment, and warns when the instance has no key pair for the new environment.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CommerceGatewayEnvironment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ConnectorSetting))]
    public sealed class SetCommerceGatewayEnvironmentCommand : InstanceWriterCmdlet
    {
        /// <summary>The gateway environment to use.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public GatewayEnvironment Environment { get; set; }

        /// <summary>Write the setting afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>With -ConfigStore EnvPhp: write env.php even when Magento's configuration hash cannot be brought up to date from here.</summary>
        [Parameter]
        public SwitchParameter DeferConfigImport { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            WriteEachInstance(UseEnvironment);
        }

        private void UseEnvironment(CommerceInstance instance)
        {
            string value = StoredKeyPairs.SettingValueOf(Environment);
            {
                if (!ShouldProcess(instance.Path, "Use the " + Environment + " gateway environment (magento_saas/environment = " + value + ")"))
                {
                    return;
                }

                if (Writer.TryWrite(instance, new[] { new ConfigChange(ConnectorPaths.GatewayEnvironment, value) }, DeferConfigImport))
                {
                    StoredApiKey? pair = null;
                    try
                    {
                        pair = StoredApiKey.From(instance, Settings.Read(instance, _ => ConnectorPaths.KeyPaths(Environment))).FirstOrDefault(k => k.Environment == Environment);
                    }
                    catch (DatabaseUnavailableException ex)
                    {
                        WriteVerbose("Whether " + instance.Path + " has a " + Environment + " key pair is not known here: " + ex.Message);
                    }

                    if (pair != null && !pair.IsSet)
                    {
                        WriteWarning(instance.Path + " now uses the " + Environment + " gateway environment, but has no " + Environment + " key pair: store one with Set-CommerceApiKey -Environment " + Environment + ".");
                    }

                    if (PassThru)
                    {
                        WriteObject(Settings.Of(instance, ConnectorPaths.GatewayEnvironment), enumerateCollection: true);
                    }
                }
            }
        }
    }
}
