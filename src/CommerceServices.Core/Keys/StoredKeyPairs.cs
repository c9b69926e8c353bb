using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Encryption;
using CommerceServices.Instances;

namespace CommerceServices.Keys
{
    /// <summary>
    /// Reads the key pair an instance uses, as the connector chooses it (Magento_ServicesId's ServicesClient):
    /// the pair of the active gateway environment (magento_saas/environment, production by
    /// default), decrypted with the instance's crypt/key, and the gateway URL configured for it.
    /// </summary>
    public static class StoredKeyPairs
    {
        /// <summary>Reads the pair of <paramref name="environment"/>, or of the instance's active environment when null.</summary>
        /// <exception cref="StoredKeyPairMissingException">The pair is not stored, or not usable.</exception>
        /// <exception cref="DatabaseUnavailableException">The database cannot be opened.</exception>
        /// <remarks>With the database out of reach, a pair locked in the files (with its gateway URL, and the environment when none is given) is still read.</remarks>
        public static async Task<GatewayCredentials> ReadAsync(CommerceInstance instance, GatewayEnvironment? environment, CancellationToken cancellationToken)
        {
            IReadOnlyList<ConnectorSetting> settings = await ConnectorConfigReader.ReadAsync(
                instance,
                files => environment.HasValue
                    ? ConnectorPaths.KeyPairPaths(environment.Value)
                    : ConnectorPaths.KeyPairPaths(ActiveEnvironment(files)).Append(ConnectorPaths.GatewayEnvironment),
                cancellationToken).ConfigureAwait(false);
            return From(instance, settings, environment);
        }

        /// <summary>The pair of <paramref name="environment"/> (or the active one) in settings already read.</summary>
        /// <exception cref="StoredKeyPairMissingException">The pair is not stored, or not usable.</exception>
        public static GatewayCredentials From(CommerceInstance instance, IReadOnlyList<ConnectorSetting> settings, GatewayEnvironment? environment)
        {
            GatewayEnvironment chosen = environment ?? ActiveEnvironment(settings);
            ConnectorSetting apiKey = settings.Single(s => s.Path == ConnectorPaths.ApiKeyFor(chosen));
            ConnectorSetting privateKey = settings.Single(s => s.Path == ConnectorPaths.PrivateKeyFor(chosen));
            if (apiKey.IsUndecryptable || privateKey.IsUndecryptable)
            {
                throw new StoredKeyPairMissingException("The " + chosen + " key pair stored in " + instance.Path + " is encrypted with a key that is not in its crypt/key (removed, or copied from another instance), so it cannot be used. Store the pair again with Set-CommerceApiKey.");
            }

            MagentoEncryptor? encryptor = ConnectorConfigReader.EncryptorOf(instance);
            string? plainApiKey = StoredSecret.PlainValue(apiKey, encryptor);
            string? plainPrivateKey = StoredSecret.PlainValue(privateKey, encryptor);
            if (plainApiKey == null || plainPrivateKey == null)
            {
                throw new StoredKeyPairMissingException("The " + chosen + " key pair of " + instance.Path + " is not set (a stored \"0\" counts as empty, as in the connector). Store it with Set-CommerceApiKey -Environment " + chosen + ", or pass -ApiKey.");
            }

            // Shared with every other read of the same stored pair: parsed once, imported into the platform's RSA once.
            ApiKeyPairReadResult read = StoredKeyPairCache.Read(plainApiKey, plainPrivateKey, chosen);
            if (!read.IsValid)
            {
                throw new StoredKeyPairMissingException("The " + chosen + " key pair stored in " + instance.Path + " is not usable (" + string.Join(", ", read.Problems.Select(p => p.Id)) + "). Store a good pair with Set-CommerceApiKey.");
            }

            return new GatewayCredentials(read.KeyPair!, GatewayUriOf(settings, chosen), RoutesOf(settings));
        }

        /// <summary>Where the instance's connector checks keys and calls the registry, from its settings.</summary>
        /// <exception cref="ArgumentException">Environment variables set one of these settings to different values.</exception>
        public static Gateway.GatewayRoutes RoutesOf(IReadOnlyList<ConnectorSetting> settings)
        {
            string? Setting(string path) => settings.FirstOrDefault(s => s.Path == path) is ConnectorSetting found ? Known(found).Value : ConnectorPaths.Find(path)?.DefaultValue;
            return new Gateway.GatewayRoutes(
                Setting(ConnectorPaths.ProductionKeyValidationUrl),
                Setting(ConnectorPaths.SandboxKeyValidationUrl),
                Setting(ConnectorPaths.CloudFrontValidationUrl),
                Setting(ConnectorPaths.CloudFrontValidationDomains),
                Setting(ConnectorPaths.RegistryApiPath));
        }

        /// <summary>The gateway the instance sends <paramref name="environment"/>'s requests to: its configured URL, else Adobe's.</summary>
        /// <exception cref="ArgumentException">Environment variables set the URL to different values.</exception>
        public static Uri GatewayUriOf(IReadOnlyList<ConnectorSetting> settings, GatewayEnvironment environment)
        {
            string? configured = Known(settings.Single(s => s.Path == ConnectorPaths.GatewayUrlFor(environment))).Value;
            return Uri.TryCreate(configured, UriKind.Absolute, out Uri? uri) ? uri : new Gateway.GatewayOptions().UriFor(environment);
        }

        /// <summary>A setting whose value is known here: not one that several CONFIG__ variables set to different values.</summary>
        private static ConnectorSetting Known(ConnectorSetting setting) =>
            setting.IsAmbiguous
                ? throw new ArgumentException("'" + setting.Path + "' of " + setting.Instance.Path + " is set by " + setting.DescribeEnvironmentVariables() + " with different values: Magento uses the one that comes last in its PHP process's environment, which cannot be known here. Keep one of them.")
                : setting;

        /// <summary>The value of magento_saas/environment that makes the connector use <paramref name="environment"/>.</summary>
        public static string SettingValueOf(GatewayEnvironment environment) => environment == GatewayEnvironment.Sandbox ? "sandbox" : "production";

        /// <summary>magento_saas/environment: "sandbox" means Sandbox, anything else Production (the connector's default).</summary>
        public static GatewayEnvironment ActiveEnvironment(IReadOnlyList<ConnectorSetting> settings) =>
            string.Equals(settings.Single(s => s.Path == ConnectorPaths.GatewayEnvironment).Value, "sandbox", StringComparison.OrdinalIgnoreCase)
                ? GatewayEnvironment.Sandbox
                : GatewayEnvironment.Production;
    }
}
