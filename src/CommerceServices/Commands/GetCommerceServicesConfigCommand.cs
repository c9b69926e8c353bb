using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows every Commerce Services Connector setting of an instance, where it comes from and what it shadows.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CommerceServicesConfig")]
    [OutputType(typeof(ConnectorSetting))]
    public sealed class GetCommerceServicesConfigCommand : InstanceCmdlet
    {
        /// <summary>Only these configuration paths; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>Read only the files and environment variables, not the database.</summary>
        [Parameter]
        public SwitchParameter SkipDatabase { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (CommerceInstance instance in ResolveInstances())
            {
                if (!TryReadSettings(instance, SkipDatabase, out IReadOnlyList<ConnectorSetting> settings))
                {
                    continue;
                }

                WriteObject(settings.Where(s => Path == null || Path.Any(p => new WildcardPattern(p, WildcardOptions.IgnoreCase).IsMatch(s.Path))), enumerateCollection: true);
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Shows the API key pairs an instance holds, without any secret.</para>
    /// </summary>
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
                if (!TryReadSettings(instance, SkipDatabase, out IReadOnlyList<ConnectorSetting> settings))
                {
                    continue;
                }

                WriteObject(StoredApiKey.From(instance, settings).Where(k => Environment == null || k.Environment == Environment.Value), enumerateCollection: true);
            }
        }
    }
}
