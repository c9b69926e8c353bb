using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Encryption;
using CommerceServices.Keys;

namespace CommerceServices.Instances
{
    /// <summary>The instance has no crypt/key, so secrets cannot be stored encrypted as Magento expects.</summary>
    public sealed class CryptKeyMissingException : InvalidOperationException
    {
        /// <summary>Creates the exception.</summary>
        public CryptKeyMissingException(string message)
            : base(message)
        {
        }
    }

    /// <summary>Writes connector settings through the store the instance was connected with.</summary>
    public static class InstanceConfigWriter
    {
        /// <summary>Writes through <see cref="DatabaseConfigWriter"/> or <see cref="EnvPhpConfigWriter"/>.</summary>
        /// <param name="deferConfigImport">For env.php: write even when the deployment-config hash cannot be brought up to date from here; the caller runs app:config:import on the instance.</param>
        /// <exception cref="DatabaseUnavailableException">The Database store of an instance that is not installed yet (its core_config_data would be ignored).</exception>
        public static Task<ConfigWriteResult> WriteAsync(CommerceInstance instance, IReadOnlyList<ConfigChange> changes, bool deferConfigImport, CancellationToken cancellationToken)
        {
            if (instance.ConfigStore == ConfigStore.EnvPhp)
            {
                return EnvPhpConfigWriter.WriteAsync(instance, changes, null, deferConfigImport, cancellationToken);
            }

            if (!instance.IsInstalled)
            {
                // Even when env.php names a database (a setup:install that did not finish), Magento reads none before install/date.
                throw new DatabaseUnavailableException(instance.Path, "Magento is not installed in " + instance.Path + " yet (app/etc/env.php has no install/date), so it would not read core_config_data. Connect with -ConfigStore EnvPhp to write the settings into env.php. Nothing was changed.", null);
            }

            return DatabaseConfigWriter.WriteAsync(instance, changes, null, cancellationToken);
        }

        /// <summary>Stores a key pair, both halves encrypted with the instance's current crypt key.</summary>
        public static Task<ConfigWriteResult> SetApiKeyPairAsync(CommerceInstance instance, ApiKeyPair keyPair, bool deferConfigImport, CancellationToken cancellationToken) =>
            WriteAsync(instance, KeyPairChanges(instance, keyPair), deferConfigImport, cancellationToken);

        internal static ConfigChange[] KeyPairChanges(CommerceInstance instance, ApiKeyPair keyPair)
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
