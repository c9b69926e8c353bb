using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Xunit;

namespace CommerceServices.Emulator.Tests
{
    public sealed class AuthenticationTests : IDisposable
    {
        private readonly GatewayEmulator emulator = GatewayEmulator.Start();

        public void Dispose() => emulator.Dispose();

        private GatewayCaller Caller(EmulatorEnvironment environment = EmulatorEnvironment.Production) =>
            new GatewayCaller(emulator.IssueKeyPair("MAGE-AUTH", CommerceEdition.AdobeCommerce, environment));

        [Fact]
        public async Task ACorrectlySignedRequestPassesTheKeyChecks()
        {
            // Both key-check paths on both gateways: which one the connector asks depends on the host and its settings.
            foreach (EmulatorEnvironment environment in new[] { EmulatorEnvironment.Production, EmulatorEnvironment.Sandbox })
            {
                GatewayCaller caller = Caller(environment);
                Assert.Equal(200, (await caller.SendAsync("GET", "merchant-registry/v1/ping")).Status);
                Assert.Equal(200, (await caller.SendAsync("GET", "merchant-registry/index.html")).Status);
                Assert.Equal(404, (await caller.SendAsync("GET", "merchant-registry/v1/pong")).Status);
            }
        }

        [Fact]
        public async Task AWrongSignatureIsRefusedAsAnInvalidJwt()
        {
            GatewayCaller caller = Caller();
            caller.Rsa = RSA.Create(2048);

            var (status, body, _) = await caller.SendAsync("GET", "merchant-registry/v1/ping");

            Assert.Equal(403, status);
            Assert.Equal("{\"message\":\"JWT is invalid\"}", body);
            Assert.Equal("signature does not verify with the registered public key", emulator.Requests.Last().Rejection);
        }

        [Fact]
        public async Task AnExpiredTokenIsRefused()
        {
            GatewayCaller caller = Caller();
            caller.ExpiresIn = -5;

            Assert.Equal(403, (await caller.SendAsync("GET", "merchant-registry/v1/registry")).Status);
            Assert.Equal("expired", emulator.Requests.Last().Rejection);
        }

        [Fact]
        public async Task ATokenValidForDaysIsRefused()
        {
            GatewayCaller caller = Caller();
            caller.ExpiresIn = 3 * 24 * 3600;

            Assert.Equal(403, (await caller.SendAsync("GET", "merchant-registry/v1/registry")).Status);
            Assert.Equal("exp too far ahead", emulator.Requests.Last().Rejection);
        }

        [Fact]
        public async Task AMismatchedMagentoApiKeyIsRefused()
        {
            GatewayCaller caller = Caller();
            caller.MagentoApiKey = "someotherkey";

            Assert.Equal(403, (await caller.SendAsync("GET", "merchant-registry/v1/ping")).Status);
            Assert.Equal("magento-api-key does not match x-api-key", emulator.Requests.Last().Rejection);
        }

        [Fact]
        public async Task ARevokedKeyIsRefusedAndItsSuccessorAccepted()
        {
            GatewayCaller old = Caller();
            GatewayCaller renewed = Caller();

            var (status, body, _) = await old.SendAsync("GET", "merchant-registry/v1/ping");
            Assert.Equal(403, status);
            Assert.Contains("Api Key is invalid", body, StringComparison.Ordinal);
            Assert.Equal(200, (await renewed.SendAsync("GET", "merchant-registry/v1/ping")).Status);
        }

        [Fact]
        public async Task ReissuingInOneEnvironmentLeavesTheOtherAlone()
        {
            GatewayCaller sandbox = Caller(EmulatorEnvironment.Sandbox);
            Caller(EmulatorEnvironment.Production);
            Caller(EmulatorEnvironment.Production);

            Assert.Equal(200, (await sandbox.SendAsync("GET", "merchant-registry/index.html")).Status);
        }

        [Fact]
        public async Task AProductionKeyIsUnknownToTheSandboxGateway()
        {
            GatewayCaller caller = Caller();
            caller.BaseUri = emulator.SandboxUri;

            Assert.Equal(403, (await caller.SendAsync("GET", "merchant-registry/index.html")).Status);
        }

        [Fact]
        public async Task AnUnknownKeyOrNoSignatureIsRefused()
        {
            GatewayCaller unknown = Caller();
            unknown.ApiKey = "0123456789abcdef";
            GatewayCaller unsigned = Caller();
            unsigned.OmitSignature = true;

            Assert.Equal(403, (await unknown.SendAsync("GET", "merchant-registry/v1/ping")).Status);
            Assert.Equal(403, (await unsigned.SendAsync("GET", "merchant-registry/v1/ping")).Status);
            Assert.Equal("no x-gw-signature", emulator.Requests.Last().Rejection);
        }

        [Theory]
        [InlineData("issuer")]
        [InlineData("alg")]
        public async Task ClaimsOrAlgorithmOtherThanTheConnectorsAreRefused(string what)
        {
            GatewayCaller caller = Caller();
            if (what == "issuer")
            {
                caller.Issuer_ = "someone@AdobeOrg";
            }
            else
            {
                caller.Algorithm = "RS512";
            }

            Assert.Equal(403, (await caller.SendAsync("GET", "merchant-registry/v1/ping")).Status);
        }

        [Fact]
        public async Task TheRequestLogKeepsNoSignature()
        {
            GatewayCaller caller = Caller();
            string token = caller.Token();
            await caller.SendAsync("GET", "merchant-registry/v1/ping");

            EmulatorRequest request = emulator.Requests.Last();
            Assert.Equal(caller.ApiKey, request.ApiKey);
            Assert.DoesNotContain(request.GetType().GetProperties(), p => p.GetValue(request) is string s && s.Contains(token.Split('.')[2][..20], StringComparison.Ordinal));
        }
    }
}
