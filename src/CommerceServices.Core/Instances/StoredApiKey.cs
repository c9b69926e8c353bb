using System.Collections.Generic;
using System.Linq;
using CommerceServices.Config;
using CommerceServices.Encryption;
using CommerceServices.Keys;

namespace CommerceServices.Instances
{
    /// <summary>
    /// The key pair an instance holds for one gateway environment, described without any secret:
    /// the API key's first and last four characters, the private key's size, form and fingerprint,
    /// where each is stored and whether it is encrypted.
    /// </summary>
    public sealed class StoredApiKey
    {
        /// <summary>The problem of a stored private key this module reads only after repairs OpenSSL does not make, so Magento's connector cannot sign with it.</summary>
        public const string NotReadableByConnector = "NotReadableByConnector";

        internal StoredApiKey(CommerceInstance instance, GatewayEnvironment environment, ConnectorSetting apiKey, ConnectorSetting privateKey, bool apiKeySet, bool isSet, ApiKeyPairReadResult? read, bool readableByConnector)
        {
            Instance = instance;
            Environment = environment;
            ApiKey = apiKeySet && !apiKey.IsUndecryptable ? apiKey.Value : null;
            ApiKeyLayer = apiKey.Layer;
            PrivateKeyLayer = privateKey.Layer;
            IsEncrypted = apiKey.IsStoredEncrypted == true && privateKey.IsStoredEncrypted == true;
            IsSet = isSet;
            KeySize = read?.KeySize;
            Format = read?.Format;
            Fingerprint = read?.Fingerprint;
            Problems = apiKey.IsUndecryptable || privateKey.IsUndecryptable
                ? new[] { "CannotDecrypt" }
                : read == null ? new string[0]
                : !readableByConnector ? new[] { NotReadableByConnector }
                : read.Problems.Select(p => p.Id.ToString()).ToArray();
        }

        public CommerceInstance Instance { get; }

        public GatewayEnvironment Environment { get; }

        /// <summary>
        /// True when both the API key and the private key are stored, as the connector reads them:
        /// an empty value, or "0" (PHP's empty()), stored or decrypted, is not set.
        /// </summary>
        public bool IsSet { get; }

        /// <summary>The API key's first and last four characters; null when none is stored.</summary>
        public string? ApiKey { get; }

        public int? KeySize { get; }

        public PrivateKeyFormat? Format { get; }

        /// <summary>SHA-256 of the public key, to compare with the pair in the API Portal or another instance.</summary>
        public string? Fingerprint { get; }

        /// <summary>Where the API key is stored (the effective layer).</summary>
        public ConfigLayer? ApiKeyLayer { get; }

        /// <summary>Where the private key is stored (the effective layer).</summary>
        public ConfigLayer? PrivateKeyLayer { get; }

        /// <summary>True when both are stored encrypted, as the Admin stores them.</summary>
        public bool IsEncrypted { get; }

        /// <summary>
        /// Why the stored pair is not usable, when it is set: the ids of Test-CommerceApiKey, CannotDecrypt, or
        /// NotReadableByConnector (a private key read here only after repairs, such as indentation or a key on one line,
        /// that OpenSSL does not make: the connector passes the stored text to OpenSSL as it is).
        /// </summary>
        public string[] Problems { get; }

        public override string ToString() => Environment + " key pair of " + Instance.Path + (IsSet ? " (" + ApiKey + ", SHA256:" + Fingerprint + ")" : " (not set)");

        /// <summary>Reads the stored key pairs of both environments from the instance's settings.</summary>
        public static IReadOnlyList<StoredApiKey> From(CommerceInstance instance, IReadOnlyList<ConnectorSetting> settings)
        {
            MagentoEncryptor? encryptor = ConnectorConfigReader.EncryptorOf(instance);
            var keys = new List<StoredApiKey>();
            foreach (GatewayEnvironment environment in new[] { GatewayEnvironment.Production, GatewayEnvironment.Sandbox })
            {
                ConnectorSetting apiKey = settings.Single(s => s.Path == ConnectorPaths.ApiKeyFor(environment));
                ConnectorSetting privateKey = settings.Single(s => s.Path == ConnectorPaths.PrivateKeyFor(environment));
                ApiKeyPairReadResult? read = null;
                string? plainApiKey = apiKey.IsUndecryptable ? apiKey.RawValue : StoredSecret.PlainValue(apiKey, encryptor);
                string? plainPrivateKey = privateKey.IsUndecryptable ? privateKey.RawValue : StoredSecret.PlainValue(privateKey, encryptor);
                bool isSet = plainApiKey != null && plainPrivateKey != null;
                if (isSet && !apiKey.IsUndecryptable && !privateKey.IsUndecryptable)
                {
                    read = StoredKeyPairCache.Read(plainApiKey!, plainPrivateKey!, environment);
                }

                bool readableByConnector = read == null || !read.IsValid || OpenSslPem.ReadsAsStored(plainPrivateKey!, read.Repairs);
                keys.Add(new StoredApiKey(instance, environment, apiKey, privateKey, plainApiKey != null, isSet, read, readableByConnector));
            }

            return keys;
        }
    }
}
