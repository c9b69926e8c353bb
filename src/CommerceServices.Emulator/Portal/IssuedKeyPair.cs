using System;

namespace CommerceServices.Emulator
{
    /// <summary>A private key pair as the API Portal hands it out: the private key is shown this once.</summary>
    public sealed class IssuedKeyPair
    {
        internal IssuedKeyPair(string mageId, CommerceEdition edition, EmulatorEnvironment environment, string apiKey, string privateKeyPem, Uri gatewayUri)
        {
            MageId = mageId;
            Edition = edition;
            Environment = environment;
            ApiKey = apiKey;
            PrivateKeyPem = privateKeyPem;
            GatewayUri = gatewayUri;
        }

        public string MageId { get; }

        public CommerceEdition Edition { get; }

        public EmulatorEnvironment Environment { get; }

        public string ApiKey { get; }

        /// <summary>PKCS#8 PEM, as the API Portal's download. Test material only.</summary>
        public string PrivateKeyPem { get; }

        /// <summary>The emulated gateway of this pair's environment.</summary>
        public Uri GatewayUri { get; }

        public override string ToString() => Environment + " key pair for " + MageId + " (" + Edition + ")";
    }
}
