using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using CommerceServices.Cloud;
using CommerceServices.Config;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// Export-CommerceServicesConfig (user help: en-US/CommerceServices.dll-Help.xml). Writes the connector settings
    /// of an instance as the CONFIG__ environment variables that set them on Adobe Commerce on Cloud
    /// (<see cref="CloudConfigExport"/>): Cloud variable objects with their magento-cloud commands, or a .env file.
    /// Secrets only with -IncludeSecret, after a confirmation (or -Force).
    /// </summary>
    [Cmdlet(VerbsData.Export, "CommerceServicesConfig")]
    [OutputType(typeof(CloudConfigVariable), typeof(string))]
    public sealed class ExportCommerceServicesConfigCommand : InstanceCmdlet
    {
        private bool declined;
        private WildcardPattern[]? patterns;

        /// <summary>The form: CloudVariables (objects) or Dotenv (the text of a .env file); MagentoEnvYaml is refused with the reason.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public ConfigExportFormat Format { get; set; }

        /// <summary>Only these configuration paths; wildcards allowed.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>Put the secrets (API keys, private keys, the IMS client secret) into the export in plain text, after a confirmation.</summary>
        [Parameter]
        public SwitchParameter IncludeSecret { get; set; }

        /// <summary>Export the secrets without asking (with -IncludeSecret).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The Cloud project the commands name (--project); else the instance's own, when known.</summary>
        [Parameter]
        [ValidatePattern("^[A-Za-z0-9_-]+$")]
        public string? CloudProjectId { get; set; }

        /// <summary>The Cloud environment the commands name (--environment); else the instance's own, when known.</summary>
        [Parameter]
        [ValidatePattern("^[A-Za-z0-9._/-]+$")]
        public string? CloudEnvironment { get; set; }

        /// <summary>Read only the files and environment variables, not the database.</summary>
        [Parameter]
        public SwitchParameter SkipDatabase { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            if (Format == ConfigExportFormat.MagentoEnvYaml)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(CloudConfigExport.MagentoEnvYamlRefusal), "MagentoEnvYamlHoldsNoConnectorSetting", ErrorCategory.InvalidArgument, Format));
            }

            // Made once, for the check here and for every setting of every instance.
            patterns = Path?.Select(pattern => new WildcardPattern(pattern, WildcardOptions.IgnoreCase)).ToArray();
            for (int i = 0; i < (Path?.Length ?? 0); i++)
            {
                string pattern = Path![i];
                WildcardPattern wildcard = patterns![i];
                if (!ConnectorPaths.All.Any(p => wildcard.IsMatch(p.Path)))
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new ArgumentException("'" + pattern + "' matches no connector configuration path (such as services_connector/services_id/environment_id); Get-CommerceServicesConfig lists them all."),
                        "ConfigPathUnknown",
                        ErrorCategory.InvalidArgument,
                        pattern));
                }
            }

            if (IncludeSecret && !Force)
            {
                declined = !ConfirmSecrets();
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (declined)
            {
                return;
            }

            var options = new CloudConfigExportOptions
            {
                IncludeSecrets = IncludeSecret,
                ProjectId = string.IsNullOrEmpty(CloudProjectId) ? null : CloudProjectId,
                Environment = string.IsNullOrEmpty(CloudEnvironment) ? null : CloudEnvironment,
            };
            foreach (CommerceInstance instance in ResolveInstances())
            {
                if (!Settings.TryReadAll(instance, SkipDatabase, out IReadOnlyList<ConnectorSetting> settings))
                {
                    continue;
                }

                IReadOnlyList<ConnectorSetting> chosen = settings.Where(s => patterns == null || patterns.Any(p => p.IsMatch(s.Path))).ToList();
                CloudConfigExportResult result = CloudConfigExport.Export(instance, chosen, options);
                foreach (ConfigExportRefusal refusal in result.Refused)
                {
                    WriteError(new ErrorRecord(new InvalidOperationException(refusal.Message), "ConfigValueNotExportable", ErrorCategory.InvalidData, refusal.Setting));
                }

                if (result.Variables.Count == 0)
                {
                    if (result.Refused.Count > 0)
                    {
                        continue;
                    }

                    WriteWarning("No connector setting of " + instance.Path + (Path == null ? string.Empty : " matching " + string.Join(", ", Path)) + " has a value to export (only the module defaults apply).");
                    continue;
                }

                int leftOut = result.Variables.Count(v => !v.HasValue);
                WriteVerbose("Exported " + result.Variables.Count + " settings of " + instance.Path + " as CONFIG__ variables" + (leftOut == 0 ? "." : "; " + leftOut + " secrets left out (-IncludeSecret exports them)."));
                if (Format == ConfigExportFormat.Dotenv)
                {
                    WriteObject(CloudConfigExport.Dotenv(instance, result.Variables));
                }
                else
                {
                    WriteObject(result.Variables, enumerateCollection: true);
                }
            }
        }

        /// <summary>Asks before secrets are written in plain text; a session that cannot ask is told to add -Force.</summary>
        private bool ConfirmSecrets()
        {
            const string Query = "Export the secrets (API keys, private keys) in plain text? Anything that keeps this command's output (a transcript, a log, a file) will hold them.";
            try
            {
                bool yesToAll = false;
                bool noToAll = false;
                return ShouldContinue(Query, "Export secrets", ref yesToAll, ref noToAll);
            }
            catch (Exception ex) when (ex is HostException || ex is PSInvalidOperationException || ex is NotImplementedException)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("-IncludeSecret asks before it exports secrets in plain text, and this session cannot ask (" + ex.Message + "). Add -Force to confirm in the command.", ex),
                    "SecretExportNotConfirmed",
                    ErrorCategory.PermissionDenied,
                    null));
                return false;
            }
        }
    }
}
