using System;
using System.Collections.Generic;
using System.Linq;
using CommerceServices.Cloud;
using CommerceServices.Config;
using CommerceServices.Encryption;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Rules;

namespace CommerceServices.Diagnostics
{
    /// <summary>
    /// Test-CommerceConnection's checks of an Adobe Commerce on Cloud instance (none on premises): connector values kept
    /// in app/etc/env.php, which ece-tools manages there; a key pair set both by Cloud variables and in the database;
    /// CONFIG__ variables created without the env: prefix, which Magento never sees; and the Production data space on
    /// an environment that is not the production one (R7).
    /// </summary>
    internal static class CloudChecks
    {
        /// <summary>The names of the checks, in the order they are reported.</summary>
        public static readonly string[] Names = { "CloudEnvPhpValues", "CloudKeyPairSources", "CloudVariablePrefix", "CloudEnvironmentType" };

        private const string OnlyInTheApplication = " are environment variables of the Cloud application, visible only where it runs: run the test there (magento-cloud ssh, then Connect-CommerceInstance in the application folder).";

        /// <param name="dataSpaceType">The type of the data space the instance uses; null when none is chosen or it is not known.</param>
        /// <param name="identifierKnown">Whether the SaaS identifier could be read.</param>
        public static IReadOnlyList<ConnectionCheck> Check(CommerceInstance instance, IReadOnlyList<ConnectorSetting> settings, bool databaseRead, string? dataSpaceType, bool identifierKnown)
        {
            if (instance.Platform != InstancePlatform.Cloud)
            {
                return Array.Empty<ConnectionCheck>();
            }

            return new[]
            {
                EnvPhpValuesCheck(settings),
                KeyPairSourcesCheck(instance, settings, databaseRead),
                VariablePrefixCheck(instance),
                EnvironmentTypeCheck(instance, dataSpaceType, identifierKnown),
            };
        }

        private static bool OnCloudHost(CommerceInstance instance) => Array.IndexOf(instance.CloudMarkers, Instances.CloudMarkers.HostMarker) >= 0;

        /// <summary>Connector values in app/etc/env.php: in no commit and no Cloud variable, so an environment built anew lacks them.</summary>
        private static ConnectionCheck EnvPhpValuesCheck(IReadOnlyList<ConnectorSetting> settings)
        {
            const string Name = "CloudEnvPhpValues";
            ConnectorSetting[] inEnvPhp = settings.Where(s => s.TryGetRaw(ConfigLayer.EnvPhp, out _)).ToArray();
            if (inEnvPhp.Length == 0)
            {
                return new ConnectionCheck(Name, CheckStatus.Pass, "No connector setting is kept in app/etc/env.php.");
            }

            return new ConnectionCheck(
                Name,
                CheckStatus.Warning,
                "Connector settings are kept in app/etc/env.php. " + CloudConfigStore.EnvPhpManaged + " Set each as the Cloud variable instead: "
                    + string.Join("; ", inEnvPhp.Select(s => s.Path + " as " + CloudConfigExport.EnvPrefix + ConnectorPaths.EnvironmentVariableFor(s.Path) + (s.Definition.IsEncrypted ? " (sensitive)" : string.Empty))) + ".",
                "Export-CommerceServicesConfig -Format CloudVariables prints the magento-cloud commands (keys marked sensitive); once the variables are set, remove the settings from the system section of app/etc/env.php and run 'bin/magento app:config:import'.");
        }

        /// <summary>A key pair set both by CONFIG__ variables and in core_config_data: the variables win, the database's pair is not used.</summary>
        private static ConnectionCheck KeyPairSourcesCheck(CommerceInstance instance, IReadOnlyList<ConnectorSetting> settings, bool databaseRead)
        {
            const string Name = "CloudKeyPairSources";
            if (!databaseRead)
            {
                return new ConnectionCheck(Name, CheckStatus.Skipped, "The key pairs stored in core_config_data cannot be seen without the database.");
            }

            bool anyVariable = settings.Any(s => s.TryGetRaw(ConfigLayer.EnvironmentVariable, out _));
            if (!anyVariable && !OnCloudHost(instance))
            {
                return new ConnectionCheck(Name, CheckStatus.Skipped, "Whether Cloud variables also set a key pair is not known here: the variables" + OnlyInTheApplication);
            }

            MagentoEncryptor? encryptor = ConnectorConfigReader.EncryptorOf(instance);
            var both = new List<string>();
            foreach (GatewayEnvironment environment in new[] { GatewayEnvironment.Production, GatewayEnvironment.Sandbox })
            {
                ConnectorSetting[] pair = ConnectorPaths.KeyPaths(environment).Select(path => settings.Single(s => s.Path == path)).ToArray();
                ConnectorSetting[] twice = pair.Where(s => s.TryGetRaw(ConfigLayer.EnvironmentVariable, out _) && s.TryGetRaw(ConfigLayer.Database, out string? stored) && !string.IsNullOrEmpty(stored)).ToArray();
                if (twice.Length == 0)
                {
                    continue;
                }

                bool same = twice.All(s =>
                {
                    s.TryGetRaw(ConfigLayer.EnvironmentVariable, out string? fromVariable);
                    s.TryGetRaw(ConfigLayer.Database, out string? fromDatabase);
                    // Whitespace around a key aside: decrypt() trims, so a key stored encrypted lost its PEM's final newline.
                    return string.Equals(
                        StoredSecret.PlainValue(fromVariable, fromVariable: true, encryptor, out _)?.Trim(),
                        StoredSecret.PlainValue(fromDatabase, fromVariable: false, encryptor, out _)?.Trim(),
                        StringComparison.Ordinal);
                });
                both.Add("the " + environment + " " + (twice.Length == 2 ? "key pair" : twice[0].Definition.Kind == ConnectorValueKind.ApiKey ? "API key" : "private key")
                    + " (" + string.Join(", ", twice.SelectMany(s => s.EnvironmentVariableNames))
                    + "; " + (same ? "the same value" : "a different value") + " in the database)");
            }

            if (both.Count == 0)
            {
                return new ConnectionCheck(Name, CheckStatus.Pass, "No key is set both by a Cloud variable and in core_config_data.");
            }

            return new ConnectionCheck(
                Name,
                CheckStatus.Warning,
                "Set both by Cloud variables and in core_config_data: " + string.Join("; ", both) + ". The variables win (Magento reads CONFIG__ variables above every other layer), "
                    + "so the keys in the database are not used, and Set-CommerceApiKey, which writes the database, changes nothing Magento uses.",
                "Keep one place: update the variables (Export-CommerceServicesConfig -Format CloudVariables) and delete the database's keys, or delete the variables (magento-cloud variable:delete --level environment env:<name>) so the database's pair counts.");
        }

        /// <summary>CONFIG__ variables created without env:, which stay in MAGENTO_CLOUD_VARIABLES where Magento never looks.</summary>
        private static ConnectionCheck VariablePrefixCheck(CommerceInstance instance)
        {
            const string Name = "CloudVariablePrefix";
            IReadOnlyList<string>? names = instance.CloudVariableNames;
            if (names == null)
            {
                return new ConnectionCheck(Name, CheckStatus.Skipped, "The Cloud variables (MAGENTO_CLOUD_VARIABLES)" + OnlyInTheApplication);
            }

            string[] unprefixed = names
                .Where(n => ConnectorPaths.DecodeEnvironmentVariable(n) is string decoded && ConnectorPaths.TrySplitScope(decoded, out _, out _, out _))
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToArray();
            if (unprefixed.Length == 0)
            {
                return new ConnectionCheck(Name, CheckStatus.Pass, "No connector setting is a Cloud variable without the env: prefix.");
            }

            return new ConnectionCheck(
                Name,
                CheckStatus.Warning,
                "Cloud variables that name connector settings were created without the env: prefix: " + string.Join(", ", unprefixed) + ". "
                    + "Cloud keeps such variables in MAGENTO_CLOUD_VARIABLES instead of making them environment variables, so Magento never reads them.",
                "Create each again as env:<name> (magento-cloud variable:create --level environment --name env:" + unprefixed[0] + " ...; Export-CommerceServicesConfig -Format CloudVariables prints the commands), then delete the ones without the prefix.");
        }

        /// <summary>R7 on Cloud: the Production data space only on the production environment, by the environment's own type.</summary>
        private static ConnectionCheck EnvironmentTypeCheck(CommerceInstance instance, string? dataSpaceType, bool identifierKnown)
        {
            const string Name = "CloudEnvironmentType";
            CloudEnvironmentType? type = instance.CloudEnvironmentType;
            if (type == null)
            {
                return new ConnectionCheck(Name, CheckStatus.Skipped, "Which Cloud environment this is is not known here: MAGENTO_CLOUD_ENVIRONMENT and the other Cloud variables" + OnlyInTheApplication);
            }

            string environment = "Cloud environment '" + instance.CloudEnvironment + "' (" + type + ")";
            if (!identifierKnown)
            {
                return new ConnectionCheck(Name, CheckStatus.Skipped, environment + ": the data space it uses is not known here.");
            }

            if (DataSpaceGuardRails.IsProduction(dataSpaceType) && type != CloudEnvironmentType.Production)
            {
                return new ConnectionCheck(
                    Name,
                    CheckStatus.Fail,
                    environment + " is not the production environment (ece-tools tells that from its branch), but it uses the Production data space: its test data overwrites live data (R7).",
                    "Choose a Testing data space for this environment with Set-CommerceDataSpace; a data space set by a Cloud variable is changed there (env:" + ConnectorPaths.EnvironmentVariableFor(ConnectorPaths.DataSpaceId) + ").");
            }

            return new ConnectionCheck(Name, CheckStatus.Pass, environment + " uses " + (string.IsNullOrEmpty(dataSpaceType) ? "no data space yet." : "a " + dataSpaceType + " data space."));
        }
    }
}
