namespace CommerceServices.Emulator
{
    /// <summary>
    /// The routes Magento's connector checks a key pair with. Fact: the connector checks keys with
    /// GET {env}_key_validation_url (<c>/merchant-registry/v1/ping</c> for both environments) unless
    /// the gateway's host is a listed CloudFront domain (by default commerce-beta.adobe.io, the
    /// sandbox), which is checked at <c>/merchant-registry/index.html</c>; exactly 200 means valid.
    /// An emulator's host is whatever the test uses, so both paths are served, authenticated, on
    /// both environments. Assumption: the bodies (not documented).
    /// </summary>
    internal static class KeyCheckRoutes
    {
        /// <summary>The answer, or null when the request is not a key check.</summary>
        public static Reply? TryHandle(string method, string path)
        {
            if (method == "GET" && path == "/merchant-registry/v1/ping")
            {
                return new Reply(200, "pong", "text/plain");
            }

            if (method == "GET" && path == "/merchant-registry/index.html")
            {
                return new Reply(200, "<!DOCTYPE html><html><head><title>Merchant Registry</title></head><body>OK</body></html>", "text/html");
            }

            return null;
        }
    }
}
