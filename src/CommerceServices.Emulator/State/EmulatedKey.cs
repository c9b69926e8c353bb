using System;

namespace CommerceServices.Emulator
{
    /// <summary>A key pair registered at the gateway: only the public half is kept.</summary>
    public sealed class EmulatedKey
    {
        public string ApiKey { get; set; } = string.Empty;

        public string MageId { get; set; } = string.Empty;

        public EmulatorEnvironment Environment { get; set; }

        /// <summary>SubjectPublicKeyInfo PEM of the key the API Portal issued.</summary>
        public string PublicKeyPem { get; set; } = string.Empty;

        public bool Revoked { get; set; }

        public DateTimeOffset IssuedAt { get; set; }
    }
}
