using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.Keys;
using CommerceServices.Saas;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The data space types the registry uses.</summary>
    public enum SaasDataSpaceType
    {
        /// <summary>For the production installation only (R7: only an instance declared Production may use it).</summary>
        Production,

        /// <summary>For staging, development and test installations.</summary>
        Testing,
    }

    /// <summary>The Get-SaasDataSpace cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsCommon.Get, "SaasDataSpace")]
    [OutputType(typeof(SaasDataSpace))]
    public sealed class GetSaasDataSpaceCommand : SaasCmdlet
    {
        /// <summary>Only the data spaces of these projects.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? ProjectId { get; set; }

        /// <summary>These data spaces, by id.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? DataSpaceId { get; set; }

        /// <summary>Data space names to return; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Only data spaces of this type.</summary>
        [Parameter]
        public SaasDataSpaceType? Type { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ApiKeyPair? keyPair = ResolveKeyPair();
            if (keyPair == null)
            {
                return;
            }

            var found = new List<SaasDataSpace>();
            if (DataSpaceId != null)
            {
                foreach (string id in DataSpaceId)
                {
                    if (TryCall(keyPair, (client, token) => client.GetDataSpaceAsync(id, token), id, out SaasDataSpace dataSpace))
                    {
                        found.Add(dataSpace);
                    }
                }
            }
            else if (ProjectId != null)
            {
                foreach (string id in ProjectId)
                {
                    if (TryCall(keyPair, (client, token) => client.GetProjectAsync(id, token), id, out SaasProject project))
                    {
                        found.AddRange(project.DataSpaces);
                    }
                }
            }
            else if (TryCall(keyPair, (client, token) => client.GetProjectsAsync(token), keyPair, out IReadOnlyList<SaasProject> projects))
            {
                found.AddRange(projects.SelectMany(p => p.DataSpaces));
            }

            WriteObject(found.Where(Matches), enumerateCollection: true);
            foreach (string literal in (Name ?? new string[0]).Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
            {
                if (!found.Any(d => string.Equals(d.Name, literal, System.StringComparison.OrdinalIgnoreCase)))
                {
                    WriteError(
                        new ItemNotFoundException("No SaaS data space named '" + literal + "' is reachable with the " + keyPair.Environment + " key pair" + (ProjectId != null ? " in the given project" : string.Empty) + ". Run Get-SaasDataSpace without -Name to list them."),
                        "DataSpaceNotFound",
                        ErrorCategory.ObjectNotFound,
                        literal);
                }
            }
        }

        private bool Matches(SaasDataSpace dataSpace) =>
            (Type == null || string.Equals(dataSpace.Type, Type.Value.ToString(), System.StringComparison.OrdinalIgnoreCase))
            && (Name == null || Name.Any(n => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(dataSpace.Name)));
    }
}
