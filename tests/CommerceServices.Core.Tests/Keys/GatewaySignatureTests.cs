using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Keys;
using CommerceServices.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace CommerceServices.Core.Tests.Keys
{
    public class GatewaySignatureTests
    {
        private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

        private static ApiKeyPair ReadPair(string pem, GatewayEnvironment environment = GatewayEnvironment.Production)
        {
            ApiKeyPairReadResult read = ApiKeyPairReader.Read(TestKeys.ApiKey, pem.ToCharArray(), environment);
            Assert.True(read.IsValid, string.Join("; ", read.Problems));
            return read.KeyPair!;
        }

        [Fact]
        public async Task AnIndependentJwtLibraryAcceptsTheToken()
        {
            using ApiKeyPair pair = ReadPair(TestKeys.Pkcs8Pem(TestKeys.Main));
            string token = pair.CreateGatewaySignature();

            var handler = new JsonWebTokenHandler();
            TokenValidationResult result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
            {
                IssuerSigningKey = new RsaSecurityKey(TestKeys.Main.ExportParameters(false)),
                ValidIssuer = "8E6307BF5D775FA00A495EF9@AdobeOrg",
                ValidAudience = "https://ims-na1.adobelogin.com/c/9ec9d05f79eb443e8f76ce477b1e413c",
                ValidAlgorithms = new[] { SecurityAlgorithms.RsaSha256 },
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.Zero,
            });

            Assert.True(result.IsValid, result.Exception?.ToString());
            var jwt = (JsonWebToken)result.SecurityToken;
            Assert.Equal("JWT", jwt.Typ);
            Assert.Equal("RS256", jwt.Alg);
            Assert.Equal("3181519E5E2714990A495E2E@techacct.adobe.com", jwt.Subject);
        }

        [Fact]
        public async Task AnIndependentJwtLibraryRejectsTheTokenForAnotherKey()
        {
            using ApiKeyPair pair = ReadPair(TestKeys.Pkcs8Pem(TestKeys.Main));

            TokenValidationResult result = await new JsonWebTokenHandler().ValidateTokenAsync(pair.CreateGatewaySignature(), new TokenValidationParameters
            {
                IssuerSigningKey = new RsaSecurityKey(TestKeys.Other.ExportParameters(false)),
                ValidateIssuer = false,
                ValidateAudience = false,
            });

            Assert.False(result.IsValid);
        }

        [Fact]
        public void HeaderAndClaimsAreExactlyTheConnectors()
        {
            using ApiKeyPair pair = ReadPair(TestKeys.Pkcs8Pem(TestKeys.Main));
            string[] parts = pair.CreateGatewaySignature(SignedAt).Split('.');

            Assert.Equal(3, parts.Length);
            Assert.All(parts, p => Assert.DoesNotMatch("[=+/]", p));
            Assert.Equal("{\"typ\":\"JWT\",\"alg\":\"RS256\"}", Decode(parts[0]));
            string claims = Decode(parts[1]);
            using JsonDocument doc = JsonDocument.Parse(claims);
            Assert.Equal(
                new[]
                {
                    "exp", "iss", "sub",
                    "https://ims-na1.adobelogin.com/s/ent_reactor_sdk",
                    "https://ims-na1.adobelogin.com/s/asset_compute_meta",
                    "https://ims-na1.adobelogin.com/s/ent_adobeio_sdk",
                    "https://ims-na1.adobelogin.com/s/event_receiver_api",
                    "aud",
                },
                doc.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(SignedAt.ToUnixTimeSeconds() + 300, doc.RootElement.GetProperty("exp").GetInt64());
            Assert.DoesNotContain("iat", claims, StringComparison.Ordinal);
            Assert.DoesNotContain("\\/", claims, StringComparison.Ordinal);
        }

        [Fact]
        public void ExpiryIsFiveMinutesAfterSigning()
        {
            using ApiKeyPair pair = ReadPair(TestKeys.Pkcs8Pem(TestKeys.Main));
            long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            string claims = Decode(pair.CreateGatewaySignature().Split('.')[1]);
            long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

            long exp = JsonDocument.Parse(claims).RootElement.GetProperty("exp").GetInt64();
            Assert.InRange(exp, before + 300, after + 300);
        }

        [Fact]
        public void TokensSignedAtDifferentTimesDiffer()
        {
            using ApiKeyPair pair = ReadPair(TestKeys.Pkcs8Pem(TestKeys.Main));

            Assert.NotEqual(pair.CreateGatewaySignature(SignedAt), pair.CreateGatewaySignature(SignedAt.AddSeconds(1)));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void PhpBuildsTheSameTokenByteForByte(bool pkcs1)
        {
            // What Magento's connector would send for the same key and the same second.
            using var dir = new TempFolder();
            string pem = pkcs1 ? TestKeys.Pkcs1Pem(TestKeys.Main) : TestKeys.Pkcs8Pem(TestKeys.Main);
            string keyFile = dir.Write("key.pem", pem);
            using ApiKeyPair pair = ReadPair(pem);

            string ours = pair.CreateGatewaySignature(SignedAt);
            string php = PhpCli.Run("connector-signature.php", "sign", keyFile, GatewaySignature.ExpiryFor(SignedAt).ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.Equal(php, ours);
        }

        [Fact]
        public void PhpOpenSslVerifiesTheSignature()
        {
            using var dir = new TempFolder();
            string keyFile = dir.Write("key.pem", TestKeys.Pkcs8Pem(TestKeys.Large));
            using ApiKeyPair pair = ReadPair(TestKeys.Pkcs8Pem(TestKeys.Large));

            Assert.Equal("1", PhpCli.Run("connector-signature.php", "verify", pair.CreateGatewaySignature(), keyFile));
        }

        [Fact]
        public void PhpOpenSslRejectsATamperedToken()
        {
            using var dir = new TempFolder();
            string keyFile = dir.Write("key.pem", TestKeys.Pkcs8Pem(TestKeys.Main));
            using ApiKeyPair pair = ReadPair(TestKeys.Pkcs8Pem(TestKeys.Main));
            string[] parts = pair.CreateGatewaySignature(SignedAt).Split('.');
            string tampered = parts[0] + "." + GatewaySignature.SigningInput(GatewaySignature.ExpiryFor(SignedAt) + 3600).Split('.')[1] + "." + parts[2];

            Assert.Equal("0", PhpCli.Run("connector-signature.php", "verify", tampered, keyFile));
        }

        [Fact]
        public void BouncyCastleFallbackSignsIdentically()
        {
            // RSASSA-PKCS1-v1_5 is deterministic, so both signers must give the same bytes.
            using ApiKeyPair platform = ReadPair(TestKeys.Pkcs8Pem(TestKeys.Main));
            PrivateKeyReadResult key = PrivateKeyReader.Read(TestKeys.Pkcs8Pem(TestKeys.Main));
            using var fallback = new ApiKeyPair(GatewayEnvironment.Production, TestKeys.ApiKey, key.Key!, PrivateKeyFormat.Pkcs8, usePlatformRsa: false);

            Assert.True(platform.UsesPlatformRsa);
            Assert.False(fallback.UsesPlatformRsa);
            Assert.Equal(platform.CreateGatewaySignature(SignedAt), fallback.CreateGatewaySignature(SignedAt));
        }

        [Fact]
        public void ADisposedPairCannotSign()
        {
            ApiKeyPair pair = ReadPair(TestKeys.Pkcs8Pem(TestKeys.Main));
            pair.Dispose();

            Assert.Throws<ObjectDisposedException>(() => pair.CreateGatewaySignature());
        }

        [Fact]
        public void ConcurrentSigningGivesValidTokens()
        {
            using ApiKeyPair pair = ReadPair(TestKeys.Pkcs8Pem(TestKeys.Main));
            string[] tokens = Enumerable.Range(0, 64).AsParallel().Select(i => pair.CreateGatewaySignature(SignedAt.AddSeconds(i))).ToArray();

            foreach (string token in tokens)
            {
                string[] parts = token.Split('.');
                Assert.True(TestKeys.Main.VerifyData(
                    Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]),
                    Base64UrlEncoder.DecodeBytes(parts[2]),
                    HashAlgorithmName.SHA256,
                    RSASignaturePadding.Pkcs1));
            }
        }

        private static string Decode(string part) => Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(part));
    }
}
