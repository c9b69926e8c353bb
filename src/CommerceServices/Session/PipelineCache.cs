using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using CommerceServices.Rules;
using CommerceServices.Saas;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// What the commands of one top-level pipeline share: the data space each instance uses (for the R6
    /// check of Set-CommerceDataSpace, each instance its own data space) and the projects of each registry (for New-SaasProject's check for a
    /// project of the same name). A top-level pipeline is what the user typed at the prompt, a script run
    /// with -File, or one PowerShell.Invoke(): a provisioning loop over a thousand instances reads them once,
    /// not once per command. Kept per runspace; emptied when the runspace finishes its top-level pipeline, so
    /// the next one reads afresh. Changes made through this module meanwhile are written into it.
    /// </summary>
    internal sealed class PipelineCache
    {
        private static readonly ConditionalWeakTable<Runspace, PipelineCache> ByRunspace = new ConditionalWeakTable<Runspace, PipelineCache>();

        private readonly object gate = new object();
        private readonly Dictionary<string, List<SaasProject>> projectsOfRegistry = new Dictionary<string, List<SaasProject>>(StringComparer.Ordinal);

        /// <summary>The cache of the runspace running the current pipeline.</summary>
        public static PipelineCache Current => ByRunspace.GetValue(Runspace.DefaultRunspace, Watch);

        private static PipelineCache Watch(Runspace runspace)
        {
            var cache = new PipelineCache();
            runspace.AvailabilityChanged += (sender, e) =>
            {
                if (e.RunspaceAvailability == RunspaceAvailability.Available)
                {
                    cache.Clear();
                }
            };
            return cache;
        }

        /// <summary>Which instance uses which data space, as read or changed in this pipeline (R6, each instance its own data space).</summary>
        public DataSpaceUse DataSpaces { get; } = new DataSpaceUse();

        /// <summary>The projects a registry listed in this pipeline, with those created since; null when not listed yet.</summary>
        public IReadOnlyList<SaasProject>? ProjectsOf(string registry)
        {
            lock (gate)
            {
                return projectsOfRegistry.TryGetValue(registry, out List<SaasProject>? projects) ? projects.ToArray() : null;
            }
        }

        /// <summary>Remembers a registry's list of projects.</summary>
        public void SetProjects(string registry, IEnumerable<SaasProject> projects)
        {
            lock (gate)
            {
                projectsOfRegistry[registry] = new List<SaasProject>(projects);
            }
        }

        /// <summary>Adds a project just created to its registry's list, when that list is kept.</summary>
        public void AddProject(string registry, SaasProject project)
        {
            lock (gate)
            {
                if (projectsOfRegistry.TryGetValue(registry, out List<SaasProject>? projects))
                {
                    projects.Add(project);
                }
            }
        }

        /// <summary>Drops a registry's list, to be listed again when next needed.</summary>
        public void ForgetProjects(string registry)
        {
            lock (gate)
            {
                projectsOfRegistry.Remove(registry);
            }
        }

        private void Clear()
        {
            DataSpaces.Clear();
            lock (gate)
            {
                projectsOfRegistry.Clear();
            }
        }
    }
}
