using System.Collections.Generic;
using System.Management.Automation;
using CommerceServices.Keys;
using CommerceServices.Saas;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The New-SaasProject cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsCommon.New, "SaasProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SaasProject))]
    public sealed class NewSaasProjectCommand : SaasCmdlet
    {
        /// <summary>The name of the new project.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 255)]
        [ValidatePattern(@"\S")]
        public string Name { get; set; } = string.Empty;

        /// <summary>Create the project even when one with the same name already exists.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ApiKeyPair? keyPair = ResolveKeyPair();
            if (keyPair == null)
            {
                return;
            }

            string name = Name.Trim();
            if (!ShouldProcess("SaaS project '" + name + "' in " + Where(keyPair), "Create"))
            {
                return;
            }

            // The registry's projects, listed once per top-level pipeline: a loop creating a project per
            // instance must not list every project again before each one.
            string registry = RegistryOf(keyPair);
            PipelineCache cache = PipelineCache.Current;
            if (!Force)
            {
                // Re-running a provisioning script must not create a second project of the same name.
                IReadOnlyList<SaasProject>? existing = cache.ProjectsOf(registry);
                if (existing == null)
                {
                    if (!TryCall(keyPair, (client, token) => client.GetProjectsAsync(token), name, out existing))
                    {
                        return;
                    }

                    cache.SetProjects(registry, existing);
                }

                SaasProject? same = SaasProjectLookup.WithSameName(existing, name);
                if (same != null)
                {
                    WriteError(
                        new System.InvalidOperationException("A SaaS project named '" + same.Name + "' already exists (" + same.ProjectId + "). Use it (Get-SaasProject -Name '" + same.Name + "'), or pass -Force to create another project with the same name."),
                        "ProjectAlreadyExists",
                        ErrorCategory.ResourceExists,
                        same);
                    return;
                }
            }

            if (TryCall(keyPair, (client, token) => client.CreateProjectAsync(name, token), name, out SaasProject project))
            {
                cache.AddProject(registry, project);
                WriteVerbose("Created SaaS project '" + project.Name + "' (" + project.ProjectId + ") with " + project.DataSpaces.Count + " data space(s).");
                WriteObject(project);
            }
        }
    }
}
