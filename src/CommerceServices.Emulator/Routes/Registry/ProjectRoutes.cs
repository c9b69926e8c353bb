using System.Collections.Generic;
using System.Linq;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// The registry's project routes (below <c>/merchant-registry/v1/</c>), over the projects of the
    /// key's account in the key's environment:
    /// <list type="bullet">
    /// <item><c>GET registry</c>: a row for every data space of every project.</item>
    /// <item><c>POST registry/initialize</c> <c>{"projectName"}</c>: creates a project with the data spaces of the account's edition.</item>
    /// <item><c>GET registry/projects/{projectId}</c>: the project's rows.</item>
    /// <item><c>PATCH registry/projects/{projectId}</c> <c>{"projectName"}</c>: renames the project.</item>
    /// </list>
    /// </summary>
    internal sealed class ProjectRoutes
    {
        private readonly EmulatorState state;

        public ProjectRoutes(EmulatorState state)
        {
            this.state = state;
        }

        /// <summary>The answer, or null when no project route matches. Call with the state's gate held.</summary>
        public Reply? TryHandle(string method, string[] segments, string? body, EmulatedKey key)
        {
            IEnumerable<EmulatedProject> owned = state.ProjectsOf(key.MageId, key.Environment);

            if (segments.Length == 1 && segments[0] == "registry" && method == "GET")
            {
                return RegistryJson.Results(owned);
            }

            if (segments.Length == 2 && segments[0] == "registry" && segments[1] == "initialize" && method == "POST")
            {
                return Initialize(body, key);
            }

            if (segments.Length == 3 && segments[0] == "registry" && segments[1] == "projects")
            {
                return OneProject(method, owned.FirstOrDefault(p => p.ProjectId == segments[2]), body);
            }

            return null;
        }

        private Reply Initialize(string? body, EmulatedKey key)
        {
            if (!RegistryJson.TryReadRequiredName(body, "projectName", out string? name, out Reply? missing))
            {
                return missing;
            }

            EmulatedAccount account = state.Data.Accounts.First(a => a.MageId == key.MageId);
            var project = new EmulatedProject { ProjectId = RegistryJson.NewId(), ProjectName = name, MageId = key.MageId, Environment = key.Environment };

            // Fact (R5): Adobe Commerce gets 1 Production + 2 Testing data spaces, Open Source 1 Production.
            // Assumption: the names the registry gives them.
            project.DataSpaces.Add(new EmulatedDataSpace { EnvironmentId = RegistryJson.NewId(), EnvironmentName = "Production", EnvironmentType = "Production" });
            if (account.Edition == CommerceEdition.AdobeCommerce)
            {
                project.DataSpaces.Add(new EmulatedDataSpace { EnvironmentId = RegistryJson.NewId(), EnvironmentName = "Testing 1", EnvironmentType = "Testing" });
                project.DataSpaces.Add(new EmulatedDataSpace { EnvironmentId = RegistryJson.NewId(), EnvironmentName = "Testing 2", EnvironmentType = "Testing" });
            }

            state.Data.Projects.Add(project);
            state.Save();
            return RegistryJson.Results(new[] { project });
        }

        private Reply? OneProject(string method, EmulatedProject? project, string? body)
        {
            if (project == null)
            {
                // Assumption: another account's project is "not found", like a missing one.
                return Reply.Error(404, "Not Found", "Project not found");
            }

            if (method == "GET")
            {
                return RegistryJson.Results(new[] { project });
            }

            if (method == "PATCH")
            {
                if (!RegistryJson.TryReadRequiredName(body, "projectName", out string? name, out Reply? missing))
                {
                    return missing;
                }

                project.ProjectName = name;
                state.Save();
                return RegistryJson.Results(new[] { project });
            }

            return null;
        }
    }
}
