using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.Keys;
using CommerceServices.Saas;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Get-SaasProject cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsCommon.Get, "SaasProject")]
    [OutputType(typeof(SaasProject))]
    public sealed class GetSaasProjectCommand : SaasCmdlet
    {
        /// <summary>Project names to return; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Project ids to return.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? ProjectId { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ApiKeyPair? keyPair = ResolveKeyPair();
            if (keyPair == null)
            {
                return;
            }

            if (ProjectId != null)
            {
                foreach (string id in ProjectId)
                {
                    if (TryCall(keyPair, (client, token) => client.GetProjectAsync(id, token), id, out SaasProject project) && NameMatches(project))
                    {
                        WriteObject(project);
                    }
                }

                return;
            }

            if (!TryCall(keyPair, (client, token) => client.GetProjectsAsync(token), keyPair, out IReadOnlyList<SaasProject> projects))
            {
                return;
            }

            WriteVerbose(projects.Count + " project(s) reachable with the " + keyPair.Environment + " key pair.");
            WriteObject(projects.Where(NameMatches), enumerateCollection: true);
            foreach (string literal in (Name ?? new string[0]).Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
            {
                if (!projects.Any(p => string.Equals(p.Name, literal, System.StringComparison.OrdinalIgnoreCase)))
                {
                    WriteError(
                        new ItemNotFoundException("No SaaS project named '" + literal + "' is reachable with the " + keyPair.Environment + " key pair. Run Get-SaasProject without -Name to list them, or New-SaasProject to create one."),
                        "ProjectNotFound",
                        ErrorCategory.ObjectNotFound,
                        literal);
                }
            }
        }

        private bool NameMatches(SaasProject project) =>
            Name == null || Name.Any(n => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(project.Name));
    }
}
