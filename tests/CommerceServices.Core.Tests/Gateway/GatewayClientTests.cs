using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Emulator;
using CommerceServices.Gateway;
using CommerceServices.Keys;
using CommerceServices.Saas;
using Xunit;

namespace CommerceServices.Core.Tests.Gateway
{
    public sealed class GatewayClientTests : IDisposable
    {
        private readonly GatewayEmulator emulator = GatewayEmulator.Start();
        private readonly ConcurrentQueue<string> debug = new ConcurrentQueue<string>();

        public void Dispose() => emulator.Dispose();

        private (GatewayClient Client, ApiKeyPair Pair, IssuedKeyPair Issued) Client(string mageId = "MAGE-C", CommerceEdition edition = CommerceEdition.AdobeCommerce, EmulatorEnvironment environment = EmulatorEnvironment.Production, GatewayOptions? options = null)
        {
            IssuedKeyPair issued = emulator.IssueKeyPair(mageId, edition, environment);
            ApiKeyPairReadResult read = ApiKeyPairReader.Read(issued.ApiKey, issued.PrivateKeyPem.ToCharArray(), environment == EmulatorEnvironment.Sandbox ? GatewayEnvironment.Sandbox : GatewayEnvironment.Production);
            Assert.True(read.IsValid);
            options ??= new GatewayOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(20) };
            return (new GatewayClient(read.KeyPair!, options, debug.Enqueue, issued.GatewayUri), read.KeyPair!, issued);
        }

        [Fact]
        public async Task TheWholeRegistryFlow()
        {
            GatewayClient client = Client().Client;

            SaasProject created = await client.CreateProjectAsync("Storefront", CancellationToken.None);
            Assert.Equal("Storefront", created.Name);
            Assert.Equal(new[] { "Production", "Testing", "Testing" }, created.DataSpaces.Select(d => d.Type));
            Assert.All(created.DataSpaces, d => Assert.Equal(created.ProjectId, d.ProjectId));

            SaasProject listed = Assert.Single(await client.GetProjectsAsync(CancellationToken.None));
            Assert.Equal(created.ProjectId, listed.ProjectId);
            Assert.Equal(3, listed.DataSpaces.Count);

            SaasProject renamed = await client.RenameProjectAsync(created.ProjectId, "Storefront EU", CancellationToken.None);
            Assert.Equal("Storefront EU", renamed.Name);
            Assert.Equal("Storefront EU", (await client.GetProjectAsync(created.ProjectId, CancellationToken.None)).Name);

            SaasDataSpace space = await client.RenameDataSpaceAsync(created.DataSpaces[2].DataSpaceId, "Staging", CancellationToken.None);
            Assert.Equal("Staging", space.Name);
            SaasDataSpace read = await client.GetDataSpaceAsync(space.DataSpaceId, CancellationToken.None);
            Assert.Equal(("Staging", "Testing", "Storefront EU"), (read.Name, read.Type, read.ProjectName));
        }

        [Fact]
        public async Task OpenSourceProjectsHaveOneProductionDataSpace()
        {
            SaasProject project = await Client("MAGE-OS", CommerceEdition.MagentoOpenSource).Client.CreateProjectAsync("Shop", CancellationToken.None);

            Assert.Equal("Production", Assert.Single(project.DataSpaces).Type);
        }

        [Fact]
        public async Task EveryRequestCarriesTheHeadersOfTheConnectorAndAUserAgent()
        {
            var (client, _, issued) = Client();
            await client.GetProjectsAsync(CancellationToken.None);
            await client.GetProjectsAsync(CancellationToken.None);

            EmulatorRequest[] requests = emulator.Requests.ToArray();
            Assert.All(requests, r => Assert.Equal(200, r.Status));
            Assert.All(requests, r => Assert.Equal(issued.ApiKey, r.ApiKey));
            Assert.All(requests, r => Assert.StartsWith("CommerceServices/", r.UserAgent, StringComparison.Ordinal));
        }

        [Fact]
        public async Task KeyChecksFollowTheGatewayHostNotTheEnvironment()
        {
            // The emulator's host (127.0.0.1) is not a CloudFront domain: both environments are checked at ping.
            Assert.True(await Client().Client.CheckApiKeyAsync(CancellationToken.None));
            Assert.True(await Client(environment: EmulatorEnvironment.Sandbox).Client.CheckApiKeyAsync(CancellationToken.None));

            // Listed as one, both are checked at the CloudFront page; the key-check request carries no Content-Type.
            var cloudFront = new GatewayRoutes(GatewayRoutes.DefaultKeyValidationUrl, GatewayRoutes.DefaultKeyValidationUrl, GatewayRoutes.DefaultCloudFrontValidationUrl, "commerce-beta.adobe.io,127.0.0.1", GatewayRoutes.DefaultRegistryApiPath);
            foreach (EmulatorEnvironment environment in new[] { EmulatorEnvironment.Production, EmulatorEnvironment.Sandbox })
            {
                var (_, pair, issued) = Client(environment: environment);
                Assert.True(await new GatewayClient(pair, gatewayUri: issued.GatewayUri, routes: cloudFront).CheckApiKeyAsync(CancellationToken.None));
            }

            Assert.Equal(
                new[] { "/merchant-registry/v1/ping", "/merchant-registry/v1/ping", "/merchant-registry/index.html", "/merchant-registry/index.html" },
                emulator.Requests.Select(r => r.Path));
            Assert.All(emulator.Requests, r => Assert.Null(r.ContentType));
        }

        [Theory]
        [InlineData(204)]
        [InlineData(201)]
        [InlineData(404)]
        public async Task OnlyExactly200PassesTheKeyCheck(int status)
        {
            // A gateway stand-in that answers every request with one status and no body.
            var listener = new System.Net.HttpListener();
            int port = FreePort();
            listener.Prefixes.Add("http://127.0.0.1:" + port + "/");
            listener.Start();
            Task answer = Task.Run(async () =>
            {
                HttpListenerContext context = await listener.GetContextAsync();
                context.Response.StatusCode = status;
                context.Response.Close();
            });
            try
            {
                var (_, pair, _) = Client();
                Assert.False(await new GatewayClient(pair, gatewayUri: new Uri("http://127.0.0.1:" + port + "/")).CheckApiKeyAsync(CancellationToken.None));
                await answer;
            }
            finally
            {
                listener.Stop();
            }
        }

        [Theory]
        [InlineData(302, "http://portal.example/login?from=gateway", "portal.example")]
        [InlineData(301, "/merchant-registry/v1/ping/", "another path")]
        [InlineData(307, null, "nowhere")]
        public async Task ARedirectedKeyCheckIsAProtocolErrorAndNeverFollowed(int status, string? location, string shown)
        {
            // A captive portal's answer: the connector (Guzzle) would follow it and take the portal's 200 for valid keys.
            var listener = new System.Net.HttpListener();
            int port = FreePort();
            listener.Prefixes.Add("http://127.0.0.1:" + port + "/");
            listener.Start();
            int requests = 0;
            Task answer = Task.Run(async () =>
            {
                while (true)
                {
                    HttpListenerContext context = await listener.GetContextAsync();
                    Interlocked.Increment(ref requests);
                    context.Response.StatusCode = status;
                    if (location != null)
                    {
                        context.Response.RedirectLocation = location;
                    }

                    context.Response.Close();
                }
            });
            try
            {
                var (_, pair, _) = Client();
                var client = new GatewayClient(pair, gatewayUri: new Uri("http://127.0.0.1:" + port + "/"));
                GatewayProtocolException error = await Assert.ThrowsAsync<GatewayProtocolException>(() => client.CheckApiKeyAsync(CancellationToken.None));

                Assert.Contains("redirect (HTTP " + status + ") to " + shown + ",", error.Message, StringComparison.Ordinal);
                Assert.Contains("not followed", error.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("from=gateway", error.Message, StringComparison.Ordinal);
                Assert.Equal(1, Volatile.Read(ref requests));
            }
            finally
            {
                listener.Stop();
            }
        }

        [Theory]
        [InlineData("JWT is invalid", false)]
        [InlineData("Registry temporarily read-only", true)]
        public async Task AKeyCheckAnswered200WithTheConnectorsRefusalIsARefusal(string message, bool accepted)
        {
            GatewayClient client = Client().Client;
            emulator.AddFault(new EmulatorFault(FaultKind.MessageBody) { Message = message, PathPattern = "ping$" });

            Assert.Equal(accepted, await client.CheckApiKeyAsync(CancellationToken.None));
            Assert.Equal(200, Assert.Single(emulator.Requests).Status);
        }

        [Theory]
        [InlineData("JWT is invalid", typeof(ApiKeyRejectedException))]
        [InlineData("Registry temporarily read-only", typeof(GatewayProtocolException))]
        public async Task ATopLevelMessageIsAnErrorAndTheConnectorsTwoMeanBadKeys(string message, Type expected)
        {
            GatewayClient client = Client().Client;
            emulator.AddFault(new EmulatorFault(FaultKind.MessageBody) { Message = message, PathPattern = "registry$" });

            GatewayException error = await Assert.ThrowsAnyAsync<GatewayException>(() => client.GetProjectsAsync(CancellationToken.None));

            Assert.IsType(expected, error);
            Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        }

        private static int FreePort()
        {
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        [Theory]
        [InlineData("http://[bad/ping", "/merchant-registry/v1/")]
        [InlineData("/merchant-registry/v1/ping", "http://[bad/")]
        public async Task ASettingThatIsNoUrlIsAConfigurationErrorAndNoRequest(string keyValidationUrl, string registryApiPath)
        {
            var (_, pair, issued) = Client();
            var routes = new GatewayRoutes(keyValidationUrl, keyValidationUrl, GatewayRoutes.DefaultCloudFrontValidationUrl, GatewayRoutes.DefaultCloudFrontValidationDomains, registryApiPath);
            var client = new GatewayClient(pair, gatewayUri: issued.GatewayUri, routes: routes);

            GatewayConfigurationException error = keyValidationUrl.Contains('[')
                ? await Assert.ThrowsAsync<GatewayConfigurationException>(() => client.CheckApiKeyAsync(CancellationToken.None))
                : await Assert.ThrowsAsync<GatewayConfigurationException>(() => client.GetProjectsAsync(CancellationToken.None));

            Assert.Contains("http://[bad/", error.Message, StringComparison.Ordinal);
            Assert.IsType<ArgumentException>(error.InnerException);
            Assert.Empty(emulator.Requests);
        }

        [Fact]
        public async Task AUserNameAndPasswordInTheGatewayUrlAreNeverShown()
        {
            var (_, pair, issued) = Client();
            var gateway = new Uri("http://user:pa55word@127.0.0.1:" + issued.GatewayUri.Port + "/");
            var client = new GatewayClient(pair, new GatewayOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(20) }, debug.Enqueue, gateway, new GatewayRoutes("http://user:pa55word@check.example.test/", null, null, null, GatewayRoutes.DefaultRegistryApiPath));

            GatewayConfigurationException refused = await Assert.ThrowsAsync<GatewayConfigurationException>(() => client.CheckApiKeyAsync(CancellationToken.None));
            await client.GetProjectsAsync(CancellationToken.None);

            Assert.DoesNotContain("pa55word", refused.Message, StringComparison.Ordinal);
            Assert.NotEmpty(debug);
            Assert.All(debug, line => Assert.DoesNotContain("pa55word", line, StringComparison.Ordinal));
        }

        [Fact]
        public async Task RegistryCallsAlwaysSayTheyAreJson()
        {
            GatewayClient client = Client().Client;
            SaasProject project = await client.CreateProjectAsync("Json", CancellationToken.None);
            await client.GetProjectsAsync(CancellationToken.None);
            await client.EnableFeatureAsync(project.DataSpaces[0].DataSpaceId, "PREMIUM_SEARCH", CancellationToken.None);

            Assert.Equal(new[] { "POST", "GET", "PUT" }, emulator.Requests.Select(r => r.Method));
            Assert.All(emulator.Requests, r => Assert.Equal("application/json", r.ContentType));
        }

        [Fact]
        public async Task RegistryPathsReplaceThePathOfTheGatewayUrl()
        {
            var (_, pair, issued) = Client();
            var client = new GatewayClient(pair, gatewayUri: new Uri(issued.GatewayUri, "some/prefix/"));

            Assert.True(await client.CheckApiKeyAsync(CancellationToken.None));
            Assert.Empty(await client.GetProjectsAsync(CancellationToken.None));

            Assert.Equal(new[] { "/merchant-registry/v1/ping", "/merchant-registry/v1/registry" }, emulator.Requests.Select(r => r.Path));
        }

        [Fact]
        public async Task TheCloudProjectAndTheLiveSearchFeatureReachTheRegistry()
        {
            GatewayClient client = Client().Client;
            string dataSpaceId = (await client.CreateProjectAsync("Cloud", CancellationToken.None)).DataSpaces[1].DataSpaceId;
            Assert.Empty((await client.GetDataSpaceAsync(dataSpaceId, CancellationToken.None)).Features!);

            await client.AttachCloudProjectAsync(dataSpaceId, "abcdefghijklm", CancellationToken.None);
            await client.EnableFeatureAsync(dataSpaceId, "PREMIUM_SEARCH", CancellationToken.None);

            Assert.Equal(new[] { "PREMIUM_SEARCH" }, (await client.GetDataSpaceAsync(dataSpaceId, CancellationToken.None)).Features);
            Assert.Contains(emulator.Requests, r => r.Method == "PUT" && r.Path == "/merchant-registry/v1/registry/environments/" + dataSpaceId + "/cloudid/abcdefghijklm" && r.Status == 200);
            await Assert.ThrowsAsync<DataSpaceNotFoundException>(() => client.EnableFeatureAsync("no-such-space", "PREMIUM_SEARCH", CancellationToken.None));
        }

        [Fact]
        public async Task ARevokedPairIsRejectedWithTheRegenerationHint()
        {
            GatewayClient old = Client().Client;
            Client();

            Assert.False(await old.CheckApiKeyAsync(CancellationToken.None));
            ApiKeyRejectedException error = await Assert.ThrowsAsync<ApiKeyRejectedException>(() => old.GetProjectsAsync(CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
            Assert.Equal("ApiKeyRejected", error.ErrorId);
            Assert.False(string.IsNullOrEmpty(error.RequestId));
            Assert.Contains("new keys were generated", error.Message, StringComparison.Ordinal);
            Assert.Single(emulator.Requests, r => r.Path == "/merchant-registry/v1/registry");
        }

        [Fact]
        public async Task UnknownIdsAreNotFound()
        {
            GatewayClient client = Client().Client;

            Assert.Equal("nope", (await Assert.ThrowsAsync<ProjectNotFoundException>(() => client.GetProjectAsync("nope", CancellationToken.None))).ProjectId);
            Assert.Equal("gone", (await Assert.ThrowsAsync<DataSpaceNotFoundException>(() => client.RenameDataSpaceAsync("gone", "x", CancellationToken.None))).DataSpaceId);
        }

        [Theory]
        [InlineData(FaultKind.TooManyRequests)]
        [InlineData(FaultKind.ServiceUnavailable)]
        [InlineData(FaultKind.InternalServerError)]
        [InlineData(FaultKind.DropConnection)]
        public async Task ReadsAreRetriedAfterATransientFailure(FaultKind kind)
        {
            GatewayClient client = Client().Client;
            emulator.AddFault(new EmulatorFault(kind) { RetryAfterSeconds = null });

            Assert.Empty(await client.GetProjectsAsync(CancellationToken.None));

            Assert.Equal(2, emulator.Requests.Count);
            Assert.Equal(kind, emulator.Requests[0].Fault);
        }

        [Fact]
        public async Task RetryAfterIsHonoured()
        {
            GatewayClient client = Client().Client;
            emulator.AddFault(new EmulatorFault(FaultKind.TooManyRequests) { RetryAfterSeconds = 1 });

            await client.GetProjectsAsync(CancellationToken.None);

            Assert.Contains(debug, line => line.StartsWith("Retrying GET ", StringComparison.Ordinal) && line.EndsWith(" in 1000 ms.", StringComparison.Ordinal));
        }

        [Fact]
        public async Task ReadsGiveUpAfterTheAllowedAttempts()
        {
            GatewayClient client = Client(options: new GatewayOptions { MaxAttempts = 3, FirstRetryDelay = TimeSpan.FromMilliseconds(10) }).Client;
            emulator.AddFault(new EmulatorFault(FaultKind.ServiceUnavailable, count: 0) { RetryAfterSeconds = null });

            GatewayUnavailableException error = await Assert.ThrowsAsync<GatewayUnavailableException>(() => client.GetProjectsAsync(CancellationToken.None));

            Assert.Equal(3, emulator.Requests.Count);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
            Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ARetryAfterBeyondTheTimeBudgetIsNotWaitedFor()
        {
            GatewayClient client = Client(options: new GatewayOptions { MaxRetryTime = TimeSpan.FromSeconds(5) }).Client;
            emulator.AddFault(new EmulatorFault(FaultKind.TooManyRequests) { RetryAfterSeconds = 3600 });

            await Assert.ThrowsAsync<GatewayUnavailableException>(() => client.GetProjectsAsync(CancellationToken.None));
            Assert.Single(emulator.Requests);
        }

        [Theory]
        [InlineData(FaultKind.ServiceUnavailable)]
        [InlineData(FaultKind.TooManyRequests)]
        [InlineData(FaultKind.DropConnection)]
        public async Task CreatingIsNeverRetried(FaultKind kind)
        {
            GatewayClient client = Client().Client;
            emulator.AddFault(new EmulatorFault(kind) { Method = "POST" });

            GatewayUnavailableException error = await Assert.ThrowsAsync<GatewayUnavailableException>(() => client.CreateProjectAsync("Once", CancellationToken.None));

            Assert.Single(emulator.Requests, r => r.Method == "POST");
            Assert.Contains("not retried", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task RenamingIsNeverRetried()
        {
            GatewayClient client = Client().Client;
            SaasProject project = await client.CreateProjectAsync("P", CancellationToken.None);
            emulator.AddFault(new EmulatorFault(FaultKind.InternalServerError) { Method = "PATCH" });

            await Assert.ThrowsAsync<GatewayUnavailableException>(() => client.RenameProjectAsync(project.ProjectId, "Q", CancellationToken.None));
            Assert.Single(emulator.Requests, r => r.Method == "PATCH");
        }

        [Theory]
        [InlineData(FaultKind.MalformedJson, "not valid JSON")]
        [InlineData(FaultKind.MessageBody, "Registry temporarily read-only")]
        public async Task MalformedOrErrorBodiesAreProtocolErrors(FaultKind kind, string messagePart)
        {
            GatewayClient client = Client().Client;
            emulator.AddFault(new EmulatorFault(kind));

            GatewayProtocolException error = await Assert.ThrowsAsync<GatewayProtocolException>(() => client.GetProjectsAsync(CancellationToken.None));

            Assert.Equal("GatewayProtocolError", error.ErrorId);
            Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task CancellationStopsASlowCall()
        {
            GatewayClient client = Client().Client;
            emulator.AddFault(new EmulatorFault(FaultKind.Latency) { Delay = TimeSpan.FromSeconds(20) });
            using var cancel = new CancellationTokenSource();

            // Cancelled once the gateway holds the request (not on a timer, which a slow first call
            // could outrun): without cancellation the call would answer after 20 s, not throw.
            Task<IReadOnlyList<SaasProject>> call = client.GetProjectsAsync(cancel.Token);
            for (int i = 0; i < 1000 && emulator.Requests.Count == 0; i++)
            {
                await Task.Delay(10);
            }

            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
            Assert.Single(emulator.Requests);
        }

        [Fact]
        public async Task ASlowGatewayTimesOutAndCountsAsUnavailable()
        {
            GatewayClient client = Client(options: new GatewayOptions { RequestTimeout = TimeSpan.FromMilliseconds(200), MaxAttempts = 2, FirstRetryDelay = TimeSpan.FromMilliseconds(10) }).Client;
            emulator.AddFault(new EmulatorFault(FaultKind.Latency, count: 0) { Delay = TimeSpan.FromSeconds(10) });

            GatewayUnavailableException error = await Assert.ThrowsAsync<GatewayUnavailableException>(() => client.GetProjectsAsync(CancellationToken.None));

            Assert.IsType<TimeoutException>(error.InnerException);
            Assert.Equal(2, emulator.Requests.Count);
        }

        [Fact]
        public async Task DebugLinesNameTheRequestButNoSecret()
        {
            var (client, pair, issued) = Client();
            await client.GetProjectsAsync(CancellationToken.None);

            string line = Assert.Single(debug);
            Assert.StartsWith("GET " + issued.GatewayUri + "merchant-registry/v1/registry -> 200 (attempt 1, ", line, StringComparison.Ordinal);
            Assert.DoesNotContain(issued.ApiKey, line, StringComparison.Ordinal);
            Assert.DoesNotContain("eyJ", line, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("http://commerce.example.com/")]
        [InlineData("ftp://127.0.0.1/")]
        [InlineData("relative/path")]
        public void InsecureOrUnusableGatewayUrisAreRefused(string uri)
        {
            ApiKeyPair pair = Client().Pair;

            Assert.Throws<ArgumentException>(() => new GatewayClient(pair, gatewayUri: new Uri(uri, UriKind.RelativeOrAbsolute)));
        }

        [Theory]
        [InlineData("https://commerce.adobe.io", "https://commerce.adobe.io/")]
        [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
        [InlineData("http://[::1]:8080/", "http://[::1]:8080/")]
        [InlineData("http://localhost:8080/gateway", "http://localhost:8080/gateway")]
        public void HttpsAndLoopbackGatewaysAreAcceptedAndKeptAsTheyAre(string uri, string expected)
        {
            Assert.Equal(expected, new GatewayClient(Client().Pair, gatewayUri: new Uri(uri)).BaseUri.ToString());
        }

        [Fact]
        public void TheRealGatewaysAreTheDefaults()
        {
            var (_, pair, _) = Client();
            Assert.Equal("https://commerce.adobe.io/", new GatewayClient(pair).BaseUri.ToString());
            Assert.Equal("https://commerce-beta.adobe.io/", new GatewayClient(Client(environment: EmulatorEnvironment.Sandbox).Pair).BaseUri.ToString());
        }
    }
}
