using System;

namespace CommerceServices.Keys
{
    /// <summary>
    /// A key pair an instance holds, ready to sign, with the gateway the instance is configured for
    /// and where on it the instance's connector checks keys and calls the registry.
    /// </summary>
    public sealed class GatewayCredentials
    {
        internal GatewayCredentials(ApiKeyPair keyPair, Uri gatewayUri, Gateway.GatewayRoutes routes)
        {
            KeyPair = keyPair;
            GatewayUri = gatewayUri;
            Routes = routes;
        }

        public ApiKeyPair KeyPair { get; }

        public Uri GatewayUri { get; }

        public Gateway.GatewayRoutes Routes { get; }
    }
}
