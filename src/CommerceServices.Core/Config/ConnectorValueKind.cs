namespace CommerceServices.Config
{
    /// <summary>What a connector configuration value holds, which decides how it is stored and shown.</summary>
    public enum ConnectorValueKind
    {
        /// <summary>A plain value, shown as it is.</summary>
        Plain,

        /// <summary>A public API key: stored encrypted, shown as its first and last four characters.</summary>
        ApiKey,

        /// <summary>A private key: stored encrypted, never shown; described by size and fingerprint.</summary>
        PrivateKey,

        /// <summary>Another secret (an IMS client secret): stored encrypted, never shown.</summary>
        Secret,
    }
}
