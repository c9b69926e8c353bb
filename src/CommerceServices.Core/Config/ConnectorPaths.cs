using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace CommerceServices.Config
{
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
        public const string ProductionKeyValidationUrl = "services_connector/production_key_validation_url";
        public const string SandboxKeyValidationUrl = "services_connector/sandbox_key_validation_url";
        public const string CloudFrontValidationUrl = "services_connector/cloudfront_validation_url";
        public const string CloudFrontValidationDomains = "services_connector/cloudfront_validation_domains";
        public const string RegistryApiPath = ServicesId + "registry_api_path";
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

            // The rest of the connector's configuration (Magento_ServicesConnector and Magento_ServicesId), with their config.xml defaults.
            new ConnectorPath("services_connector/services_connector_credentials/credentials_type", ConnectorValueKind.Plain, "Magento_JWT"),
            new ConnectorPath(ProductionKeyValidationUrl, ConnectorValueKind.Plain, Gateway.GatewayRoutes.DefaultKeyValidationUrl),
            new ConnectorPath(SandboxKeyValidationUrl, ConnectorValueKind.Plain, Gateway.GatewayRoutes.DefaultKeyValidationUrl),
            new ConnectorPath(CloudFrontValidationUrl, ConnectorValueKind.Plain, Gateway.GatewayRoutes.DefaultCloudFrontValidationUrl),
            new ConnectorPath(CloudFrontValidationDomains, ConnectorValueKind.Plain, Gateway.GatewayRoutes.DefaultCloudFrontValidationDomains),
            new ConnectorPath("services_connector/production_magi_gateway_url", ConnectorValueKind.Plain, "https://api.magento.com/"),
            new ConnectorPath("services_connector/sandbox_magi_gateway_url", ConnectorValueKind.Plain, "https://sandbox.api.magento.com/"),
            new ConnectorPath("services_connector/api_portal_url", ConnectorValueKind.Plain, "https://account.magento.com/apiportal/index/index/"),
            new ConnectorPath(ServicesId + "ims_enabled", ConnectorValueKind.Plain, "0"),
            new ConnectorPath(RegistryApiPath, ConnectorValueKind.Plain, Gateway.GatewayRoutes.DefaultRegistryApiPath),
            new ConnectorPath(ServicesId + "registration_api_path", ConnectorValueKind.Plain, "/cabp-org/registration"),
            new ConnectorPath(Ims + "client_id", ConnectorValueKind.Plain, null),
            new ConnectorPath(Ims + "client_secret", ConnectorValueKind.Secret, null),
            new ConnectorPath(Ims + "technical_account_id", ConnectorValueKind.Plain, null),
            new ConnectorPath(Ims + "organization_id", ConnectorValueKind.Plain, null),
            new ConnectorPath(Ims + "ims_url", ConnectorValueKind.Plain, "https://ims-na1.adobelogin.com/"),
        };

        /// <summary>
        /// The paths whose values decide whether an instance is connected (R10: both key pairs working, a
        /// project and a data space chosen) and where its keys are checked: the gateway environment, both key pairs and gateway URLs, and the SaaS identifier.
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

        /// <summary>
        /// The environment variable name Adobe documents for a default-scope path: CONFIG__DEFAULT__SECTION__GROUP__FIELD.
        /// Magento reads the same variable in any letter case after CONFIG__ (see <see cref="DecodeEnvironmentVariable"/>).
        /// </summary>
        public static string EnvironmentVariableFor(string path) => "CONFIG__DEFAULT__" + path.ToUpperInvariant().Replace("/", "__");

        /// <summary>The names Magento takes from its environment: CONFIG__ in capitals, a letter, then letters, digits and underscores in any case.</summary>
        private static readonly Regex ConfigVariable = new Regex("^CONFIG__[a-zA-Z]+[a-zA-Z0-9_]*$", RegexOptions.CultureInvariant);

        /// <summary>
        /// The configuration path Magento files the value of environment variable <paramref name="name"/> under
        /// (as Magento\Config\App\Config\Source\EnvironmentConfigSource and Magento\Config\Model\Placeholder\Environment
        /// decode it), or null when Magento ignores the variable. The name must match
        /// ^CONFIG__[a-zA-Z]+[a-zA-Z0-9_]*$ (only the prefix is case-sensitive); the prefix is dropped, each "__"
        /// (from the left) becomes "/", and the whole is lower-cased: CONFIG__default__Services_Connector__x__y
        /// gives "default/services_connector/x/y", CONFIG__WEBSITES__BASE__x__y__z gives "websites/base/x/y/z".
        /// </summary>
        public static string? DecodeEnvironmentVariable(string name)
        {
            if (name == null || !ConfigVariable.IsMatch(name))
            {
                return null;
            }

            // The pattern admits ASCII letters, digits and '_' only, so lower-casing cannot depend on a culture.
            return name.Substring("CONFIG__".Length).Replace("__", "/").ToLowerInvariant();
        }

        /// <summary>
        /// Splits a decoded variable path into the scope Magento applies it to and the connector path:
        /// "default/&lt;path&gt;", "websites/&lt;code&gt;/&lt;path&gt;" or "stores/&lt;code&gt;/&lt;path&gt;". False for any
        /// other scope (Magento reads only these three) and for a path that is not the connector's.
        /// </summary>
        internal static bool TrySplitScope(string decoded, out string scope, out string? code, out ConnectorPath? path)
        {
            scope = string.Empty;
            code = null;
            path = null;
            int slash = decoded.IndexOf('/');
            if (slash <= 0)
            {
                return false;
            }

            scope = decoded.Substring(0, slash);
            string rest = decoded.Substring(slash + 1);
            if (scope == "websites" || scope == "stores")
            {
                int codeEnd = rest.IndexOf('/');
                if (codeEnd <= 0)
                {
                    return false;
                }

                code = rest.Substring(0, codeEnd);
                rest = rest.Substring(codeEnd + 1);
            }
            else if (scope != "default")
            {
                return false;
            }

            path = Find(rest);
            return path != null;
        }
    }
}
