using System.Collections.Generic;
using System.Linq;

namespace CommerceServices.Instances
{
    /// <summary>What a connector configuration value holds, which decides how it is stored and shown.</summary>
    public enum ConnectorValueKind
    {
        /// <summary>A plain value, shown as it is.</summary>
        Plain,

        /// <summary>A public API key: stored encrypted, shown as its first and last four characters.</summary>
        ApiKey,

        /// <summary>A private key: stored encrypted, never shown; described by size and fingerprint.</summary>
        PrivateKey,

        /// <summary>Another secret (an IMS client secret): stored encrypted, never shown.</summary>
        Secret,
    }

    /// <summary>One configuration path of the Commerce Services Connector (reference protocol.md §5).</summary>
    public sealed class ConnectorPath
    {
        internal ConnectorPath(string path, ConnectorValueKind kind, string? defaultValue)
        {
            Path = path;
            Kind = kind;
            DefaultValue = defaultValue;
        }

        public string Path { get; }

        public ConnectorValueKind Kind { get; }

        /// <summary>Whether Magento stores the value encrypted (the connector's KeyEncrypted backend).</summary>
        public bool IsEncrypted => Kind != ConnectorValueKind.Plain;

        /// <summary>The module default from config.xml, if there is one.</summary>
        public string? DefaultValue { get; }
    }

    /// <summary>The connector's configuration paths, all at the default scope.</summary>
    public static class ConnectorPaths
    {
        private const string Integration = "services_connector/services_connector_integration/";
        private const string ServicesId = "services_connector/services_id/";

        public const string ProductionApiKey = Integration + "production_api_key";
        public const string ProductionPrivateKey = Integration + "production_private_key";
        public const string SandboxApiKey = Integration + "sandbox_api_key";
        public const string SandboxPrivateKey = Integration + "sandbox_private_key";
        public const string ProjectId = ServicesId + "project_id";
        public const string ProjectName = ServicesId + "project_name";
        public const string DataSpaceId = ServicesId + "environment_id";
        public const string DataSpaceName = ServicesId + "environment_name";
        public const string DataSpaceType = ServicesId + "environment";
        public const string ImsOrganizationId = ServicesId + "ims_organization_id";
        public const string GatewayEnvironment = "magento_saas/environment";
        public const string ProductionGatewayUrl = "services_connector/production_gateway_url";
        public const string SandboxGatewayUrl = "services_connector/sandbox_gateway_url";
        private const string Ims = "services_connector/ims_technical_account_credentials/";

        /// <summary>Every path, in the order the Admin shows them.</summary>
        public static IReadOnlyList<ConnectorPath> All { get; } = new[]
        {
            new ConnectorPath(SandboxApiKey, ConnectorValueKind.ApiKey, null),
            new ConnectorPath(SandboxPrivateKey, ConnectorValueKind.PrivateKey, null),
            new ConnectorPath(ProductionApiKey, ConnectorValueKind.ApiKey, null),
            new ConnectorPath(ProductionPrivateKey, ConnectorValueKind.PrivateKey, null),
            new ConnectorPath(GatewayEnvironment, ConnectorValueKind.Plain, "production"),
            new ConnectorPath(ProjectId, ConnectorValueKind.Plain, null),
            new ConnectorPath(ProjectName, ConnectorValueKind.Plain, null),
            new ConnectorPath(DataSpaceId, ConnectorValueKind.Plain, null),
            new ConnectorPath(DataSpaceName, ConnectorValueKind.Plain, null),
            new ConnectorPath(DataSpaceType, ConnectorValueKind.Plain, null),
            new ConnectorPath(ImsOrganizationId, ConnectorValueKind.Plain, null),
            new ConnectorPath(ProductionGatewayUrl, ConnectorValueKind.Plain, "https://commerce.adobe.io/"),
            new ConnectorPath(SandboxGatewayUrl, ConnectorValueKind.Plain, "https://commerce-beta.adobe.io/"),

            // The rest of the connector's configuration (reference protocol.md §5), with its config.xml defaults.
            new ConnectorPath("services_connector/services_connector_credentials/credentials_type", ConnectorValueKind.Plain, "Magento_JWT"),
            new ConnectorPath("services_connector/production_key_validation_url", ConnectorValueKind.Plain, "/merchant-registry/v1/ping"),
            new ConnectorPath("services_connector/sandbox_key_validation_url", ConnectorValueKind.Plain, "/merchant-registry/v1/ping"),
            new ConnectorPath("services_connector/cloudfront_validation_url", ConnectorValueKind.Plain, "/merchant-registry/index.html"),
            new ConnectorPath("services_connector/cloudfront_validation_domains", ConnectorValueKind.Plain, "commerce-beta.adobe.io"),
            new ConnectorPath("services_connector/production_magi_gateway_url", ConnectorValueKind.Plain, "https://api.magento.com/"),
            new ConnectorPath("services_connector/sandbox_magi_gateway_url", ConnectorValueKind.Plain, "https://sandbox.api.magento.com/"),
            new ConnectorPath("services_connector/api_portal_url", ConnectorValueKind.Plain, "https://account.magento.com/apiportal/index/index/"),
            new ConnectorPath(ServicesId + "ims_enabled", ConnectorValueKind.Plain, "0"),
            new ConnectorPath(ServicesId + "registry_api_path", ConnectorValueKind.Plain, "/merchant-registry/v1/"),
            new ConnectorPath(ServicesId + "registration_api_path", ConnectorValueKind.Plain, "/cabp-org/registration"),
            new ConnectorPath(Ims + "client_id", ConnectorValueKind.Plain, null),
            new ConnectorPath(Ims + "client_secret", ConnectorValueKind.Secret, null),
            new ConnectorPath(Ims + "technical_account_id", ConnectorValueKind.Plain, null),
            new ConnectorPath(Ims + "organization_id", ConnectorValueKind.Plain, null),
            new ConnectorPath(Ims + "ims_url", ConnectorValueKind.Plain, "https://ims-na1.adobelogin.com/"),
        };

        /// <summary>
        /// The paths whose values decide whether an instance is connected (R10, and where its keys
        /// are checked): the gateway environment, both key pairs and gateway URLs, and the SaaS identifier.
        /// </summary>
        public static IReadOnlyList<string> ConnectionPaths { get; } = new[]
        {
            GatewayEnvironment, ProductionApiKey, ProductionPrivateKey, SandboxApiKey, SandboxPrivateKey, ProductionGatewayUrl, SandboxGatewayUrl,
            ProjectId, ProjectName, DataSpaceId, DataSpaceName, DataSpaceType,
        };

        /// <summary>The public API key path of <paramref name="environment"/>.</summary>
        public static string ApiKeyFor(CommerceServices.GatewayEnvironment environment) =>
            environment == CommerceServices.GatewayEnvironment.Production ? ProductionApiKey : SandboxApiKey;

        /// <summary>The private key path of <paramref name="environment"/>.</summary>
        public static string PrivateKeyFor(CommerceServices.GatewayEnvironment environment) =>
            environment == CommerceServices.GatewayEnvironment.Production ? ProductionPrivateKey : SandboxPrivateKey;

        /// <summary>The gateway URL path of <paramref name="environment"/>.</summary>
        public static string GatewayUrlFor(CommerceServices.GatewayEnvironment environment) =>
            environment == CommerceServices.GatewayEnvironment.Production ? ProductionGatewayUrl : SandboxGatewayUrl;

        /// <summary>The two paths that hold the key pair of <paramref name="environment"/>.</summary>
        public static string[] KeyPaths(CommerceServices.GatewayEnvironment environment) => new[] { ApiKeyFor(environment), PrivateKeyFor(environment) };

        /// <summary>The paths a key pair of <paramref name="environment"/> is used from: its two keys and its gateway URL.</summary>
        public static string[] KeyPairPaths(CommerceServices.GatewayEnvironment environment) => new[] { ApiKeyFor(environment), PrivateKeyFor(environment), GatewayUrlFor(environment) };

        /// <summary>The path's description, or null for a path that is not the connector's.</summary>
        public static ConnectorPath? Find(string path) => All.FirstOrDefault(p => p.Path == path);

        /// <summary>The environment variable that overrides a default-scope path: CONFIG__DEFAULT__SECTION__GROUP__FIELD.</summary>
        public static string EnvironmentVariableFor(string path) => "CONFIG__DEFAULT__" + path.ToUpperInvariant().Replace("/", "__");
    }
}
