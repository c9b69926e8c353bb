using System;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// A key pair issued by the emulator with its private key saved to a file. The property
    /// names bind by name to Test-CommerceApiKey and the Saas cmdlets.
    /// </summary>
    public sealed class EmulatorKeyFile
    {
        internal EmulatorKeyFile(IssuedKeyPair pair, string privateKeyPath)
        {
            MageId = pair.MageId;
            Edition = pair.Edition;
            Environment = pair.Environment.ToString();
            ApiKey = pair.ApiKey;
            PrivateKeyPath = privateKeyPath;
            GatewayUri = pair.GatewayUri;
        }

        public string MageId { get; }

        public CommerceEdition Edition { get; }

        /// <summary><c>Production</c> or <c>Sandbox</c>.</summary>
        public string Environment { get; }

        public string ApiKey { get; }

        public string PrivateKeyPath { get; }

        public Uri GatewayUri { get; }

        public override string ToString() => Environment + " key of " + MageId + " in " + PrivateKeyPath;
    }
}
