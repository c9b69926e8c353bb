using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// Checks an <c>x-gw-signature</c> token as the gateway must check the tokens Magento's
    /// connector signs: an RS256 JWS that verifies with the public key registered for the API key,
    /// carries the connector's fixed claims, and expires in the future but not absurdly far ahead.
    /// Fact: the connector sends exactly these claims with exp = now + 300 and no iat.
    /// Assumption: the gateway checks iss, sub and aud as well as exp; the real checks are not public.
    /// </summary>
    internal static class GatewaySignatureVerifier
    {
        public const string Issuer = "8E6307BF5D775FA00A495EF9@AdobeOrg";
        public const string Subject = "3181519E5E2714990A495E2E@techacct.adobe.com";
        public const string Audience = "https://ims-na1.adobelogin.com/c/9ec9d05f79eb443e8f76ce477b1e413c";

        /// <summary>Assumption: tokens valid for more than an hour are refused (the connector's live 300 s).</summary>
        public static readonly TimeSpan MaximumLifetime = TimeSpan.FromHours(1);

        /// <summary>Returns null when the token is good, else the reason (for the request log only).</summary>
        public static string? Check(string? token, string publicKeyPem, DateTimeOffset now)
        {
            if (string.IsNullOrEmpty(token))
            {
                return "no x-gw-signature";
            }

            string[] parts = token!.Split('.');
            if (parts.Length != 3)
            {
                return "not a JWS";
            }

            try
            {
                using JsonDocument header = JsonDocument.Parse(Base64UrlDecode(parts[0]));
                if (!header.RootElement.TryGetProperty("alg", out JsonElement alg) || alg.GetString() != "RS256")
                {
                    return "alg is not RS256";
                }

                using RSA rsa = RSA.Create();
                rsa.ImportFromPem(publicKeyPem);
                if (!rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                {
                    return "signature does not verify with the registered public key";
                }

                using JsonDocument claims = JsonDocument.Parse(Base64UrlDecode(parts[1]));
                JsonElement root = claims.RootElement;
                if (Text(root, "iss") != Issuer || Text(root, "sub") != Subject || Text(root, "aud") != Audience)
                {
                    return "iss, sub or aud differ from the connector's";
                }

                if (!root.TryGetProperty("exp", out JsonElement exp) || exp.ValueKind != JsonValueKind.Number || !exp.TryGetInt64(out long expires))
                {
                    return "no numeric exp";
                }

                long nowSeconds = now.ToUnixTimeSeconds();
                if (expires <= nowSeconds)
                {
                    return "expired";
                }

                if (expires > nowSeconds + (long)MaximumLifetime.TotalSeconds)
                {
                    return "exp too far ahead";
                }

                return null;
            }
            catch (Exception ex) when (ex is FormatException || ex is JsonException || ex is CryptographicException || ex is ArgumentException)
            {
                return "malformed token";
            }
        }

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static byte[] Base64UrlDecode(string text)
        {
            string base64 = text.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            return Convert.FromBase64String(base64);
        }
    }
}
