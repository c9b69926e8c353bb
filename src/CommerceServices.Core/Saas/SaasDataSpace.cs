using System;
using CommerceServices.Keys;

namespace CommerceServices.Saas
{
    /// <summary>
    /// A SaaS data space: where Commerce Services keep one instance's catalog and behaviour data
    /// (called an "environment" in the registry API). Carries the key pair and gateway it was read
    /// with, so it can be piped to the next cmdlet.
    /// </summary>
    public sealed class SaasDataSpace
    {
        public SaasDataSpace(string dataSpaceId, string name, string type, string projectId, string projectName, ApiKeyPair? apiKey, Uri? gatewayUri, string[]? features = null)
        {
            Features = features;
            DataSpaceId = dataSpaceId;
            Name = name;
            Type = type;
            ProjectId = projectId;
            ProjectName = projectName;
            ApiKey = apiKey;
            GatewayUri = gatewayUri;
        }

        /// <summary>The registry's <c>environmentId</c>.</summary>
        public string DataSpaceId { get; }

        public string Name { get; }

        /// <summary><c>Production</c> or <c>Testing</c>.</summary>
        public string Type { get; }

        public string ProjectId { get; }

        public string ProjectName { get; }

        /// <summary>The key pair the data space was read with (no key material is exposed).</summary>
        public ApiKeyPair? ApiKey { get; }

        /// <summary>The gateway the data space was read from.</summary>
        public Uri? GatewayUri { get; }

        /// <summary>
        /// The features the registry lists for the data space (PREMIUM_SEARCH once Live Search
        /// registered it); null when the registry's answer does not say.
        /// </summary>
        public string[]? Features { get; }

        /// <summary>The gateway environment of the key pair.</summary>
        public GatewayEnvironment? Environment => ApiKey?.Environment;

        public override string ToString() => Name + " (" + Type + ", " + DataSpaceId + ")";
    }
}
