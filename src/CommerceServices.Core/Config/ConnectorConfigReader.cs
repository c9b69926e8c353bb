using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Encryption;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Php;
using CommerceServices.Stores;
using MySqlConnector;

namespace CommerceServices.Config
{
    /// <summary>
    /// Reads the connector's configuration of an instance from every layer Magento reads it from,
    /// in Magento's precedence (as Magento_Config's di.xml orders its config sources): config.xml
    /// defaults, the core_config_data table, system/default in config.php, then env.php, then CONFIG__
    /// environment variables, whose names Magento reads in any letter case after the prefix
    /// (Magento\Config\App\Config\Source\EnvironmentConfigSource lower-cases them). It also finds the
    /// values set for a website or store view (CONFIG__WEBSITES__/CONFIG__STORES__ variables, and
    /// system/websites and system/stores in the files), which replace the default-scope value there.
    /// </summary>
    public static class ConnectorConfigReader
    {
        /// <summary>Reads every connector path.</summary>
        /// <param name="instance">A connected instance.</param>
        /// <param name="environment">The environment variables to consider (this process's when null).</param>
        /// <param name="includeDatabase">False reads only files and environment variables (as for an instance that is not installed yet).</param>
        /// <param name="cancellationToken">Stops the database query.</param>
        /// <exception cref="DatabaseUnavailableException">The database cannot be opened.</exception>
        public static Task<IReadOnlyList<ConnectorSetting>> ReadAsync(CommerceInstance instance, IDictionary? environment, bool includeDatabase, CancellationToken cancellationToken) =>
            ReadAsync(instance, environment, includeDatabase, null, cancellationToken);

        /// <summary>As <see cref="ReadAsync(CommerceInstance, IDictionary, bool, CancellationToken)"/>, through a connection the caller holds (and uses for more) when given.</summary>
        internal static async Task<IReadOnlyList<ConnectorSetting>> ReadAsync(CommerceInstance instance, IDictionary? environment, bool includeDatabase, MySqlConnection? connection, CancellationToken cancellationToken)
        {
            // An instance that is not installed yet has no core_config_data: the files are all there is.
            Dictionary<string, string?> database = includeDatabase && instance.IsInstalled ? await ReadDatabaseAsync(instance, connection, cancellationToken).ConfigureAwait(false) : new Dictionary<string, string?>();
            environment ??= Environment.GetEnvironmentVariables();
            MagentoEncryptor? encryptor = EncryptorOf(instance);
            List<ConfigVariable> variables = ConfigVariables(environment);

            var settings = new List<ConnectorSetting>();
            foreach (ConnectorPath path in ConnectorPaths.All)
            {
                var layers = new Dictionary<ConfigLayer, string?>();
                if (path.DefaultValue != null)
                {
                    layers[ConfigLayer.Default] = path.DefaultValue;
                }

                if (database.TryGetValue(path.Path, out string? fromDatabase))
                {
                    layers[ConfigLayer.Database] = fromDatabase;
                }

                AddFileLayer(layers, ConfigLayer.ConfigPhp, instance.ConfigPhp, path.Path);
                AddFileLayer(layers, ConfigLayer.EnvPhp, instance.EnvPhp, path.Path);

                // Magento files every variable under its decoded path; when several names decode to the same
                // path, the last one in the environment of its PHP process wins, an order not known here.
                ConfigVariable[] own = variables.Where(v => v.Path == path && v.Scope == "default").ToArray();
                bool ambiguous = own.Select(v => v.Value).Distinct(StringComparer.Ordinal).Count() > 1;
                if (own.Length > 0)
                {
                    layers[ConfigLayer.EnvironmentVariable] = ambiguous ? null : own[0].Value;
                }

                ConfigLayer? effective = layers.Count == 0 ? (ConfigLayer?)null : layers.Keys.Max();
                var displays = new Dictionary<ConfigLayer, string?>();
                bool? encrypted = null;
                bool undecryptable = false;
                foreach (var layer in layers)
                {
                    var (layerDisplay, layerEncrypted, layerUndecryptable) = Display(path, layer.Key, layer.Value, encryptor);
                    displays[layer.Key] = layerDisplay;
                    if (layer.Key == effective)
                    {
                        encrypted = layerEncrypted;
                        undecryptable = layerUndecryptable;
                    }
                }

                if (ambiguous)
                {
                    displays[ConfigLayer.EnvironmentVariable] = "(not known: " + own.Length + " environment variables set different values)";
                }

                string? display = effective.HasValue ? displays[effective.Value] : null;
                settings.Add(new ConnectorSetting(instance, path, layers, display, encrypted)
                {
                    IsUndecryptable = undecryptable,
                    DisplayByLayer = displays,
                    EnvironmentVariable = own.Length == 1 ? own[0].Name : null,
                    EnvironmentVariableNames = own.Select(v => v.Name).ToArray(),
                    EnvironmentValues = own.Select(v => v.Name + ": " + (Display(path, ConfigLayer.EnvironmentVariable, v.Value, encryptor).Display ?? "(null)")).ToArray(),
                    IsAmbiguous = ambiguous,
                    ScopeOverrides = ScopeOverrides(instance, path, variables, encryptor),
                });
            }

            return settings;
        }

        /// <summary>
        /// Reads every connector path for work that depends on <paramref name="neededPaths"/> only. When
        /// the database cannot be opened, the files and environment variables answer alone, provided
        /// each needed path is locked in config.php or env.php: no value in core_config_data could
        /// change it then. (A CONFIG__ variable of this process does not count: the instance's PHP
        /// processes may not have it.) Otherwise the database's failure is thrown as it was.
        /// </summary>
        /// <exception cref="DatabaseUnavailableException">The database cannot be opened and a needed path is not locked above it.</exception>
        public static Task<IReadOnlyList<ConnectorSetting>> ReadAsync(CommerceInstance instance, IReadOnlyCollection<string> neededPaths, CancellationToken cancellationToken) =>
            ReadAsync(instance, _ => neededPaths, cancellationToken);

        /// <summary>
        /// As <see cref="ReadAsync(CommerceInstance, IReadOnlyCollection{string}, CancellationToken)"/>, for
        /// work whose needed paths depend on what the files say (which environment's key pair, say).
        /// </summary>
        /// <param name="neededPaths">The paths needed, given the settings of the files alone.</param>
        public static async Task<IReadOnlyList<ConnectorSetting>> ReadAsync(CommerceInstance instance, Func<IReadOnlyList<ConnectorSetting>, IEnumerable<string>> neededPaths, CancellationToken cancellationToken)
        {
            DatabaseUnavailableException unavailable;
            try
            {
                return await ReadAsync(instance, null, includeDatabase: true, cancellationToken).ConfigureAwait(false);
            }
            catch (DatabaseUnavailableException ex)
            {
                unavailable = ex;
            }

            IReadOnlyList<ConnectorSetting> files = await ReadAsync(instance, null, includeDatabase: false, cancellationToken).ConfigureAwait(false);
            if (!AllLocked(files, neededPaths(files)))
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(unavailable).Throw();
            }

            return files;
        }

        /// <summary>Whether config.php or env.php sets every one of <paramref name="paths"/>, so the database cannot change them.</summary>
        public static bool AllLocked(IReadOnlyList<ConnectorSetting> settings, IEnumerable<string> paths) =>
            paths.All(path => settings.Single(s => s.Path == path).IsLockedInFiles);

        /// <summary>
        /// The encryptor of the instance's crypt/key, or null when it has none: one per connection and crypt/key, so its
        /// prepared keys and cipher objects serve every read and write of the instance.
        /// </summary>
        internal static MagentoEncryptor? EncryptorOf(CommerceInstance instance)
        {
            string? key = instance.DeploymentConfig.GetPath("crypt/key") as string;
            if (string.IsNullOrWhiteSpace(key))
            {
                return null;
            }

            Tuple<string, MagentoEncryptor>? known = instance.Encryptor;
            if (known != null && string.Equals(known.Item1, key, StringComparison.Ordinal))
            {
                return known.Item2;
            }

            var encryptor = new MagentoEncryptor(key!);
            instance.Encryptor = Tuple.Create(key!, encryptor);
            return encryptor;
        }

        /// <summary>How a value stored in <paramref name="layer"/> of <paramref name="instance"/> is shown (<see cref="Display"/>): secrets masked.</summary>
        internal static string? DisplayStored(CommerceInstance instance, string path, ConfigLayer layer, string? raw) =>
            ConnectorPaths.Find(path) is ConnectorPath known ? Display(known, layer, raw, EncryptorOf(instance)).Display : raw;

        /// <summary>How one layer's stored value is shown: secrets masked, ciphertext decrypted for that purpose only.</summary>
        private static (string? Display, bool? Encrypted, bool Undecryptable) Display(ConnectorPath path, ConfigLayer layer, string? raw, MagentoEncryptor? encryptor)
        {
            if (!path.IsEncrypted || string.IsNullOrEmpty(raw))
            {
                return (raw, null, false);
            }

            // Fact: values from CONFIG__ environment variables are used verbatim, not decrypted (Magento's MetadataConfigTypeProcessor skips EnvironmentConfigSource values).
            string? plain = StoredSecret.PlainValue(raw, layer == ConfigLayer.EnvironmentVariable, encryptor, out bool wasEncrypted);
            if (!wasEncrypted && LooksEncrypted(raw!))
            {
                // Magento ciphertext that this crypt/key cannot open (a key removed from crypt/key, or another instance's).
                return ("(encrypted; cannot be decrypted with this instance's crypt/key)", true, true);
            }

            if (plain == null)
            {
                // Fact: the connector reads "0" (stored, or what a ciphertext decrypts to) as empty() (KeyEncrypted::safeDecrypt).
                return ("(not set: empty to the connector, as \"0\" is)", wasEncrypted, false);
            }

            return (Describe(path, plain), wasEncrypted, false);
        }

        /// <summary>The shapes Magento's encrypt() produces: k:c:base64 (and the legacy k:c:iv:base64).</summary>
        internal static bool LooksEncrypted(string value) =>
            System.Text.RegularExpressions.Regex.IsMatch(value, "^[0-9]+:[0-3]:([A-Za-z0-9]{32}:)?[A-Za-z0-9+/]+={0,2}$");

        /// <summary>A CONFIG__ variable Magento reads for a connector path, at the default scope or for a website or store view.</summary>
        private sealed class ConfigVariable
        {
            public ConfigVariable(string name, string? value, string scope, string? code, ConnectorPath path)
            {
                Name = name;
                Value = value;
                Scope = scope;
                Code = code;
                Path = path;
            }

            public string Name { get; }

            public string? Value { get; }

            public string Scope { get; }

            public string? Code { get; }

            public ConnectorPath Path { get; }
        }

        /// <summary>The variables of <paramref name="environment"/> that Magento reads into a connector path, in name order.</summary>
        private static List<ConfigVariable> ConfigVariables(IDictionary environment)
        {
            var found = new List<ConfigVariable>();
            foreach (DictionaryEntry entry in environment)
            {
                if (entry.Key is string name
                    && ConnectorPaths.DecodeEnvironmentVariable(name) is string decoded
                    && ConnectorPaths.TrySplitScope(decoded, out string scope, out string? code, out ConnectorPath? path))
                {
                    found.Add(new ConfigVariable(name, entry.Value as string, scope, code, path!));
                }
            }

            return found.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        }

        /// <summary>
        /// The values of <paramref name="path"/> set for websites and store views, from variables and from
        /// system/websites and system/stores of env.php and config.php: every one, by scope and code, each
        /// code's in the order Magento prefers them (variables, then env.php, then config.php).
        /// </summary>
        private static ConfigScopeOverride[] ScopeOverrides(CommerceInstance instance, ConnectorPath path, List<ConfigVariable> variables, MagentoEncryptor? encryptor)
        {
            var found = new List<ConfigScopeOverride>();
            foreach (ConfigVariable variable in variables.Where(v => v.Path == path && v.Code != null))
            {
                found.Add(new ConfigScopeOverride(variable.Scope, variable.Code!, ConfigLayer.EnvironmentVariable, variable.Name, Display(path, ConfigLayer.EnvironmentVariable, variable.Value, encryptor).Display));
            }

            foreach (var (layer, file, name) in new[] { (ConfigLayer.EnvPhp, instance.EnvPhp, "app/etc/env.php"), (ConfigLayer.ConfigPhp, instance.ConfigPhp, "app/etc/config.php") })
            {
                foreach (string scope in new[] { "websites", "stores" })
                {
                    if (!(file.GetPath("system/" + scope) is PhpArray codes))
                    {
                        continue;
                    }

                    foreach (KeyValuePair<object, object?> code in codes)
                    {
                        if (code.Value is PhpArray scoped)
                        {
                            object? value = scoped.GetPath(path.Path, out bool set);
                            if (set)
                            {
                                string? raw = value == null ? null : InstanceDatabase.Text(value);
                                found.Add(new ConfigScopeOverride(scope, Convert.ToString(code.Key, System.Globalization.CultureInfo.InvariantCulture)!, layer, name, Display(path, layer, raw, encryptor).Display));
                            }
                        }
                    }
                }
            }

            return found
                .OrderBy(o => o.Scope == "websites" ? 0 : 1)
                .ThenBy(o => o.ScopeCode, StringComparer.OrdinalIgnoreCase)
                .ThenByDescending(o => o.Layer)
                .ThenBy(o => o.Source, StringComparer.Ordinal)
                .ToArray();
        }

        private static void AddFileLayer(Dictionary<ConfigLayer, string?> layers, ConfigLayer layer, PhpArray file, string path)
        {
            object? value = file.GetPath("system/default/" + path, out bool found);
            if (found)
            {
                // A null in the file still locks the path and replaces lower values (DeploymentConfig::get gives '' for it; array_replace_recursive keeps the null).
                layers[layer] = value == null ? null : InstanceDatabase.Text(value);
            }
        }

        private static string Describe(ConnectorPath path, string plain)
        {
            if (path.Kind == ConnectorValueKind.Secret)
            {
                return "(set, not shown)";
            }

            if (path.Kind == ConnectorValueKind.ApiKey)
            {
                return plain.Length <= 12 ? new string('*', plain.Length) : plain.Substring(0, 4) + "..." + plain.Substring(plain.Length - 4);
            }

            ApiKeyPairReadResult read = StoredKeyPairCache.Read("placeholder-api-key", plain, GatewayEnvironment.Production);
            return read.KeySize.HasValue && read.Fingerprint != null
                ? "(private key: RSA " + read.KeySize + ", SHA256:" + read.Fingerprint.Substring(0, 16) + "...)"
                : "(private key: not usable: " + string.Join(", ", read.Problems.Select(p => p.Id)) + ")";
        }

        /// <summary>
        /// The default-scope rows of every connector path in the instance's core_config_data, values as stored (a path
        /// without a row is absent), through <paramref name="held"/> when given.
        /// </summary>
        /// <exception cref="DatabaseUnavailableException">The database cannot be opened or read.</exception>
        internal static async Task<Dictionary<string, string?>> ReadDatabaseAsync(CommerceInstance instance, MySqlConnection? held, CancellationToken cancellationToken)
        {
            var values = new Dictionary<string, string?>();
            MySqlConnection connection = held ?? await InstanceDatabase.OpenAsync(instance, cancellationToken).ConfigureAwait(false);
            try
            {
                using (MySqlCommand command = connection.CreateCommand())
                {
                    var names = new List<string>();
                    for (int i = 0; i < ConnectorPaths.All.Count; i++)
                    {
                        names.Add("@p" + i);
                        command.Parameters.AddWithValue("@p" + i, ConnectorPaths.All[i].Path);
                    }

                    command.CommandText = "SELECT path, value FROM " + InstanceDatabase.Table(instance, "core_config_data")
                        + " WHERE scope = 'default' AND scope_id = 0 AND path IN (" + string.Join(", ", names) + ")";
                    try
                    {
                        using (MySqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                        {
                            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                            {
                                values[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
                            }
                        }
                    }
                    catch (MySqlException ex)
                    {
                        throw new DatabaseUnavailableException(instance.Path, "Cannot read " + InstanceDatabase.Table(instance, "core_config_data") + " of " + instance.Path + ": " + ex.Message + " Check the table prefix (db/table_prefix in app/etc/env.php) and that Magento is installed in this database.", ex);
                    }
                }
            }
            finally
            {
                if (held == null)
                {
                    connection.Dispose();
                }
            }

            return values;
        }
    }
}
