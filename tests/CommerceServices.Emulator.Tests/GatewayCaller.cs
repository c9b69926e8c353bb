using System;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;

namespace CommerceServices.Emulator.Tests
{
    /// <summary>
    /// Calls the emulator the way the Magento connector calls the gateway, with tokens built here
    /// (not by the module's core), and with every way to get it wrong.
    /// </summary>
    internal sealed class GatewayCaller
    {
        public const string Issuer = "8E6307BF5D775FA00A495EF9@AdobeOrg";
        public const string Subject = "3181519E5E2714990A495E2E@techacct.adobe.com";
        public const string Audience = "https://ims-na1.adobelogin.com/c/9ec9d05f79eb443e8f76ce477b1e413c";

        private static readonly HttpClient Http = new HttpClient();

        public GatewayCaller(IssuedKeyPair pair)
        {
            ApiKey = pair.ApiKey;
            Rsa = RSA.Create();
            Rsa.ImportFromPem(pair.PrivateKeyPem);
            BaseUri = pair.GatewayUri;
        }

        public string ApiKey { get; set; }

        public string? MagentoApiKey { get; set; }

        public RSA Rsa { get; set; }

        public Uri BaseUri { get; set; }

        public long ExpiresIn { get; set; } = 300;

        public string Issuer_ { get; set; } = Issuer;

        public string Algorithm { get; set; } = "RS256";

        public bool OmitSignature { get; set; }

        public string Token()
        {
            long exp = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + ExpiresIn;
            string header = B64("{\"typ\":\"JWT\",\"alg\":\"" + Algorithm + "\"}");
            string claims = B64("{\"exp\":" + exp + ",\"iss\":\"" + Issuer_ + "\",\"sub\":\"" + Subject
                + "\",\"https://ims-na1.adobelogin.com/s/ent_reactor_sdk\":true,\"https://ims-na1.adobelogin.com/s/asset_compute_meta\":true,\"https://ims-na1.adobelogin.com/s/ent_adobeio_sdk\":true,\"https://ims-na1.adobelogin.com/s/event_receiver_api\":true,\"aud\":\""
                + Audience + "\"}");
            byte[] signature = Rsa.SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return header + "." + claims + "." + B64(signature);
        }

        public async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(string method, string path, string? body = null)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(BaseUri, path));
            request.Headers.TryAddWithoutValidation("x-api-key", ApiKey);
            request.Headers.TryAddWithoutValidation("magento-api-key", MagentoApiKey ?? ApiKey);
            if (!OmitSignature)
            {
                request.Headers.TryAddWithoutValidation("x-gw-signature", Token());
            }

            if (body != null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            HttpResponseMessage response = await Http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
        }

        private static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

        private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
