namespace CommerceServices.State
{
    /// <summary>Where a desired state takes a private key from; never the key itself.</summary>
    public enum PrivateKeySourceKind
    {
        /// <summary>A PEM file on the machine that applies the state (PrivateKeyPath).</summary>
        File,

        /// <summary>An environment variable of the process that applies the state (PrivateKeyEnvironmentVariable).</summary>
        EnvironmentVariable,

        /// <summary>A named secret (PrivateKeySecret): given with -Secret, else read with SecretManagement's Get-Secret (PrivateKeyVault).</summary>
        Secret,
    }

    /// <summary>The key pair a desired state wants for one gateway environment: the API key, and where its private key is.</summary>
    public sealed class KeyPairSource
    {
        internal KeyPairSource(GatewayEnvironment environment, string apiKey, PrivateKeySourceKind kind, string reference, string? vault)
        {
            Environment = environment;
            ApiKey = apiKey;
            Kind = kind;
            Reference = reference;
            Vault = vault;
        }

        /// <summary>The gateway environment of the pair.</summary>
        public GatewayEnvironment Environment { get; }

        /// <summary>The public API key.</summary>
        public string ApiKey { get; }

        /// <summary>What kind of place holds the private key.</summary>
        public PrivateKeySourceKind Kind { get; }

        /// <summary>The file path (as written in the state), the environment variable's name, or the secret's name.</summary>
        public string Reference { get; }

        /// <summary>With <see cref="PrivateKeySourceKind.Secret"/>: the SecretManagement vault to read it from; null for any.</summary>
        public string? Vault { get; }

        /// <summary>Where the private key comes from, for messages: never the key.</summary>
        public string Describe() => Kind switch
        {
            PrivateKeySourceKind.File => "file '" + Reference + "'",
            PrivateKeySourceKind.EnvironmentVariable => "environment variable " + Reference,
            _ => "secret '" + Reference + "'" + (Vault == null ? string.Empty : " of vault '" + Vault + "'"),
        };

        /// <inheritdoc />
        public override string ToString() => Environment + " key pair " + Keys.ApiKeyValidator.Hint(ApiKey) + " (private key from " + Describe() + ")";
    }
}
