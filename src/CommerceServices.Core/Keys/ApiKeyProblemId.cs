namespace CommerceServices.Keys
{
    /// <summary>
    /// Why an API key pair cannot be used. The names are stable public identifiers: scripts and
    /// Pester tests compare against them, so never rename one.
    /// </summary>
    public enum ApiKeyProblemId
    {
        /// <summary>No private key text at all.</summary>
        EmptyPrivateKey,

        /// <summary>No BEGIN/END lines, mismatched lines, or a corrupt or truncated body.</summary>
        MalformedPem,

        /// <summary>The private key is protected by a passphrase.</summary>
        EncryptedPrivateKey,

        /// <summary>A public key or a certificate was given where the private key belongs.</summary>
        NotAPrivateKey,

        /// <summary>A private key, but not RSA (EC, Ed25519, DSA, ...).</summary>
        UnsupportedKeyType,

        /// <summary>An RSA key under 2048 bits.</summary>
        KeyTooShort,

        /// <summary>More than one private key in the text.</summary>
        MultiplePrivateKeys,

        /// <summary>No public API key.</summary>
        EmptyApiKey,

        /// <summary>The public API key has whitespace inside, non-printable characters, or is clearly a pasted key.</summary>
        InvalidApiKey,

        /// <summary>The gateway refused the pair (online check): unknown, revoked or not matching.</summary>
        ApiKeyRejected,

        /// <summary>The online check could not reach the gateway, so the pair is not confirmed.</summary>
        GatewayUnavailable,

        /// <summary>An RSA key over 8192 bits, refused before any check of it.</summary>
        KeyTooLong,

        /// <summary>The private key text is over 65,536 characters (what a SecureString holds), refused before it is parsed.</summary>
        PrivateKeyTextTooLong,
    }
}
