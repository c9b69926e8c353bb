using System;
using System.Management.Automation;
using CommerceServices.Instances;
using CommerceServices.Rules;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Connect-CommerceInstance cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsCommunications.Connect, "CommerceInstance")]
    [OutputType(typeof(CommerceInstance))]
    public sealed class ConnectCommerceInstanceCommand : CommerceCmdlet
    {
        /// <summary>The Magento root folders.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LiteralPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Where connector settings are to be written; binds by property name, so a list of instances can carry it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public ConfigStore ConfigStore { get; set; } = ConfigStore.Database;

        /// <summary>What the installation is for; only a Production instance may use a Production data space (R7). Binds by property name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public InstanceRole Role { get; set; } = InstanceRole.Undeclared;

        /// <summary>Write the connected instances.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (string path in Path)
            {
                string root = ResolveLiteralFilePath(path);
                CommerceInstance instance;
                try
                {
                    instance = CommerceInstanceReader.Open(root, ConfigStore, Role);
                }
                catch (Exception ex) when (ErrorRecords.ForOpen(ex, root, path) is ErrorRecord refused)
                {
                    WriteError(refused);
                    continue;
                }

                if (!instance.EditionFromComposerLock)
                {
                    WriteWarning("'" + root + "' has no composer.lock; the edition (" + instance.Edition + ") was inferred from its enabled modules.");
                }

                if (!ConnectorModules.Enabled(instance))
                {
                    WriteWarning("The Commerce Services Connector is not enabled on '" + root + "' (Magento_ServicesConnector: " + OnOff(instance.ServicesConnectorEnabled) + ", Magento_ServicesId: " + OnOff(instance.ServicesIdEnabled) + "). Enable them with 'bin/magento module:enable Magento_ServicesConnector Magento_ServicesId' before SaaS services can work.");
                }

                InstanceSessions.Add(instance);
                WriteVerbose("Connected to " + instance + (instance.Platform == InstancePlatform.Cloud ? ", an Adobe Commerce on Cloud project (" + string.Join(", ", instance.CloudMarkers) + ")" : string.Empty) + "; it is now the default instance of this session.");
                if (PassThru)
                {
                    WriteObject(instance);
                }
            }
        }

        private static string OnOff(bool enabled) => enabled ? "enabled" : "not enabled";
    }
}
