using System;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// The merchant registry, below <c>/merchant-registry/v1/</c>: the project routes
    /// (<see cref="ProjectRoutes"/>) and the data space routes (<see cref="DataSpaceRoutes"/>),
    /// answered under the state's lock. A path below the prefix that neither knows gets 404.
    /// (The key check at <c>/merchant-registry/v1/ping</c> is <see cref="KeyCheckRoutes"/>.)
    /// </summary>
    internal sealed class MerchantRegistryRoutes
    {
        private const string Prefix = "/merchant-registry/v1/";
        private readonly EmulatorState state;
        private readonly ProjectRoutes projects;
        private readonly DataSpaceRoutes dataSpaces;

        public MerchantRegistryRoutes(EmulatorState state)
        {
            this.state = state;
            projects = new ProjectRoutes(state);
            dataSpaces = new DataSpaceRoutes(state);
        }

        /// <summary>The answer, or null when the path is not below the registry's prefix.</summary>
        public Reply? TryHandle(string method, string path, string? body, EmulatedKey key)
        {
            if (!path.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return null;
            }

            string[] segments = path.Substring(Prefix.Length).TrimEnd('/').Split('/');
            lock (state.Gate)
            {
                return projects.TryHandle(method, segments, body, key)
                    ?? dataSpaces.TryHandle(method, segments, body, key)
                    ?? Reply.Error(404, "Not Found", "No route for " + method + " " + Prefix + string.Join("/", segments));
            }
        }
    }
}
