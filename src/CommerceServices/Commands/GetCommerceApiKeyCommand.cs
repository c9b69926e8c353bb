using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Get-CommerceApiKey cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsCommon.Get, "CommerceApiKey")]
    [OutputType(typeof(StoredApiKey))]
    public sealed class GetCommerceApiKeyCommand : InstanceCmdlet
    {
        /// <summary>Only this gateway environment.</summary>
        [Parameter(Position = 0)]
        public GatewayEnvironment? Environment { get; set; }

        /// <summary>Read only the files and environment variables, not the database.</summary>
        [Parameter]
        public SwitchParameter SkipDatabase { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (CommerceInstance instance in ResolveInstances())
            {
                if (!Settings.TryReadAll(instance, SkipDatabase, out IReadOnlyList<ConnectorSetting> settings))
                {
                    continue;
                }

                WriteObject(StoredApiKey.From(instance, settings).Where(k => Environment == null || k.Environment == Environment.Value), enumerateCollection: true);
            }
        }
    }
}
