using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Emulator.Tests
{
    public sealed class FaultAndStateTests : IDisposable
    {
        private readonly GatewayEmulator emulator = GatewayEmulator.Start();

        public void Dispose() => emulator.Dispose();

        private GatewayCaller Caller() => new GatewayCaller(emulator.IssueKeyPair("MAGE-F", CommerceEdition.AdobeCommerce, EmulatorEnvironment.Production));

        [Fact]
        public async Task TooManyRequestsCarriesRetryAfterAndPassesAfterItsCount()
        {
            GatewayCaller caller = Caller();
            emulator.AddFault(new EmulatorFault(FaultKind.TooManyRequests, count: 1) { RetryAfterSeconds = 7, PathPattern = "registry$" });

            var (status, _, response) = await caller.SendAsync("GET", "merchant-registry/v1/registry");
            Assert.Equal(429, status);
            Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter!.Delta);
            Assert.Equal(200, (await caller.SendAsync("GET", "merchant-registry/v1/registry")).Status);
            Assert.Equal(FaultKind.TooManyRequests, emulator.Requests[^2].Fault);
        }

        [Theory]
        [InlineData(FaultKind.ServiceUnavailable, 503)]
        [InlineData(FaultKind.InternalServerError, 500)]
        public async Task ServerErrors(FaultKind kind, int expected)
        {
            GatewayCaller caller = Caller();
            emulator.AddFault(new EmulatorFault(kind, count: 2));

            Assert.Equal(expected, (await caller.SendAsync("GET", "merchant-registry/v1/registry")).Status);
            Assert.Equal(expected, (await caller.SendAsync("GET", "merchant-registry/v1/registry")).Status);
            Assert.Equal(200, (await caller.SendAsync("GET", "merchant-registry/v1/registry")).Status);
        }

        [Fact]
        public async Task FaultsMatchMethodAndPath()
        {
            GatewayCaller caller = Caller();
            emulator.AddFault(new EmulatorFault(FaultKind.ServiceUnavailable, count: 0) { Method = "POST" });

            Assert.Equal(200, (await caller.SendAsync("GET", "merchant-registry/v1/registry")).Status);
            Assert.Equal(503, (await caller.SendAsync("POST", "merchant-registry/v1/registry/initialize", "{\"projectName\":\"x\"}")).Status);
            Assert.Equal(503, (await caller.SendAsync("POST", "merchant-registry/v1/registry/initialize", "{\"projectName\":\"x\"}")).Status);
            emulator.ClearFaults();
            Assert.Equal(200, (await caller.SendAsync("POST", "merchant-registry/v1/registry/initialize", "{\"projectName\":\"x\"}")).Status);
        }

        [Fact]
        public async Task ADroppedConnectionGivesNoAnswer()
        {
            GatewayCaller caller = Caller();
            emulator.AddFault(new EmulatorFault(FaultKind.DropConnection));

            await Assert.ThrowsAsync<HttpRequestException>(() => caller.SendAsync("GET", "merchant-registry/v1/registry"));
        }

        [Fact]
        public async Task MalformedAndMessageBodies()
        {
            GatewayCaller caller = Caller();
            emulator.AddFault(new EmulatorFault(FaultKind.MalformedJson));
            emulator.AddFault(new EmulatorFault(FaultKind.MessageBody));

            var (status, body, _) = await caller.SendAsync("GET", "merchant-registry/v1/registry");
            Assert.Equal(200, status);
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
            var (status2, body2, _) = await caller.SendAsync("GET", "merchant-registry/v1/registry");
            Assert.Equal(200, status2);
            Assert.True(JsonDocument.Parse(body2).RootElement.TryGetProperty("message", out _));
        }

        [Fact]
        public async Task LatencyDelaysButAnswers()
        {
            GatewayCaller caller = Caller();
            emulator.AddFault(new EmulatorFault(FaultKind.Latency) { Delay = TimeSpan.FromMilliseconds(300) });

            Assert.Equal(200, (await caller.SendAsync("GET", "merchant-registry/v1/ping")).Status);
            Assert.Equal(FaultKind.Latency, emulator.Requests.Last().Fault);
        }

        [Fact]
        public async Task StateFileLetsAStoppedEmulatorResumeAndHoldsNoPrivateKey()
        {
            using var folder = new TempFolder();
            string stateFile = Path.Combine(folder.Path, "state.json");
            IssuedKeyPair pair;
            string projectId;
            using (GatewayEmulator first = GatewayEmulator.Start(new EmulatorOptions { StatePath = stateFile }))
            {
                pair = first.IssueKeyPair("MAGE-S", CommerceEdition.AdobeCommerce, EmulatorEnvironment.Production);
                var created = await new GatewayCaller(pair).SendAsync("POST", "merchant-registry/v1/registry/initialize", "{\"projectName\":\"Kept\"}");
                projectId = JsonDocument.Parse(created.Body).RootElement.GetProperty("results")[0].GetProperty("projectId").GetString()!;
            }

            string saved = File.ReadAllText(stateFile);
            Assert.DoesNotContain("PRIVATE KEY", saved, StringComparison.Ordinal);
            Assert.DoesNotContain(pair.PrivateKeyPem.Split('\n')[5], saved, StringComparison.Ordinal);

            using GatewayEmulator second = GatewayEmulator.Start(new EmulatorOptions { StatePath = stateFile });
            var caller = new GatewayCaller(pair) { BaseUri = second.ProductionUri };
            var (status, body, _) = await caller.SendAsync("GET", "merchant-registry/v1/registry/projects/" + projectId);
            Assert.Equal(200, status);
            Assert.Equal("Kept", JsonDocument.Parse(body).RootElement.GetProperty("results")[0].GetProperty("projectName").GetString());
        }

        [Fact]
        public async Task ControlEndpointsIssueKeysListRequestsAndInjectFaults()
        {
            using var http = new HttpClient();
            var issued = await http.PostAsync(new Uri(emulator.ProductionUri, "_emulator/keys"), new StringContent("{\"mageId\":\"MAGE-C\",\"edition\":\"MagentoOpenSource\",\"environment\":\"Sandbox\"}"));
            JsonElement key = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement;
            Assert.Contains("BEGIN PRIVATE KEY", key.GetProperty("privateKey").GetString(), StringComparison.Ordinal);
            Assert.Equal(emulator.SandboxUri.ToString(), key.GetProperty("gatewayUri").GetString());

            await http.PostAsync(new Uri(emulator.ProductionUri, "_emulator/faults"), new StringContent("{\"kind\":\"ServiceUnavailable\",\"count\":1}"));
            Assert.Equal(503, (int)(await http.GetAsync(new Uri(emulator.ProductionUri, "merchant-registry/v1/ping"))).StatusCode);

            JsonElement log = JsonDocument.Parse(await http.GetStringAsync(new Uri(emulator.ProductionUri, "_emulator/requests"))).RootElement;
            JsonElement last = log.GetProperty("requests").EnumerateArray().Last();
            Assert.Equal("/merchant-registry/v1/ping", last.GetProperty("path").GetString());
            Assert.Equal("ServiceUnavailable", last.GetProperty("fault").GetString());
        }

        [Fact]
        public async Task RunsAsAProcessAndPrintsItsUrlsAndKeys()
        {
            using var folder = new TempFolder();
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CommerceServices.Emulator.dll"));
            foreach (string arg in new[] { "--account", "MAGE-P=AdobeCommerce", "--keys-dir", folder.Path })
            {
                start.ArgumentList.Add(arg);
            }

            using Process process = Process.Start(start)!;
            try
            {
                string production = ReadLineStartingWith(process, "Production gateway: ");
                string issued = ReadLineStartingWith(process, "Issued Production key for MAGE-P");
                Assert.StartsWith("http://127.0.0.1:", production, StringComparison.Ordinal);
                string keyFile = Path.Combine(folder.Path, "MAGE-P-production.pem");
                Assert.Contains(keyFile, issued, StringComparison.Ordinal);
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
                }

                string apiKey = File.ReadAllText(Path.ChangeExtension(keyFile, ".apikey")).Trim();
                var pair = new GatewayCaller(new IssuedKeyPairStub(apiKey, File.ReadAllText(keyFile), new Uri(production)).Pair);
                Assert.Equal(200, (await pair.SendAsync("GET", "merchant-registry/v1/ping")).Status);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }

        private static string ReadLineStartingWith(Process process, string prefix)
        {
            for (int i = 0; i < 20; i++)
            {
                string? line = process.StandardOutput.ReadLine();
                if (line == null)
                {
                    break;
                }

                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line.Substring(prefix.StartsWith("Issued", StringComparison.Ordinal) ? 0 : prefix.Length);
                }
            }

            throw new InvalidOperationException("The emulator process did not print '" + prefix + "': " + process.StandardError.ReadToEnd());
        }

        /// <summary>Builds an IssuedKeyPair from what the process printed (the type's constructor is internal).</summary>
        private sealed class IssuedKeyPairStub
        {
            public IssuedKeyPairStub(string apiKey, string privateKeyPem, Uri gateway)
            {
                Pair = new IssuedKeyPair("MAGE-P", CommerceEdition.AdobeCommerce, EmulatorEnvironment.Production, apiKey, privateKeyPem, gateway);
            }

            public IssuedKeyPair Pair { get; }
        }
    }
}
