using CommerceServices.Keys;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Keys
{
    public class ApiKeyValidatorTests
    {
        [Theory]
        [InlineData(TestKeys.ApiKey)]
        [InlineData("  " + TestKeys.ApiKey + "\r\n")]
        [InlineData("\uFEFF" + TestKeys.ApiKey)]
        [InlineData("abc_DEF-123.xyz")]
        public void AcceptsApiKeysAndTrimsTheirEdges(string apiKey)
        {
            Assert.Null(ApiKeyValidator.Check(apiKey, GatewayEnvironment.Production));
            Assert.Equal(apiKey.Trim().Trim('\uFEFF'), ApiKeyValidator.Normalize(apiKey));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("\n\t")]
        public void EmptyApiKey(string? apiKey) =>
            Assert.Equal(ApiKeyProblemId.EmptyApiKey, ApiKeyValidator.Check(apiKey, GatewayEnvironment.Sandbox)!.Id);

        [Theory]
        [InlineData("abcd efgh", "whitespace")]
        [InlineData("abcd\tefgh", "whitespace")]
        [InlineData("abcd\nefgh", "whitespace")]
        [InlineData("abcd\u0007efgh", "non-printable")]
        [InlineData("abcd\u00e9fgh", "non-printable")]
        [InlineData("abcd\u200Befgh", "non-printable")]
        [InlineData("-----BEGIN PRIVATE KEY-----", "private key")]
        [InlineData("BEGIN RSA PRIVATE KEY", "private key")]
        public void InvalidApiKey(string apiKey, string messagePart)
        {
            ApiKeyProblem problem = ApiKeyValidator.Check(apiKey, GatewayEnvironment.Production)!;

            Assert.Equal(ApiKeyProblemId.InvalidApiKey, problem.Id);
            Assert.Contains(messagePart, problem.Message, System.StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void PastedPrivateKeyBodyIsInvalidAndNotEchoed()
        {
            string body = TestKeys.Body(TestKeys.Pkcs8Pem(TestKeys.Main));
            ApiKeyProblem problem = ApiKeyValidator.Check(body, GatewayEnvironment.Production)!;

            Assert.Equal(ApiKeyProblemId.InvalidApiKey, problem.Id);
            Assert.DoesNotContain(body.Substring(40, 16), problem.Message, System.StringComparison.Ordinal);
        }

        [Fact]
        public void VeryLongStringIsInvalid() =>
            Assert.Equal(ApiKeyProblemId.InvalidApiKey, ApiKeyValidator.Check(new string('x', 300), GatewayEnvironment.Production)!.Id);

        [Theory]
        [InlineData(TestKeys.ApiKey, "a1b2...8f90")]
        [InlineData("short", "*****")]
        [InlineData("", "")]
        public void HintShowsOnlyTheEnds(string apiKey, string hint) =>
            Assert.Equal(hint, ApiKeyValidator.Hint(apiKey));
    }
}
