using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Emulator;
using CommerceServices.Gateway;
using CommerceEdition = CommerceServices.Emulator.CommerceEdition;
using CommerceServices.Keys;
using CommerceServices.Php;
using CommerceServices.Saas;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Gateway
{
    /// <summary>
    /// Where the module sends key checks and registry calls, and with which Content-Type, against
    /// the reference peer: PHP's parse_url and the real Guzzle (the connector's HTTP client), driven
    /// by the connector's rules (Php/connector-requests.php).
    /// </summary>
    public sealed class ConnectorRequestConformanceTests : IDisposable
    {
        private const string Operation = "registry/environments/ds-1/feature/PREMIUM_SEARCH";
        private readonly GatewayEmulator emulator = GatewayEmulator.Start();

        public void Dispose() => emulator.Dispose();

        /// <summary>Name, gateway URL, environment, settings that differ from config.xml.</summary>
        public static TheoryData<string, string, string, string[]> Cases => new TheoryData<string, string, string, string[]>
        {
            { "Adobe's production gateway", "https://commerce.adobe.io/", "production", new string[0] },
            { "Adobe's sandbox gateway (the CloudFront domain)", "https://commerce-beta.adobe.io/", "sandbox", new string[0] },
            { "a sandbox gateway on another host", "https://sandbox.example.test/", "sandbox", new string[0] },
            { "the CloudFront host in other letter case", "https://Commerce-Beta.adobe.io/", "sandbox", new string[0] },
            { "a domain listed after a space", "https://gw.example.test/", "sandbox", new[] { "services_connector/cloudfront_validation_domains", "commerce-beta.adobe.io, gw.example.test" } },
            { "a listed domain on production", "https://gw.example.test/", "production", new[] { "services_connector/cloudfront_validation_domains", "commerce-beta.adobe.io,gw.example.test" } },
            { "a listed domain with a port", "https://gw.example.test:8443/", "sandbox", new[] { "services_connector/cloudfront_validation_domains", "gw.example.test" } },
            { "a listed domain with user info", "https://user@gw.example.test/", "sandbox", new[] { "services_connector/cloudfront_validation_domains", "gw.example.test" } },
            { "a listed IPv6 literal", "http://[::1]:8080/", "production", new[] { "services_connector/cloudfront_validation_domains", "[::1]" } },
            { "a gateway URL with a path", "https://gw.example.test/some/base/", "production", new string[0] },
            { "a gateway URL with a path, no slash, a query", "https://gw.example.test/some/base?x=1", "sandbox", new string[0] },
            { "a relative key-check URL", "https://gw.example.test/some/base", "production", new[] { "services_connector/production_key_validation_url", "merchant-registry/ping" } },
            { "an absolute key-check URL", "https://gw.example.test/", "sandbox", new[] { "services_connector/sandbox_key_validation_url", "https://check.example.test/ping" } },
            { "an empty key-check URL", "https://gw.example.test/", "production", new[] { "services_connector/production_key_validation_url", "" } },
            { "a key-check URL of \"0\"", "https://gw.example.test/", "sandbox", new[] { "services_connector/sandbox_key_validation_url", "0" } },
            { "an empty CloudFront URL", "https://commerce-beta.adobe.io/", "sandbox", new[] { "services_connector/cloudfront_validation_url", "" } },
            { "another registry path", "https://gw.example.test/", "production", new[] { "services_connector/services_id/registry_api_path", "/registry-proxy/v2/" } },
            { "a relative registry path", "https://gw.example.test/base/", "production", new[] { "services_connector/services_id/registry_api_path", "merchant-registry/v1/" } },
        };

        [Fact]
        public void EveryCaseResolvesAsTheConnectorDoesWithGuzzle()
        {
            var cases = Cases.Select(row => ((string)row[0], (string)row[1], (string)row[2], (string[])row[3])).ToArray();
            using var folder = new TempFolder();
            string input = folder.Write("cases.json", JsonSerializer.Serialize(cases.Select(c => CaseJson(c.Item2, c.Item3, c.Item4, Operation))));

            JsonElement[] php = JsonDocument.Parse(PhpCli.Run("connector-requests.php", "resolve", input)).RootElement.EnumerateArray().ToArray();

            Assert.Equal(cases.Length, php.Length);
            for (int i = 0; i < cases.Length; i++)
            {
                var (name, gatewayUrl, environment, overrides) = cases[i];
                GatewayRoutes routes = Routes(overrides);
                var gateway = new Uri(gatewayUrl);
                GatewayEnvironment env = environment == "sandbox" ? GatewayEnvironment.Sandbox : GatewayEnvironment.Production;

                Assert.True(php[i].GetProperty("host").ValueKind == JsonValueKind.Null ? PhpUrl.Host(gatewayUrl) == null : PhpUrl.Host(gatewayUrl) == php[i].GetProperty("host").GetString(), name + ": host");
                Assert.True(Text(php[i].GetProperty("keyCheck")) == routes.KeyCheckUri(env, gateway)?.AbsoluteUri, name + ": key check " + Text(php[i].GetProperty("keyCheck")) + " (PHP) vs " + routes.KeyCheckUri(env, gateway)?.AbsoluteUri);
                Assert.True(Text(php[i].GetProperty("registry")) == routes.RegistryUri(gateway, Operation).AbsoluteUri, name + ": registry " + Text(php[i].GetProperty("registry")) + " (PHP) vs " + routes.RegistryUri(gateway, Operation).AbsoluteUri);
            }
        }

        [Theory]
        [InlineData("https://commerce.adobe.io/", "commerce.adobe.io")]
        [InlineData("https://Commerce-Beta.ADOBE.io:443/x", "Commerce-Beta.ADOBE.io")]
        [InlineData("http://u:p@host.test:80/", "host.test")]
        [InlineData("http://[::1]:8080/", "[::1]")]
        [InlineData("//host.test/path", "host.test")]
        [InlineData("https://host.test?x=1", "host.test")]
        [InlineData("https://host.test#frag", "host.test")]
        [InlineData("commerce.adobe.io", null)]
        [InlineData("https://host.test:abc/", null)]
        [InlineData("https://:443/", null)]
        [InlineData("", null)]
        [InlineData("https://host.test:/", "host.test")]
        [InlineData("https://host.test:123456/", null)]
        [InlineData("https://host.test:65535/", "host.test")]
        [InlineData("https://host.test:65536/", null)]
        [InlineData("https://host.test:0/", "host.test")]
        [InlineData("http://a@b@c/", "c")]
        public void HostsAreReadAsPhpParseUrlReadsThem(string url, string? expected)
        {
            string php = PhpCli.Run("connector-requests.php", "host", url);

            Assert.Equal(expected, PhpUrl.Host(url));
            Assert.Equal(expected == null ? "NULL" : "'" + expected + "'", php);
        }

        [Theory]
        [InlineData(200, "{\"status\":404,\"message\":\"Environment not found\"}")]
        [InlineData(200, "{\"status\":\"200\",\"message\":\"fine\"}")]
        [InlineData(200, "{\"status\":200.0,\"message\":\"fine\"}")]
        [InlineData(200, "{\"status\":\" 200 \",\"message\":\"fine\"}")]
        [InlineData(200, "{\"status\":true,\"message\":\"fine\"}")]
        [InlineData(200, "{\"status\":\"OK\",\"message\":\"fine\"}")]
        [InlineData(200, "{\"status\":500,\"message\":\"0\"}")]
        [InlineData(200, "{\"status\":500,\"message\":\"\"}")]
        [InlineData(200, "{\"status\":0,\"message\":\"zero\"}")]
        [InlineData(200, "{\"status\":\"0\",\"message\":\"zero\"}")]
        [InlineData(200, "{\"message\":\"no status\"}")]
        [InlineData(200, "{\"status\":403,\"message\":{\"code\":1}}")]
        [InlineData(200, "[1,2]")]
        [InlineData(200, "")]
        [InlineData(200, "not json")]
        [InlineData(201, "not json")]
        [InlineData(204, "")]
        [InlineData(202, "accepted")]
        public void AnswersToTheRegistryPutsAreErrorsWhereTheConnectorLogsThem(int status, string body)
        {
            using var folder = new TempFolder();
            string php = PhpCli.Run("connector-requests.php", "refusal", status.ToString(System.Globalization.CultureInfo.InvariantCulture), folder.Write("body", body));

            Assert.Equal(php == "ok" ? null : php, GatewayClient.RegistryRefusal(body, status));
        }

        /// <summary>Gateway URL shapes the emulator can take, with the settings that matter for them.</summary>
        public static TheoryData<string, string, string, string[]> SentCases => new TheoryData<string, string, string, string[]>
        {
            { "a sandbox gateway on this machine", "", "sandbox", new string[0] },
            { "a production gateway URL with a path", "prefix/path/", "production", new string[0] },
            { "this machine listed as a CloudFront domain", "", "production", new[] { "services_connector/cloudfront_validation_domains", "commerce-beta.adobe.io,127.0.0.1" } },
            { "an empty key-check URL", "", "sandbox", new[] { "services_connector/sandbox_key_validation_url", "" } },
        };

        [Theory]
        [MemberData(nameof(SentCases))]
        public async Task TheRequestsThatArriveAreTheConnectorsRequests(string name, string path, string environment, string[] overrides)
        {
            EmulatorEnvironment emulated = environment == "sandbox" ? EmulatorEnvironment.Sandbox : EmulatorEnvironment.Production;
            IssuedKeyPair issued = emulator.IssueKeyPair("MAGE-CONFORM", CommerceEdition.AdobeCommerce, emulated);
            ApiKeyPairReadResult read = ApiKeyPairReader.Read(issued.ApiKey, issued.PrivateKeyPem.ToCharArray(), emulated == EmulatorEnvironment.Sandbox ? GatewayEnvironment.Sandbox : GatewayEnvironment.Production);
            var gateway = new Uri(issued.GatewayUri, path);
            var client = new GatewayClient(read.KeyPair!, null, null, gateway, Routes(overrides));
            SaasDataSpace dataSpace = (await client.CreateProjectAsync("Conformance", CancellationToken.None)).DataSpaces[0];
            string operation = "registry/environments/" + dataSpace.DataSpaceId + "/feature/PREMIUM_SEARCH";

            using var folder = new TempFolder();
            string input = folder.Write("case.json", JsonSerializer.Serialize(CaseJson(gateway.AbsoluteUri, environment, overrides, operation)));
            string key = folder.Write("key.pem", issued.PrivateKeyPem);
            int before = emulator.Requests.Count;
            string phpStatuses = PhpCli.Run("connector-requests.php", "send", input, issued.ApiKey, key);
            EmulatorRequest[] fromPhp = emulator.Requests.Skip(before).ToArray();

            before = emulator.Requests.Count;
            var statuses = new List<int>();
            if (client.Routes.KeyCheckUri(client.Environment, client.BaseUri) != null)
            {
                statuses.Add(await client.CheckApiKeyAsync(CancellationToken.None) ? 200 : 0);
            }

            statuses.Add((await client.GetProjectsAsync(CancellationToken.None)).Count == 1 ? 200 : 0);
            await client.EnableFeatureAsync(dataSpace.DataSpaceId, "PREMIUM_SEARCH", CancellationToken.None);
            statuses.Add(200);
            EmulatorRequest[] fromModule = emulator.Requests.Skip(before).ToArray();

            Assert.Equal(phpStatuses, "[" + string.Join(",", statuses) + "]");
            Assert.Equal(Shape(fromPhp), Shape(fromModule));
            Assert.All(fromModule, r => Assert.Equal(issued.ApiKey, r.ApiKey));
            Assert.True(fromModule.Length >= 2, name);
        }

        [Fact]
        public async Task ALoopbackSandboxIsCheckedAtPingNotAtTheCloudFrontPage()
        {
            IssuedKeyPair issued = emulator.IssueKeyPair("MAGE-SANDBOX", CommerceEdition.AdobeCommerce, EmulatorEnvironment.Sandbox);
            ApiKeyPairReadResult read = ApiKeyPairReader.Read(issued.ApiKey, issued.PrivateKeyPem.ToCharArray(), GatewayEnvironment.Sandbox);

            Assert.True(await new GatewayClient(read.KeyPair!, gatewayUri: issued.GatewayUri).CheckApiKeyAsync(CancellationToken.None));

            Assert.Equal("/merchant-registry/v1/ping", Assert.Single(emulator.Requests).Path);
        }

        [Fact]
        public async Task AKeyCheckUrlOverPlainHttpToAnotherMachineIsRefusedWithoutARequest()
        {
            IssuedKeyPair issued = emulator.IssueKeyPair("MAGE-HTTP", CommerceEdition.AdobeCommerce, EmulatorEnvironment.Production);
            ApiKeyPairReadResult read = ApiKeyPairReader.Read(issued.ApiKey, issued.PrivateKeyPem.ToCharArray(), GatewayEnvironment.Production);
            var client = new GatewayClient(read.KeyPair!, gatewayUri: issued.GatewayUri, routes: Routes(new[] { "services_connector/production_key_validation_url", "http://check.example.test/ping" }));

            GatewayConfigurationException error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => client.CheckApiKeyAsync(CancellationToken.None));

            Assert.Equal("GatewayConfigurationInvalid", error.ErrorId);
            Assert.Contains("http://check.example.test/ping", error.Message, StringComparison.Ordinal);
            Assert.Empty(emulator.Requests);
        }

        private static (string Method, string Path, string? ContentType)[] Shape(IEnumerable<EmulatorRequest> requests) =>
            requests.Select(r => (r.Method, r.Path, r.ContentType)).ToArray();

        private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetString();

        private static Dictionary<string, string?> Settings(string[] overrides)
        {
            var settings = new Dictionary<string, string?>
            {
                [ConnectorPaths.ProductionKeyValidationUrl] = GatewayRoutes.DefaultKeyValidationUrl,
                [ConnectorPaths.SandboxKeyValidationUrl] = GatewayRoutes.DefaultKeyValidationUrl,
                [ConnectorPaths.CloudFrontValidationUrl] = GatewayRoutes.DefaultCloudFrontValidationUrl,
                [ConnectorPaths.CloudFrontValidationDomains] = GatewayRoutes.DefaultCloudFrontValidationDomains,
                [ConnectorPaths.RegistryApiPath] = GatewayRoutes.DefaultRegistryApiPath,
            };
            for (int i = 0; i < overrides.Length; i += 2)
            {
                settings[overrides[i]] = overrides[i + 1];
            }

            return settings;
        }

        private static GatewayRoutes Routes(string[] overrides)
        {
            Dictionary<string, string?> settings = Settings(overrides);
            return new GatewayRoutes(
                settings[ConnectorPaths.ProductionKeyValidationUrl],
                settings[ConnectorPaths.SandboxKeyValidationUrl],
                settings[ConnectorPaths.CloudFrontValidationUrl],
                settings[ConnectorPaths.CloudFrontValidationDomains],
                settings[ConnectorPaths.RegistryApiPath]);
        }

        private static object CaseJson(string gatewayUrl, string environment, string[] overrides, string operation) =>
            new Dictionary<string, object> { ["gatewayUrl"] = gatewayUrl, ["environment"] = environment, ["settings"] = Settings(overrides), ["operation"] = operation };
    }
}
