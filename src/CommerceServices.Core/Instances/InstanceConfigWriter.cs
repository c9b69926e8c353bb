using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Encryption;
using CommerceServices.Keys;

namespace CommerceServices.Instances
{
    /// <summary>Writes connector settings through the store the instance was connected with.</summary>
    public static class InstanceConfigWriter
    {
        /// <summary>Writes through <see cref="DatabaseConfigWriter"/> or <see cref="EnvPhpConfigWriter"/>.</summary>
        /// <param name="deferConfigImport">For env.php: write even when the deployment-config hash cannot be brought up to date from here; the caller runs app:config:import on the instance.</param>
        public static Task<ConfigWriteResult> WriteAsync(CommerceInstance instance, IReadOnlyList<ConfigChange> changes, bool deferConfigImport, CancellationToken cancellationToken) =>
            instance.ConfigStore == ConfigStore.EnvPhp
                ? EnvPhpConfigWriter.WriteAsync(instance, changes, null, deferConfigImport, cancellationToken)
                : DatabaseConfigWriter.WriteAsync(instance, changes, null, cancellationToken);

        /// <summary>Stores a key pair, both halves encrypted with the instance's current crypt key.</summary>
        public static Task<ConfigWriteResult> SetApiKeyPairAsync(CommerceInstance instance, ApiKeyPair keyPair, bool deferConfigImport, CancellationToken cancellationToken) =>
            WriteAsync(instance, KeyPairChanges(instance, keyPair), deferConfigImport, cancellationToken);

        internal static ConfigChange[] KeyPairChanges(CommerceInstance instance, ApiKeyPair keyPair)
        {
            MagentoEncryptor encryptor = ConnectorConfigReader.EncryptorOf(instance)
                ?? throw new InvalidOperationException("app/etc/env.php of " + instance.Path + " has no crypt/key, so the keys cannot be stored encrypted as Magento expects.");
            bool production = keyPair.Environment == GatewayEnvironment.Production;
            return new[]
            {
                new ConfigChange(production ? ConnectorPaths.ProductionApiKey : ConnectorPaths.SandboxApiKey, encryptor.Encrypt(keyPair.ApiKey)),
                new ConfigChange(production ? ConnectorPaths.ProductionPrivateKey : ConnectorPaths.SandboxPrivateKey, encryptor.Encrypt(keyPair.ExportPkcs8Pem())),
            };
        }
    }
}
