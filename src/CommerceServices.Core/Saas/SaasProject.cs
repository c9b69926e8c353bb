using System;
using System.Collections.Generic;
using CommerceServices.Keys;

namespace CommerceServices.Saas
{
    /// <summary>A SaaS project and its data spaces, as reachable with one key pair.</summary>
    public sealed class SaasProject
    {
        public SaasProject(string projectId, string name, IReadOnlyList<SaasDataSpace> dataSpaces, ApiKeyPair? apiKey, Uri? gatewayUri)
        {
            ProjectId = projectId;
            Name = name;
            DataSpaces = dataSpaces;
            ApiKey = apiKey;
            GatewayUri = gatewayUri;
        }

        public string ProjectId { get; }

        public string Name { get; }

        public IReadOnlyList<SaasDataSpace> DataSpaces { get; }

        /// <summary>The key pair the project was read with (no key material is exposed).</summary>
        public ApiKeyPair? ApiKey { get; }

        /// <summary>The gateway the project was read from.</summary>
        public Uri? GatewayUri { get; }

        /// <summary>The gateway environment of the key pair.</summary>
        public GatewayEnvironment? Environment => ApiKey?.Environment;

        public override string ToString() => Name + " (" + ProjectId + ")";
    }
}
