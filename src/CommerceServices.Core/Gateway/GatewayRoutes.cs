using System;
using System.Linq;
using CommerceServices.Php;

namespace CommerceServices.Gateway
{
    /// <summary>
    /// Where on a gateway the connector sends its key check and its registry calls. Each part is a
    /// connector setting that any configuration layer can override; <see cref="Default"/> holds
    /// the connector's config.xml values. The rules are the connector's (Magento_ServicesConnector's
    /// Environment and KeyValidation, Magento_ServicesId's ServicesConfig::getRegistryApiUrl):
    /// <list type="bullet">
    /// <item>Key check: when the host of the gateway URL is one of <c>cloudfront_validation_domains</c>
    /// (split at commas, compared exactly: no trimming, case-sensitive), GET <c>cloudfront_validation_url</c>;
    /// otherwise GET <c>{env}_key_validation_url</c>. A URL PHP reads as false (empty or "0")
    /// means no request at all: the pair counts as valid.</item>
    /// <item>Registry: <c>registry_api_path</c> followed by the operation's path.</item>
    /// <item>Both are resolved against the gateway URL as Guzzle's <c>base_uri</c> does (RFC 3986):
    /// a path that starts with "/" replaces the gateway URL's path; an absolute URL is used as it is.</item>
    /// </list>
    /// </summary>
    public sealed class GatewayRoutes
    {
        /// <summary>config.xml: services_connector/{production,sandbox}_key_validation_url.</summary>
        public const string DefaultKeyValidationUrl = "/merchant-registry/v1/ping";

        /// <summary>config.xml: services_connector/cloudfront_validation_url.</summary>
        public const string DefaultCloudFrontValidationUrl = "/merchant-registry/index.html";

        /// <summary>config.xml: services_connector/cloudfront_validation_domains.</summary>
        public const string DefaultCloudFrontValidationDomains = "commerce-beta.adobe.io";

        /// <summary>config.xml: services_connector/services_id/registry_api_path.</summary>
        public const string DefaultRegistryApiPath = "/merchant-registry/v1/";

        /// <param name="productionKeyValidationUrl">services_connector/production_key_validation_url.</param>
        /// <param name="sandboxKeyValidationUrl">services_connector/sandbox_key_validation_url.</param>
        /// <param name="cloudFrontValidationUrl">services_connector/cloudfront_validation_url.</param>
        /// <param name="cloudFrontValidationDomains">services_connector/cloudfront_validation_domains, comma-separated.</param>
        /// <param name="registryApiPath">services_connector/services_id/registry_api_path.</param>
        public GatewayRoutes(string? productionKeyValidationUrl, string? sandboxKeyValidationUrl, string? cloudFrontValidationUrl, string? cloudFrontValidationDomains, string? registryApiPath)
        {
            ProductionKeyValidationUrl = productionKeyValidationUrl;
            SandboxKeyValidationUrl = sandboxKeyValidationUrl;
            CloudFrontValidationUrl = cloudFrontValidationUrl;
            CloudFrontValidationDomains = cloudFrontValidationDomains;
            RegistryApiPath = registryApiPath;
        }

        /// <summary>The connector's own values (config.xml), for a key pair that belongs to no instance.</summary>
        public static GatewayRoutes Default { get; } = new GatewayRoutes(DefaultKeyValidationUrl, DefaultKeyValidationUrl, DefaultCloudFrontValidationUrl, DefaultCloudFrontValidationDomains, DefaultRegistryApiPath);

        public string? ProductionKeyValidationUrl { get; }

        public string? SandboxKeyValidationUrl { get; }

        public string? CloudFrontValidationUrl { get; }

        public string? CloudFrontValidationDomains { get; }

        public string? RegistryApiPath { get; }

        /// <summary>
        /// The URL the connector's key check requests for <paramref name="environment"/> at
        /// <paramref name="gateway"/>; null when the configured URL is empty (or "0"), in which case
        /// the connector makes no request and counts the pair as valid.
        /// </summary>
        /// <exception cref="ArgumentException">The setting cannot be resolved against the gateway URL.</exception>
        public Uri? KeyCheckUri(GatewayEnvironment environment, Uri gateway)
        {
            string? host = PhpUrl.Host(gateway.OriginalString);
            bool cloudFront = host != null && (CloudFrontValidationDomains ?? string.Empty).Split(',').Contains(host, StringComparer.Ordinal);
            string? url = cloudFront ? CloudFrontValidationUrl : environment == GatewayEnvironment.Sandbox ? SandboxKeyValidationUrl : ProductionKeyValidationUrl;
            return PhpTruth.IsEmpty(url) ? null : Resolve(gateway, url!);
        }

        /// <summary>What the key check of <paramref name="environment"/> at <paramref name="gateway"/> asks, as text that never throws: the URL, "(none)", or why it cannot be built.</summary>
        public string DescribeKeyCheck(GatewayEnvironment environment, Uri gateway)
        {
            try
            {
                return KeyCheckUri(environment, gateway)?.AbsoluteUri ?? "(none)";
            }
            catch (ArgumentException ex)
            {
                return "(not usable) " + ex.Message;
            }
        }

        /// <summary>The URL of a registry operation, <paramref name="operation"/> being e.g. "registry/projects/{id}".</summary>
        /// <exception cref="ArgumentException">registry_api_path cannot be resolved against the gateway URL.</exception>
        public Uri RegistryUri(Uri gateway, string operation) => Resolve(gateway, (RegistryApiPath ?? string.Empty) + operation);

        /// <summary>Resolves a reference against the gateway URL by RFC 3986, as Guzzle does with <c>base_uri</c>.</summary>
        /// <exception cref="ArgumentException">The reference is not a URL (for example "http://[bad/ping").</exception>
        public static Uri Resolve(Uri gateway, string reference) =>
            Uri.TryCreate(gateway, reference, out Uri? resolved)
                ? resolved
                : throw new ArgumentException("The connector setting value '" + reference + "' is not a URL or path that can be resolved against the gateway URL " + gateway.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) + ".", nameof(reference));
    }
}
