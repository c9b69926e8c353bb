using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Gateway;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Rules;
using CommerceServices.Saas;
using CommerceServices.Stores;
using MySqlConnector;

namespace CommerceServices.Diagnostics
{
    /// <summary>Settings of a connection test.</summary>
    public sealed class ConnectionTestOptions
    {
        /// <summary>Skip the checks that call the gateway.</summary>
        public bool Offline { get; set; }

        /// <summary>How many instances are tested at once.</summary>
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>How long one gateway request may take before its check fails.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>The environment variables taken for those of the instance's PHP processes; this process's when null. Core and test use.</summary>
        internal System.Collections.IDictionary? Environment { get; set; }
    }

    /// <summary>
    /// Answers "is this instance connected, and if not, why?" for many instances at once, each
    /// failed check a result with a remedy, never an exception.
    /// </summary>
    public static class ConnectionTester
    {
        /// <summary>Tests every instance (at most <see cref="ConnectionTestOptions.ThrottleLimit"/> at a time); reports come back in input order.</summary>
        /// <param name="progress">Called with the number of instances finished.</param>
        public static async Task<IReadOnlyList<CommerceConnectionReport>> TestAsync(IReadOnlyList<CommerceInstance> instances, ConnectionTestOptions options, Action<int>? progress, CancellationToken cancellationToken)
        {
            var reports = new CommerceConnectionReport[instances.Count];
            int finished = 0;
            using (var throttle = new SemaphoreSlim(Math.Max(1, options.ThrottleLimit)))
            {
                await Task.WhenAll(instances.Select(async (instance, index) =>
                {
                    await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        try
                        {
                            reports[index] = await TestOneAsync(instance, options, cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (!(ex is OperationCanceledException))
                        {
                            // One instance whose files cannot be read (say) must not take the others' reports with it.
                            var failed = new ConnectionCheck("Instance", CheckStatus.Fail, "The instance could not be tested: " + ex.Message, "Fix what the message names (Connect-CommerceInstance reads the same files), then test again.");
                            reports[index] = new CommerceConnectionReport(instance, new List<ConnectionCheck> { failed }, GatewayEnvironment.Production, null, null, null, null);
                        }
                    }
                    finally
                    {
                        throttle.Release();
                        progress?.Invoke(Interlocked.Increment(ref finished));
                    }
                })).ConfigureAwait(false);
            }

            MarkSharedDataSpaces(reports);
            return reports;
        }

        private static async Task<CommerceConnectionReport> TestOneAsync(CommerceInstance instance, ConnectionTestOptions options, CancellationToken cancellationToken)
        {
            var checks = new List<ConnectionCheck>();
            checks.Add(ConnectorModules.Enabled(instance)
                ? new ConnectionCheck("ConnectorModules", CheckStatus.Pass, "Magento_ServicesConnector and Magento_ServicesId are enabled.")
                : new ConnectionCheck("ConnectorModules", CheckStatus.Fail, "Magento_ServicesConnector or Magento_ServicesId is not enabled (R12).", "Run 'bin/magento module:enable Magento_ServicesConnector Magento_ServicesId' and 'bin/magento setup:upgrade' on the instance."));

            MySqlConnection? connection = null;
            try
            {
                IReadOnlyList<ConnectorSetting> settings;
                bool databaseRead;
                (settings, databaseRead, connection) = await ReadSettingsAsync(instance, options.Environment, checks, cancellationToken).ConfigureAwait(false);
                await TestSettingsAsync(instance, settings, databaseRead, checks, options, cancellationToken).ConfigureAwait(false);
                checks.AddRange(await DataExportChecks.CheckAsync(instance, settings, connection, cancellationToken).ConfigureAwait(false));
                return new CommerceConnectionReport(instance, checks, StoredKeyPairs.ActiveEnvironment(settings), Value(settings, ConnectorPaths.ProjectName), Value(settings, ConnectorPaths.DataSpaceName), Value(settings, ConnectorPaths.DataSpaceType), Value(settings, ConnectorPaths.DataSpaceId));
            }
            finally
            {
                connection?.Dispose();
            }
        }

        /// <summary>The connection checks (R10, the guard rails) on the settings read.</summary>
        private static async Task TestSettingsAsync(CommerceInstance instance, IReadOnlyList<ConnectorSetting> settings, bool databaseRead, List<ConnectionCheck> checks, ConnectionTestOptions options, CancellationToken cancellationToken)
        {

            // Without the database, a value is known only when it is locked in config.php or env.php.
            bool Known(IEnumerable<string> paths) => databaseRead || ConnectorConfigReader.AllLocked(settings, paths);
            const string Unknown = " is not locked in the files and the database could not be read, so it is not known here.";

            GatewayEnvironment active = StoredKeyPairs.ActiveEnvironment(settings);
            bool environmentKnown = Known(new[] { ConnectorPaths.GatewayEnvironment });
            checks.Add(environmentKnown
                ? new ConnectionCheck("GatewayEnvironment", CheckStatus.Pass, "The instance uses the " + active + " gateway environment (magento_saas/environment).")
                : new ConnectionCheck("GatewayEnvironment", CheckStatus.Skipped, "The gateway environment (magento_saas/environment)" + Unknown));

            IReadOnlyList<StoredApiKey> keys = StoredApiKey.From(instance, settings);
            var notAskedWhy = new Dictionary<GatewayEnvironment, string?>();
            foreach (StoredApiKey key in keys)
            {
                string name = key.Environment + "KeyPair";
                bool ok = key.IsSet && key.Problems.Length == 0;
                if (!Known(ConnectorPaths.KeyPairPaths(key.Environment)))
                {
                    notAskedWhy[key.Environment] = "the " + key.Environment + " key pair is not known here";
                    checks.Add(new ConnectionCheck(name, CheckStatus.Skipped, "The " + key.Environment + " key pair" + Unknown));
                    continue;
                }

                notAskedWhy[key.Environment] = ok ? null : "the " + key.Environment + " key pair is not usable";
                checks.Add(!key.IsSet
                    ? new ConnectionCheck(name, CheckStatus.Fail, "The " + key.Environment + " key pair is not set (R10).", "Store it with Set-CommerceApiKey -Environment " + key.Environment + " (keys come from the API Portal of the license owner's Commerce account).")
                    : ok
                        ? new ConnectionCheck(name, CheckStatus.Pass, "The " + key.Environment + " key pair is set: " + key.ApiKey + ", RSA " + key.KeySize + ", SHA256:" + key.Fingerprint!.Substring(0, 16) + "...")
                        : key.Problems.Contains(StoredApiKey.NotReadableByConnector)
                            ? new ConnectionCheck(name, CheckStatus.Fail, "The stored " + key.Environment + " private key reads here only after repairs OpenSSL does not make (such as indentation, a key on one line or odd BEGIN/END lines), and Magento's connector passes it to OpenSSL as stored, so it cannot sign (" + StoredApiKey.NotReadableByConnector + ").", "Store the pair again with Set-CommerceApiKey -Environment " + key.Environment + ", which stores the key clean.")
                            : new ConnectionCheck(name, CheckStatus.Fail, "The stored " + key.Environment + " key pair is not usable: " + string.Join(", ", key.Problems) + ".", "Store a good pair with Set-CommerceApiKey -Environment " + key.Environment + "; Test-CommerceApiKey explains each problem."));
            }

            foreach (GatewayEnvironment environment in new[] { GatewayEnvironment.Production, GatewayEnvironment.Sandbox })
            {
                checks.Add(await CheckOnlineAsync(instance, settings, environment, notAskedWhy[environment], options, cancellationToken).ConfigureAwait(false));
            }

            string? projectId = Value(settings, ConnectorPaths.ProjectId);
            string? dataSpaceId = Value(settings, ConnectorPaths.DataSpaceId);
            bool identifierKnown = Known(new[] { ConnectorPaths.ProjectId, ConnectorPaths.ProjectName, ConnectorPaths.DataSpaceId, ConnectorPaths.DataSpaceName, ConnectorPaths.DataSpaceType });
            checks.Add(!identifierKnown
                ? new ConnectionCheck("SaasIdentifier", CheckStatus.Skipped, "The SaaS identifier" + Unknown)
                : string.IsNullOrEmpty(projectId) || string.IsNullOrEmpty(dataSpaceId)
                ? new ConnectionCheck("SaasIdentifier", CheckStatus.Fail, "No " + (string.IsNullOrEmpty(projectId) ? "SaaS project" : "data space") + " is chosen (R10).", "Choose one with Get-SaasDataSpace | Set-CommerceDataSpace (create a project first with New-SaasProject if there is none).")
                : new ConnectionCheck("SaasIdentifier", CheckStatus.Pass, "Project '" + Value(settings, ConnectorPaths.ProjectName) + "', data space '" + Value(settings, ConnectorPaths.DataSpaceName) + "' (" + Value(settings, ConnectorPaths.DataSpaceType) + ")."));
            var identifierOnline = await CheckIdentifierOnlineAsync(instance, settings, identifierKnown ? projectId : null, identifierKnown ? dataSpaceId : null, environmentKnown ? notAskedWhy[active] : "the active gateway environment is not known here", options, cancellationToken).ConfigureAwait(false);
            checks.AddRange(identifierOnline.Checks);
            checks.Add(LiveSearchFeatureCheck(instance, identifierOnline.DataSpace, options));

            checks.Add(ShadowedValuesCheck(settings, databaseRead));
            string? type = Value(settings, ConnectorPaths.DataSpaceType);
            checks.Add(!identifierKnown
                ? new ConnectionCheck("ProductionDataSpaceRole", CheckStatus.Skipped, "The data space type" + Unknown)
                : !DataSpaceGuardRails.IsProduction(type)
                ? new ConnectionCheck("ProductionDataSpaceRole", CheckStatus.Pass, string.IsNullOrEmpty(type) ? "No data space is chosen." : "The instance uses a " + type + " data space.")
                : DataSpaceGuardRails.ProductionDataSpaceFits(type, instance.Role)
                    ? new ConnectionCheck("ProductionDataSpaceRole", CheckStatus.Pass, "The Production data space is used by an instance declared Production.")
                    : new ConnectionCheck("ProductionDataSpaceRole", CheckStatus.Fail, "The instance uses the Production data space but is not declared a production installation (role " + instance.Role + "): test data would overwrite live data (R7).", "If this is the live installation, connect it with -Role Production; otherwise choose a Testing data space with Set-CommerceDataSpace."));
            checks.AddRange(CloudChecks.Check(instance, settings, databaseRead, identifierKnown ? type : null, identifierKnown));
        }

        /// <summary>
        /// The instance's settings with the Database check and the configuration-hash check, both through one
        /// connection, which stays open for the data export checks (the caller disposes it): without the database,
        /// the files and environment variables alone (and whether that is enough), and no connection. Before
        /// setup:install the files are all there is: read, though without a connection.
        /// </summary>
        private static async Task<(IReadOnlyList<ConnectorSetting> Settings, bool DatabaseRead, MySqlConnection? Connection)> ReadSettingsAsync(CommerceInstance instance, System.Collections.IDictionary? environment, List<ConnectionCheck> checks, CancellationToken cancellationToken)
        {
            MySqlConnection? connection = null;
            bool handedOver = false;
            try
            {
                IReadOnlyList<ConnectorSetting> settings;
                bool databaseRead = false;
                try
                {
                    connection = instance.IsInstalled ? await InstanceDatabase.OpenAsync(instance, cancellationToken).ConfigureAwait(false) : null;
                    settings = await ConnectorConfigReader.ReadAsync(instance, environment, includeDatabase: true, connection, cancellationToken).ConfigureAwait(false);
                    databaseRead = true;
                    checks.Add(!instance.IsInstalled
                        ? new ConnectionCheck("Database", CheckStatus.Warning, "Magento is not installed here yet (app/etc/env.php has no install/date), so the settings in the files are all there are.", "Install Magento (bin/magento setup:install); it keeps the settings of env.php and config.php.")
                        : new ConnectionCheck("Database", CheckStatus.Pass, "The settings in core_config_data were read."));
                }
                catch (DatabaseUnavailableException ex)
                {
                    settings = await ConnectorConfigReader.ReadAsync(instance, environment, includeDatabase: false, cancellationToken).ConfigureAwait(false);
                    string[] open = ConnectorPaths.ConnectionPaths.Where(path => !ConnectorConfigReader.AllLocked(settings, new[] { path })).ToArray();
                    checks.Add(open.Length == 0
                        ? new ConnectionCheck("Database", CheckStatus.Warning, ex.Message + " Every setting the connection depends on is locked in app/etc/env.php or config.php, so no value in core_config_data can change this result.", "To see the values stored in core_config_data too, run the test where the database is reachable.")
                        : new ConnectionCheck("Database", CheckStatus.Fail, ex.Message + " Not locked in the files, so only the database knows them: " + string.Join(", ", open) + ".", "Run the test where the instance's database is reachable, or check the credentials in app/etc/env.php."));
                }

                checks.Add(await ConfigHashCheckAsync(instance, databaseRead ? connection : null, cancellationToken).ConfigureAwait(false));
                handedOver = databaseRead;
                return (settings, databaseRead, databaseRead ? connection : null);
            }
            finally
            {
                if (!handedOver)
                {
                    connection?.Dispose();
                }
            }
        }

        /// <summary>
        /// Whether Magento takes requests at all: with changes in the system section of config.php and env.php that were
        /// not imported (a hand edit, a deploy, a write killed before it stored the hash), Magento refuses every request.
        /// </summary>
        /// <param name="connection">The instance's database, or null when it could not be read.</param>
        private static async Task<ConnectionCheck> ConfigHashCheckAsync(CommerceInstance instance, MySqlConnection? connection, CancellationToken cancellationToken)
        {
            const string Name = "ConfigImport";
            if (!instance.IsInstalled)
            {
                return new ConnectionCheck(Name, CheckStatus.Pass, "Magento is not installed here yet: setup:install imports the files as they are.");
            }

            if (connection == null)
            {
                return new ConnectionCheck(Name, CheckStatus.Skipped, "Whether the files' changes were imported is kept in the database (flag config_hash), which could not be read.");
            }

            try
            {
                return await EnvPhpSettingsStore.HasUnimportedChangesAsync(instance, connection, cancellationToken).ConfigureAwait(false)
                    ? new ConnectionCheck(Name, CheckStatus.Fail, "The system section of app/etc/config.php and env.php has changes Magento has not imported (flag config_hash): Magento refuses every request until they are.", "Run 'bin/magento app:config:import' on the instance. If a change made with this module was interrupted, making it again finishes it.")
                    : new ConnectionCheck(Name, CheckStatus.Pass, "Magento has imported the system section of app/etc/config.php and env.php as it is.");
            }
            catch (DatabaseUnavailableException ex)
            {
                return new ConnectionCheck(Name, CheckStatus.Skipped, ex.Message);
            }
        }

        /// <summary>
        /// Values that are not the one Magento uses, or not the only one: lower layers hidden by a higher one
        /// (needs the database), several CONFIG__ variables for one path, a variable not spelled in capitals
        /// (the Admin does not lock its field), and website or store view values that replace the default-scope value.
        /// </summary>
        private static ConnectionCheck ShadowedValuesCheck(IReadOnlyList<ConnectorSetting> settings, bool databaseRead)
        {
            var findings = new List<string>();
            var remedies = new List<string>();
            string[] hidden = settings.Where(s => s.ShadowedLayers.Length > 0).Select(s => s.Path + " (" + s.Layer + " over " + string.Join(", ", s.ShadowedLayers) + ")").ToArray();
            if (databaseRead && hidden.Length > 0)
            {
                findings.Add("Values hidden by a higher layer: " + string.Join("; ", hidden) + ".");
                remedies.Add("Remove the lower values, or the locked ones, so there is one place that counts");
            }

            // Magento files each CONFIG__ variable under its lower-cased path; of several for one path, the last
            // one in the environment of its PHP process wins (EnvironmentConfigSource walks $_ENV in order).
            string[] several = settings.Where(s => s.EnvironmentValues.Length > 1)
                .Select(s => s.Path + " (" + string.Join(", ", s.EnvironmentVariableNames) + (s.IsAmbiguous ? ": different values" : ": the same value") + ")").ToArray();
            if (several.Length > 0)
            {
                findings.Add("Set by more than one environment variable (Magento reads the name in any letter case and uses the one that comes last in the environment of its PHP process, which cannot be seen from here): " + string.Join("; ", several) + ".");
                remedies.Add("Keep one CONFIG__ variable per path");
            }

            // Magento's Admin locks a field only for the name in capitals, so a value saved there would be ignored.
            ConnectorSetting[] notCapitals = settings.Where(s => s.EnvironmentVariable != null && s.EnvironmentVariable != ConnectorPaths.EnvironmentVariableFor(s.Path)).ToArray();
            if (notCapitals.Length > 0)
            {
                findings.Add("Set by an environment variable not all in capitals, which Magento uses but its Admin does not show as locked (a value saved there is ignored): " + string.Join("; ", notCapitals.Select(s => s.Path + " (" + s.EnvironmentVariable + ")")) + ".");
                remedies.Add("Rename such a variable to its name in capitals (" + string.Join(", ", notCapitals.Select(s => ConnectorPaths.EnvironmentVariableFor(s.Path))) + ")");
            }

            string[] scoped = settings.Where(s => s.ScopeOverrides.Length > 0)
                .Select(s => s.Path + " (" + string.Join(", ", s.ScopeOverrides.Select(o => o.Scope + "/" + o.ScopeCode + " in " + o.Source)) + ")").ToArray();
            if (scoped.Length > 0)
            {
                findings.Add("Set for a website or store view, where Magento uses that value instead of the default-scope one this module reads and writes (the connector's own ServicesId reads the default scope; code that reads the path for a store gets the other value): " + string.Join("; ", scoped) + ".");
                remedies.Add("Remove the website and store view values (their CONFIG__WEBSITES__ and CONFIG__STORES__ variables, or system/websites and system/stores in app/etc/env.php or config.php), so the default-scope value is the only one");
            }

            if (findings.Count == 0)
            {
                return databaseRead
                    ? new ConnectionCheck("ShadowedValues", CheckStatus.Pass, "No connector value is hidden by a higher layer.")
                    : new ConnectionCheck("ShadowedValues", CheckStatus.Skipped, "Values in core_config_data hidden by the files cannot be seen without the database.");
            }

            string unread = databaseRead ? string.Empty : " Values in core_config_data hidden by the files cannot be seen without the database.";
            return new ConnectionCheck("ShadowedValues", CheckStatus.Warning, string.Join(" ", findings) + unread, string.Join("; ", remedies) + "; Get-CommerceServicesConfig shows them.");
        }

        private static async Task<ConnectionCheck> CheckOnlineAsync(CommerceInstance instance, IReadOnlyList<ConnectorSetting> settings, GatewayEnvironment environment, string? notAskedWhy, ConnectionTestOptions options, CancellationToken cancellationToken)
        {
            string name = environment + "KeyOnline";
            if (options.Offline)
            {
                return new ConnectionCheck(name, CheckStatus.Skipped, "Not asked: -Offline.");
            }

            if (notAskedWhy != null)
            {
                return new ConnectionCheck(name, CheckStatus.Skipped, "Not asked: " + notAskedWhy + ".");
            }

            GatewayCredentials pair;
            try
            {
                pair = StoredKeyPairs.From(instance, settings, environment);
                GatewayOptions.Validate(pair.GatewayUri);
            }
            catch (StoredKeyPairMissingException ex)
            {
                return new ConnectionCheck(name, CheckStatus.Fail, ex.Message, "Store the pair with Set-CommerceApiKey.");
            }
            catch (ArgumentException ex)
            {
                return new ConnectionCheck(name, CheckStatus.Fail, "The " + environment + " gateway URL the instance is configured for is not usable: " + ex.Message, "Set services_connector/" + environment.ToString().ToLowerInvariant() + "_gateway_url to an https URL (plain http only on loopback), or remove it to use Adobe's.");
            }

            try
            {
                bool accepted = await Client(pair, options).CheckApiKeyAsync(cancellationToken).ConfigureAwait(false);
                return accepted
                    ? new ConnectionCheck(name, CheckStatus.Pass, "The " + environment + " gateway " + pair.GatewayUri + " accepts the key pair.")
                    : new ConnectionCheck(name, CheckStatus.Fail, "The " + environment + " gateway refused the key pair (R11: SaaS services stop, Payment Services shows 'account not verified').", "If new keys were generated in the API Portal, store them in every instance at once (R3): Set-CommerceApiKey -Environment " + environment + ".");
            }
            catch (GatewayException ex)
            {
                return new ConnectionCheck(name, CheckStatus.Fail, "The " + environment + " key pair could not be checked: " + ex.Message, "Check the network path and proxy to the gateway, then test again.");
            }
        }

        private static async Task<(IEnumerable<ConnectionCheck> Checks, SaasDataSpace? DataSpace)> CheckIdentifierOnlineAsync(CommerceInstance instance, IReadOnlyList<ConnectorSetting> settings, string? projectId, string? dataSpaceId, string? notAskedWhy, ConnectionTestOptions options, CancellationToken cancellationToken)
        {
            if (options.Offline || notAskedWhy != null || string.IsNullOrEmpty(projectId) || string.IsNullOrEmpty(dataSpaceId))
            {
                string why = options.Offline ? "-Offline" : notAskedWhy ?? "no project or data space is known";
                return (new[]
                {
                    new ConnectionCheck("SaasIdentifierOnline", CheckStatus.Skipped, "Not asked: " + why + "."),
                    new ConnectionCheck("Edition", CheckStatus.Skipped, "Not asked: " + why + "."),
                }, null);
            }

            GatewayClient client;
            try
            {
                GatewayCredentials pair = StoredKeyPairs.From(instance, settings, null);
                GatewayOptions.Validate(pair.GatewayUri);
                client = Client(pair, options);
            }
            catch (Exception ex) when (ex is StoredKeyPairMissingException || ex is ArgumentException)
            {
                return (new[]
                {
                    new ConnectionCheck("SaasIdentifierOnline", CheckStatus.Fail, "The SaaS identifier could not be checked: " + ex.Message, "Fix the active key pair and its gateway URL (see the key pair checks), then test again."),
                    new ConnectionCheck("Edition", CheckStatus.Skipped, "Not asked: the identifier could not be checked."),
                }, null);
            }

            try
            {
                SaasDataSpace dataSpace = await client.GetDataSpaceAsync(dataSpaceId!, cancellationToken).ConfigureAwait(false);
                if (dataSpace.ProjectId != projectId)
                {
                    return (new[]
                    {
                        new ConnectionCheck("SaasIdentifierOnline", CheckStatus.Fail, "Data space " + dataSpaceId + " belongs to project '" + dataSpace.ProjectName + "', not to the configured project " + projectId + ".", "Choose a data space of the project with Get-SaasDataSpace | Set-CommerceDataSpace."),
                        new ConnectionCheck("Edition", CheckStatus.Skipped, "Not asked: the identifier does not hold together."),
                    }, null);
                }

                SaasProject project = await client.GetProjectAsync(projectId!, cancellationToken).ConfigureAwait(false);
                int testing = project.DataSpaces.Count(d => d.Type == "Testing");
                bool commerce = instance.Edition == CommerceEdition.AdobeCommerce;
                ConnectionCheck edition = commerce == (testing > 0)
                    ? new ConnectionCheck("Edition", CheckStatus.Pass, "The project's data spaces fit " + instance.Edition + " (" + project.DataSpaces.Count + " data spaces, " + testing + " Testing).")
                    : new ConnectionCheck("Edition", CheckStatus.Warning, "The instance is " + instance.Edition + " but project '" + project.Name + "' has " + testing + " Testing data spaces, which suggests keys of an account of the other edition (R5).", "Check that the keys were generated in the license owner's account for this edition.");
                return (new[]
                {
                    new ConnectionCheck("SaasIdentifierOnline", CheckStatus.Pass, "Project '" + project.Name + "' and data space '" + dataSpace.Name + "' exist for the keys and belong together."),
                    edition,
                }, dataSpace);
            }
            catch (DataSpaceNotFoundException)
            {
                return (new[]
                {
                    new ConnectionCheck("SaasIdentifierOnline", CheckStatus.Fail, "Data space " + dataSpaceId + " does not exist for the instance's keys (deleted, or keys of another account).", "Choose an existing data space with Get-SaasDataSpace | Set-CommerceDataSpace."),
                    new ConnectionCheck("Edition", CheckStatus.Skipped, "Not asked: the data space does not exist."),
                }, null);
            }
            catch (GatewayException ex)
            {
                return (new[]
                {
                    new ConnectionCheck("SaasIdentifierOnline", CheckStatus.Fail, "The SaaS identifier could not be checked: " + ex.Message, "Check the network path to the gateway and the stored keys, then test again."),
                    new ConnectionCheck("Edition", CheckStatus.Skipped, "Not asked: the gateway did not answer."),
                }, null);
            }
        }

        /// <summary>
        /// Live Search registers feature PREMIUM_SEARCH for the data space when it is chosen (Magento_LiveSearch's
        /// RegisterMerchantOnConfigValueSave plugin); without it Live Search has no index to serve. Judged only
        /// when the registry's answer lists the data space's features.
        /// </summary>
        private static ConnectionCheck LiveSearchFeatureCheck(CommerceInstance instance, SaasDataSpace? dataSpace, ConnectionTestOptions options)
        {
            const string Name = "LiveSearchFeature";
            string feature = DataSpaceRegistration.LiveSearchFeature;
            if (!instance.IsModuleEnabled(DataSpaceRegistration.LiveSearchModule))
            {
                return new ConnectionCheck(Name, CheckStatus.Pass, DataSpaceRegistration.LiveSearchModule + " is not enabled, so the data space needs no " + feature + " feature.");
            }

            if (dataSpace == null)
            {
                return new ConnectionCheck(Name, CheckStatus.Skipped, "Not asked: " + (options.Offline ? "-Offline" : "the data space was not read from the registry") + ".");
            }

            if (dataSpace.Features == null)
            {
                return new ConnectionCheck(Name, CheckStatus.Skipped, "The registry's answer does not list the features of data space '" + dataSpace.Name + "', so whether " + feature + " is registered is not known here.");
            }

            return dataSpace.Features.Contains(feature, StringComparer.Ordinal)
                ? new ConnectionCheck(Name, CheckStatus.Pass, "Live Search is enabled and data space '" + dataSpace.Name + "' has feature " + feature + ".")
                : new ConnectionCheck(Name, CheckStatus.Warning, DataSpaceRegistration.LiveSearchModule + " is enabled, but the registry does not list feature " + feature + " for data space '" + dataSpace.Name + "' (" + dataSpace.DataSpaceId + "): Live Search was not registered for it, so search results may not come from it.", "Choose the data space again with Set-CommerceDataSpace -DataSpaceId " + dataSpace.DataSpaceId + " (it registers the feature as Magento does), or run 'bin/magento setup:upgrade' on the instance.");
        }

        /// <summary>R6: every instance needs its own data space (<see cref="DataSpaceUse"/>); a data space used by two instances of the run fails on both.</summary>
        private static void MarkSharedDataSpaces(CommerceConnectionReport[] reports)
        {
            var use = new DataSpaceUse();
            foreach (CommerceConnectionReport report in reports.Where(r => !string.IsNullOrEmpty(r.DataSpaceId)))
            {
                use.Record(report.Instance.Path, report.DataSpaceId);
            }

            foreach (CommerceConnectionReport report in reports)
            {
                IReadOnlyList<string> others = string.IsNullOrEmpty(report.DataSpaceId) ? Array.Empty<string>() : use.OthersUsing(report.Instance.Path, report.DataSpaceId!);
                ConnectionCheck check = string.IsNullOrEmpty(report.DataSpaceId)
                    ? new ConnectionCheck("SharedDataSpace", CheckStatus.Skipped, "No data space is known for the instance.")
                    : others.Count == 0
                    ? new ConnectionCheck("SharedDataSpace", CheckStatus.Pass, "No other instance of this test uses the same data space.")
                    : new ConnectionCheck("SharedDataSpace", CheckStatus.Fail, "Data space " + report.DataSpaceId + " is also used by " + string.Join(", ", others) + ": their data overwrite each other (R6).", "Give each instance its own data space with Set-CommerceDataSpace.");
                report.Checks = report.Checks.Where(c => c.Area == CheckArea.Connection).Concat(new[] { check }).Concat(report.Checks.Where(c => c.Area != CheckArea.Connection)).ToList();
            }
        }

        private static GatewayClient Client(GatewayCredentials pair, ConnectionTestOptions options) =>
            new GatewayClient(pair.KeyPair, new GatewayOptions { RequestTimeout = options.RequestTimeout, MaxAttempts = 2, MaxRetryTime = options.RequestTimeout + options.RequestTimeout }, null, pair.GatewayUri, pair.Routes);

        private static string? Value(IReadOnlyList<ConnectorSetting> settings, string path) => settings.Single(s => s.Path == path).Value;
    }
}
