using System;
using System.Management.Automation;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Get-CommerceInstance cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsCommon.Get, "CommerceInstance")]
    [OutputType(typeof(CommerceInstance))]
    public sealed class GetCommerceInstanceCommand : CommerceCmdlet
    {
        /// <summary>Only instances whose root folder matches; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>Only the default instance: the one connected last.</summary>
        [Parameter]
        public SwitchParameter Default { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            CommerceInstance[] instances = Default ? (InstanceSessions.Default is CommerceInstance d ? new[] { d } : Array.Empty<CommerceInstance>()) : InstanceSessions.All();
            foreach (CommerceInstance instance in instances)
            {
                if (Path == null || Array.Exists(Path, p => new WildcardPattern(p, WildcardOptions.IgnoreCase).IsMatch(instance.Path) || new WildcardPattern(p, WildcardOptions.IgnoreCase).IsMatch(instance.Name)))
                {
                    WriteObject(instance);
                }
            }
        }
    }
}
