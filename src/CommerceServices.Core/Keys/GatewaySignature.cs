using System;
using System.Globalization;
using System.Text;

namespace CommerceServices.Keys
{
    /// <summary>
    /// The <c>x-gw-signature</c> token, byte for byte as the Magento connector builds it
    /// (services-connector <c>JwtSignatureToken</c> with firebase/php-jwt): an RS256 JWS whose
    /// header is <c>{"typ":"JWT","alg":"RS256"}</c> and whose claims are fixed for every merchant
    /// except <c>exp</c> = now + 300 s, in the connector's order, JSON with unescaped slashes,
    /// base64url without padding.
    /// </summary>
    public static class GatewaySignature
    {
        /// <summary>Seconds from signing until the token expires.</summary>
        public const int LifetimeSeconds = 300;

        /// <summary>The JOSE header, exactly as php-jwt encodes it.</summary>
        public const string HeaderJson = "{\"typ\":\"JWT\",\"alg\":\"RS256\"}";

        internal const string Issuer = "8E6307BF5D775FA00A495EF9@AdobeOrg";
        internal const string Subject = "3181519E5E2714990A495E2E@techacct.adobe.com";
        internal const string Audience = "https://ims-na1.adobelogin.com/c/9ec9d05f79eb443e8f76ce477b1e413c";

        /// <summary>The claims of a token that expires at <paramref name="expires"/> (Unix seconds).</summary>
        public static string ClaimsJson(long expires) =>
            "{\"exp\":" + expires.ToString(CultureInfo.InvariantCulture)
            + ",\"iss\":\"" + Issuer + "\""
            + ",\"sub\":\"" + Subject + "\""
            + ",\"https://ims-na1.adobelogin.com/s/ent_reactor_sdk\":true"
            + ",\"https://ims-na1.adobelogin.com/s/asset_compute_meta\":true"
            + ",\"https://ims-na1.adobelogin.com/s/ent_adobeio_sdk\":true"
            + ",\"https://ims-na1.adobelogin.com/s/event_receiver_api\":true"
            + ",\"aud\":\"" + Audience + "\"}";

        /// <summary>The part of the token that is signed: base64url(header) "." base64url(claims).</summary>
        public static string SigningInput(long expires) =>
            Base64Url(Encoding.UTF8.GetBytes(HeaderJson)) + "." + Base64Url(Encoding.UTF8.GetBytes(ClaimsJson(expires)));

        /// <summary>The expiry claim for a token signed at <paramref name="now"/>.</summary>
        public static long ExpiryFor(DateTimeOffset now) => now.ToUnixTimeSeconds() + LifetimeSeconds;

        internal static string Base64Url(byte[] data) =>
            Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
