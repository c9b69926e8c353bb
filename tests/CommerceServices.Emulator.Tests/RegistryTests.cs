using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace CommerceServices.Emulator.Tests
{
    public sealed class RegistryTests : IDisposable
    {
        private readonly GatewayEmulator emulator = GatewayEmulator.Start();

        public void Dispose() => emulator.Dispose();

        private GatewayCaller Account(string mageId, CommerceEdition edition) =>
            new GatewayCaller(emulator.IssueKeyPair(mageId, edition, EmulatorEnvironment.Production));

        private static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement;

        [Fact]
        public async Task AdobeCommerceProjectsGetOneProductionAndTwoTestingDataSpaces()
        {
            var (status, body, _) = await Account("MAGE-AC", CommerceEdition.AdobeCommerce).SendAsync("POST", "merchant-registry/v1/registry/initialize", "{\"projectName\":\"Storefront\"}");

            Assert.Equal(200, status);
            JsonElement[] rows = Json(body).GetProperty("results").EnumerateArray().ToArray();
            Assert.Equal(new[] { "Production", "Testing", "Testing" }, rows.Select(r => r.GetProperty("environmentType").GetString()));
            Assert.All(rows, r => Assert.Equal("Storefront", r.GetProperty("projectName").GetString()));
            Assert.Single(rows.Select(r => r.GetProperty("projectId").GetString()).Distinct());
            Assert.Equal(
                new[] { "environmentId", "environmentName", "environmentType", "features", "projectId", "projectName" },
                rows[0].EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public async Task OpenSourceProjectsGetOneProductionDataSpace()
        {
            var (_, body, _) = await Account("MAGE-OS", CommerceEdition.MagentoOpenSource).SendAsync("POST", "merchant-registry/v1/registry/initialize", "{\"projectName\":\"Shop\"}");

            JsonElement row = Assert.Single(Json(body).GetProperty("results").EnumerateArray());
            Assert.Equal("Production", row.GetProperty("environmentType").GetString());
        }

        [Fact]
        public async Task ProjectsBelongToTheAccountOfTheKey()
        {
            GatewayCaller first = Account("MAGE-1", CommerceEdition.AdobeCommerce);
            GatewayCaller second = Account("MAGE-2", CommerceEdition.AdobeCommerce);
            var (_, created, _) = await first.SendAsync("POST", "merchant-registry/v1/registry/initialize", "{\"projectName\":\"Mine\"}");
            string projectId = Json(created).GetProperty("results")[0].GetProperty("projectId").GetString()!;

            var (_, list, _) = await second.SendAsync("GET", "merchant-registry/v1/registry");
            Assert.Empty(Json(list).GetProperty("results").EnumerateArray());
            Assert.Equal(404, (await second.SendAsync("GET", "merchant-registry/v1/registry/projects/" + projectId)).Status);
            Assert.Equal(3, Json((await first.SendAsync("GET", "merchant-registry/v1/registry")).Body).GetProperty("results").GetArrayLength());
        }

        [Fact]
        public async Task ProjectsAndDataSpacesCanBeReadAndRenamed()
        {
            GatewayCaller caller = Account("MAGE-R", CommerceEdition.AdobeCommerce);
            JsonElement row = Json((await caller.SendAsync("POST", "merchant-registry/v1/registry/initialize", "{\"projectName\":\"Old\"}")).Body).GetProperty("results")[1];
            string projectId = row.GetProperty("projectId").GetString()!;
            string dataSpaceId = row.GetProperty("environmentId").GetString()!;

            var (status, renamed, _) = await caller.SendAsync("PATCH", "merchant-registry/v1/registry/projects/" + projectId, "{\"projectName\":\"New\"}");
            Assert.Equal(200, status);
            Assert.All(Json(renamed).GetProperty("results").EnumerateArray(), r => Assert.Equal("New", r.GetProperty("projectName").GetString()));

            var (_, space, _) = await caller.SendAsync("PATCH", "merchant-registry/v1/registry/environments/" + dataSpaceId, "{\"environmentName\":\"Staging\"}");
            Assert.Equal("Staging", Json(space).GetProperty("environmentName").GetString());

            // A data space is answered as a single object, not wrapped in results.
            JsonElement single = Json((await caller.SendAsync("GET", "merchant-registry/v1/registry/environments/" + dataSpaceId)).Body);
            Assert.Equal("Staging", single.GetProperty("environmentName").GetString());
            Assert.Equal("New", single.GetProperty("projectName").GetString());
            Assert.Equal("Testing", single.GetProperty("environmentType").GetString());
            Assert.False(single.TryGetProperty("message", out _));
        }

        [Fact]
        public async Task MissingNamesAndUnknownIdsAreRefused()
        {
            GatewayCaller caller = Account("MAGE-E", CommerceEdition.AdobeCommerce);

            Assert.Equal(400, (await caller.SendAsync("POST", "merchant-registry/v1/registry/initialize", "{}")).Status);
            Assert.Equal(400, (await caller.SendAsync("POST", "merchant-registry/v1/registry/initialize", "{\"projectName\":\"  \"}")).Status);
            var (status, body, _) = await caller.SendAsync("GET", "merchant-registry/v1/registry/environments/nope");
            Assert.Equal(404, status);
            Assert.Equal(404, Json(body).GetProperty("status").GetInt32());
        }

        [Fact]
        public async Task CloudIdFeatureAndImsRegistrationAreAccepted()
        {
            GatewayCaller caller = Account("MAGE-X", CommerceEdition.AdobeCommerce);
            string id = Json((await caller.SendAsync("POST", "merchant-registry/v1/registry/initialize", "{\"projectName\":\"P\"}")).Body).GetProperty("results")[0].GetProperty("environmentId").GetString()!;

            Assert.Equal("abc123", Json((await caller.SendAsync("PUT", "merchant-registry/v1/registry/environments/" + id + "/cloudid/abc123")).Body).GetProperty("cloudId").GetString());
            Assert.Equal("PREMIUM_SEARCH", Json((await caller.SendAsync("PUT", "merchant-registry/v1/registry/environments/" + id + "/feature/PREMIUM_SEARCH")).Body).GetProperty("features")[0].GetString());

            Assert.Equal(400, (await caller.SendAsync("POST", "cabp-org/registration", "{\"redirectUrl\":\"https://shop.test/admin\"}")).Status);
            using var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Post, new Uri(emulator.ProductionUri, "cabp-org/registration"));
            request.Headers.Add("x-api-key", caller.ApiKey);
            request.Headers.Add("magento-api-key", caller.ApiKey);
            request.Headers.Add("x-gw-signature", caller.Token());
            request.Headers.Add("Magento-Environment-Id", id);
            request.Content = new System.Net.Http.StringContent("{\"redirectUrl\":\"https://shop.test/admin\"}");
            using var http = new System.Net.Http.HttpClient();
            JsonElement registration = Json(await (await http.SendAsync(request)).Content.ReadAsStringAsync());
            Assert.False(string.IsNullOrEmpty(registration.GetProperty("id").GetString()));
            Assert.EndsWith("@AdobeOrg", registration.GetProperty("organizationId").GetString(), StringComparison.Ordinal);
        }

        [Fact]
        public void AnAccountKeepsItsEdition()
        {
            emulator.IssueKeyPair("MAGE-ED", CommerceEdition.MagentoOpenSource, EmulatorEnvironment.Production);

            Assert.Throws<InvalidOperationException>(() => emulator.IssueKeyPair("MAGE-ED", CommerceEdition.AdobeCommerce, EmulatorEnvironment.Sandbox));
        }
    }
}
