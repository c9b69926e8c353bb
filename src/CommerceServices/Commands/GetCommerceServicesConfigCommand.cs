using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Get-CommerceServicesConfig cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
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
                if (!Settings.TryReadAll(instance, SkipDatabase, out IReadOnlyList<ConnectorSetting> settings))
                {
                    continue;
                }

                WriteObject(settings.Where(s => Path == null || Path.Any(p => new WildcardPattern(p, WildcardOptions.IgnoreCase).IsMatch(s.Path))), enumerateCollection: true);
            }
        }
    }
}
