using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Php;

namespace CommerceServices.Stores.Backups
{
    /// <summary>One setting a restore changes: what the store holds now, and what the backup puts back.</summary>
    public sealed class ConfigRestoreStep
    {
        internal ConfigRestoreStep(ConfigBackupValue now, ConfigBackupValue then)
        {
            Now = now;
            Then = then;
        }

        /// <summary>The configuration path.</summary>
        public string Path => Then.Path;

        /// <summary>The value the store holds now.</summary>
        public ConfigBackupValue Now { get; }

        /// <summary>The value the backup holds.</summary>
        public ConfigBackupValue Then { get; }

        /// <summary>The write that puts the backup's value back (a null value removes the setting from the database store).</summary>
        public ConfigChange Change => new ConfigChange(Path, Then.WasSet ? Then.StoredValue : null);
    }

    /// <summary>
    /// What restoring a backup changes: the settings whose stored value differs between the backup and the
    /// instance's store now. Written back through the same store, a restore leaves a backup of what it
    /// replaces, so it can itself be undone.
    /// </summary>
    public static class ConfigRestorePlan
    {
        /// <summary>The steps that put <paramref name="backup"/>'s values back, in the backup's order; empty when the store already holds them.</summary>
        /// <exception cref="InvalidOperationException">The backup is of another store than the instance writes to.</exception>
        /// <exception cref="DatabaseUnavailableException">A database backup, and the database cannot be read.</exception>
        public static async Task<IReadOnlyList<ConfigRestoreStep>> PlanAsync(CommerceInstance instance, ConfigBackup backup, CancellationToken cancellationToken)
        {
            RefuseOtherStore(instance, backup);
            return Steps(backup, await CurrentValuesAsync(instance, backup, cancellationToken).ConfigureAwait(false));
        }

        private static void RefuseOtherStore(CommerceInstance instance, ConfigBackup backup)
        {
            if (backup.Store != instance.ConfigStore)
            {
                string remedy = Rules.CloudConfigStore.Allows(instance.Platform, backup.Store)
                    ? "Connect it with -ConfigStore " + backup.Store + " to restore this backup."
                    : "It is an Adobe Commerce on Cloud project, which is never connected with -ConfigStore " + backup.Store + " (ece-tools manages app/etc/env.php there), so this backup is not put back as it is: "
                        + "read its values with Get-CommerceServicesConfigBackup and set the ones you need with the Set- cmdlets, or as Cloud variables (Export-CommerceServicesConfig -Format CloudVariables).";
                throw new InvalidOperationException("The backup '" + backup.Path + "' was written by the " + backup.Store + " store, and " + instance.Path + " is connected with -ConfigStore " + instance.ConfigStore + ". " + remedy);
            }
        }

        private static IReadOnlyList<ConfigRestoreStep> Steps(ConfigBackup backup, IReadOnlyDictionary<string, ConfigBackupValue> now) =>
            backup.Values
                .Where(then => now[then.Path].WasSet != then.WasSet || !string.Equals(now[then.Path].StoredValue, then.StoredValue, StringComparison.Ordinal))
                .Select(then => new ConfigRestoreStep(now[then.Path], then))
                .ToArray();

        /// <summary>
        /// The key pairs a restore of <paramref name="steps"/> puts back, decrypted with the instance's crypt key, for
        /// the environments whose pair it changes; a null read where the backup holds no (complete) pair, so the
        /// restore removes one and there is nothing to check online.
        /// </summary>
        public static IReadOnlyList<(GatewayEnvironment Environment, Keys.ApiKeyPairReadResult? Read)> RestoredKeyPairs(CommerceInstance instance, ConfigBackup backup, IReadOnlyList<ConfigRestoreStep> steps)
        {
            var pairs = new List<(GatewayEnvironment, Keys.ApiKeyPairReadResult?)>();
            Encryption.MagentoEncryptor? encryptor = ConnectorConfigReader.EncryptorOf(instance);
            foreach (GatewayEnvironment environment in new[] { GatewayEnvironment.Production, GatewayEnvironment.Sandbox })
            {
                string[] keyPaths = ConnectorPaths.KeyPaths(environment);
                if (!steps.Any(s => keyPaths.Contains(s.Path)))
                {
                    continue;
                }

                string? Plain(string path) =>
                    backup.Values.FirstOrDefault(v => v.Path == path) is ConfigBackupValue then && then.WasSet && then.StoredValue != null
                        ? Keys.StoredSecret.PlainValue(then.StoredValue, false, encryptor, out _)
                        : null;
                string? apiKey = Plain(ConnectorPaths.ApiKeyFor(environment));
                string? privateKey = Plain(ConnectorPaths.PrivateKeyFor(environment));
                pairs.Add((environment, apiKey == null || privateKey == null ? null : Keys.StoredKeyPairCache.Read(apiKey, privateKey, environment)));
            }

            return pairs;
        }

        /// <summary>
        /// The steps of <see cref="PlanAsync"/> and the description of <see cref="ConfigBackupInfo.DescribeAsync"/> from one
        /// read of what the store holds now, for a restore that shows what it changes before it changes it.
        /// </summary>
        public static async Task<(IReadOnlyList<ConfigRestoreStep> Steps, ConfigBackupInfo Shown)> PlanAndDescribeAsync(CommerceInstance instance, ConfigBackup backup, CancellationToken cancellationToken)
        {
            RefuseOtherStore(instance, backup);
            IReadOnlyDictionary<string, ConfigBackupValue> now = await CurrentValuesAsync(instance, backup, cancellationToken).ConfigureAwait(false);
            return (Steps(backup, now), ConfigBackupInfo.Describe(instance, backup, now));
        }

        /// <summary>What the backup's store holds now for each path of <paramref name="backup"/>.</summary>
        internal static async Task<IReadOnlyDictionary<string, ConfigBackupValue>> CurrentValuesAsync(CommerceInstance instance, ConfigBackup backup, CancellationToken cancellationToken) =>
            backup.Store == ConfigStore.Database
                ? await DatabaseValuesAsync(instance, backup.Values.Select(v => v.Path).ToArray(), cancellationToken).ConfigureAwait(false)
                : EnvPhpValues(instance, backup.Values.Select(v => v.Path));

        private static Dictionary<string, ConfigBackupValue> EnvPhpValues(CommerceInstance instance, IEnumerable<string> paths)
        {
            // env.php as it is now, not as it was at connect time.
            CommerceInstanceReader.Reload(instance);
            var values = new Dictionary<string, ConfigBackupValue>(StringComparer.Ordinal);
            foreach (string path in paths)
            {
                values[path] = ConfigBackupValue.InEnvPhp(instance.EnvPhp, path);
            }

            return values;
        }

        private static async Task<Dictionary<string, ConfigBackupValue>> DatabaseValuesAsync(CommerceInstance instance, string[] paths, CancellationToken cancellationToken)
        {
            Dictionary<string, string?> rows = await ConnectorConfigReader.ReadDatabaseAsync(instance, null, cancellationToken).ConfigureAwait(false);
            return paths.ToDictionary(
                p => p,
                p => rows.TryGetValue(p, out string? value) ? new ConfigBackupValue(p, true, value) : new ConfigBackupValue(p, false, null),
                StringComparer.Ordinal);
        }
    }
}
