using System.Linq;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// The registry's data space routes (below <c>/merchant-registry/v1/</c>; the registry calls a
    /// data space an environment), over the data spaces of the key's account in the key's environment:
    /// <list type="bullet">
    /// <item><c>GET registry/environments/{environmentId}</c>: the data space's row.</item>
    /// <item><c>PATCH registry/environments/{environmentId}</c> <c>{"environmentName"}</c>: renames the data space.</item>
    /// <item><c>PUT registry/environments/{environmentId}/cloudid/{cloudId}</c>: attaches a Cloud project id.</item>
    /// <item><c>PUT registry/environments/{environmentId}/feature/{feature}</c>: registers a feature (once).</item>
    /// </list>
    /// </summary>
    internal sealed class DataSpaceRoutes
    {
        private readonly EmulatorState state;

        public DataSpaceRoutes(EmulatorState state)
        {
            this.state = state;
        }

        /// <summary>The answer, or null when no data space route matches. Call with the state's gate held.</summary>
        public Reply? TryHandle(string method, string[] segments, string? body, EmulatedKey key)
        {
            if (segments.Length < 3 || segments[0] != "registry" || segments[1] != "environments")
            {
                return null;
            }

            string environmentId = segments[2];
            EmulatedProject? project = state.ProjectsOf(key.MageId, key.Environment).FirstOrDefault(p => p.DataSpaces.Any(d => d.EnvironmentId == environmentId));
            EmulatedDataSpace? dataSpace = project?.DataSpaces.First(d => d.EnvironmentId == environmentId);
            if (project == null || dataSpace == null)
            {
                return Reply.Error(404, "Not Found", "Environment not found");
            }

            if (segments.Length == 3 && method == "GET")
            {
                return RowReply(project, dataSpace);
            }

            if (segments.Length == 3 && method == "PATCH")
            {
                if (!RegistryJson.TryReadRequiredName(body, "environmentName", out string? name, out Reply? missing))
                {
                    return missing;
                }

                dataSpace.EnvironmentName = name;
                state.Save();
                return RowReply(project, dataSpace);
            }

            if (segments.Length == 5 && segments[3] == "cloudid" && method == "PUT")
            {
                dataSpace.CloudId = segments[4];
                state.Save();
                return RowReply(project, dataSpace);
            }

            if (segments.Length == 5 && segments[3] == "feature" && method == "PUT")
            {
                if (!dataSpace.Features.Contains(segments[4]))
                {
                    dataSpace.Features.Add(segments[4]);
                    state.Save();
                }

                return RowReply(project, dataSpace);
            }

            return null;
        }

        private static Reply RowReply(EmulatedProject project, EmulatedDataSpace dataSpace) => Reply.Json(200, RegistryJson.Row(project, dataSpace));
    }
}
