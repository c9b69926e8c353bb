using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Encryption;
using CommerceServices.Instances;
using CommerceServices.Keys;

namespace CommerceServices.Stores
{
    /// <summary>The store of each instance (<see cref="IConnectorSettingsStore"/>), and the writes every cmdlet makes through it.</summary>
    public static class SettingsStores
    {
        /// <summary>The store <paramref name="instance"/> was connected with.</summary>
        public static IConnectorSettingsStore For(CommerceInstance instance) =>
            instance.ConfigStore == ConfigStore.EnvPhp ? (IConnectorSettingsStore)EnvPhpSettingsStore.Store : DatabaseSettingsStore.Store;

        /// <summary>Writes through the instance's store (<see cref="For"/>).</summary>
        /// <exception cref="DatabaseUnavailableException">The Database store of an instance that is not installed yet (its core_config_data would be ignored).</exception>
        public static Task<ConfigWriteResult> WriteAsync(CommerceInstance instance, IReadOnlyList<ConfigChange> changes, bool deferConfigImport, CancellationToken cancellationToken) =>
            For(instance).WriteAsync(instance, changes, deferConfigImport, cancellationToken);

        /// <summary>Stores a key pair, both halves encrypted with the instance's current crypt key.</summary>
        public static Task<ConfigWriteResult> SetApiKeyPairAsync(CommerceInstance instance, ApiKeyPair keyPair, bool deferConfigImport, CancellationToken cancellationToken) =>
            WriteAsync(instance, KeyPairChanges(instance, keyPair), deferConfigImport, cancellationToken);

        /// <summary>The two settings that store a key pair, each encrypted with the instance's crypt key (written with other changes in one write).</summary>
        /// <exception cref="CryptKeyMissingException">env.php has no crypt/key.</exception>
        public static ConfigChange[] KeyPairChanges(CommerceInstance instance, ApiKeyPair keyPair)
        {
            MagentoEncryptor encryptor = ConnectorConfigReader.EncryptorOf(instance)
                ?? throw new CryptKeyMissingException("app/etc/env.php of " + instance.Path + " has no crypt/key, so the keys cannot be stored encrypted as Magento expects.");
            return new[]
            {
                new ConfigChange(ConnectorPaths.ApiKeyFor(keyPair.Environment), encryptor.Encrypt(keyPair.ApiKey)),
                new ConfigChange(ConnectorPaths.PrivateKeyFor(keyPair.Environment), encryptor.Encrypt(keyPair.ExportPkcs8Pem())),
            };
        }
    }
}
