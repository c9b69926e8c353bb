using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Instances;

namespace CommerceServices.Stores.Backups
{
    /// <summary>
    /// A backup of an instance as users see it (Get-CommerceServicesConfigBackup): when, which command and store
    /// wrote it, and for each setting it holds the value then and now, with secrets masked. Holds no secret:
    /// stored values stay in the backup file.
    /// </summary>
    public sealed class ConfigBackupInfo
    {
        private const string NotSet = "(not set)";

        private ConfigBackupInfo(CommerceInstance instance, ConfigBackup backup, IReadOnlyList<ConfigBackupSetting> settings)
        {
            Instance = instance;
            Path = backup.Path;
            Store = backup.Store;
            TakenAt = backup.TakenAt.UtcDateTime;
            Command = backup.Command;
            FormatVersion = backup.FormatVersion;
            Settings = settings.ToArray();
        }

        /// <summary>The instance the backup belongs to.</summary>
        public CommerceInstance Instance { get; }

        /// <summary>The backup file.</summary>
        public string Path { get; }

        /// <summary>The store whose write left it.</summary>
        public ConfigStore Store { get; }

        /// <summary>When the write began (UTC).</summary>
        public DateTime TakenAt { get; }

        /// <summary>The command that wrote it; null for backups older than format 2.</summary>
        public string? Command { get; }

        /// <summary>The backup format.</summary>
        public int FormatVersion { get; }

        /// <summary>
        /// The settings the backup's write changed (a database backup, or an env.php backup of format 2), or for an
        /// older env.php backup every connector setting it holds; then and now, masked.
        /// </summary>
        public ConfigBackupSetting[] Settings { get; }

        /// <summary>How many settings restoring the backup would change.</summary>
        public int Changes => Settings.Count(s => s.Differs);

        /// <summary>Describes <paramref name="backup"/> of <paramref name="instance"/> against what its store holds now.</summary>
        /// <exception cref="DatabaseUnavailableException">A database backup, and the database cannot be read.</exception>
        public static async Task<ConfigBackupInfo> DescribeAsync(CommerceInstance instance, ConfigBackup backup, CancellationToken cancellationToken) =>
            Describe(instance, backup, await ConfigRestorePlan.CurrentValuesAsync(instance, backup, cancellationToken).ConfigureAwait(false));

        /// <summary>Describes <paramref name="backup"/> against <paramref name="now"/>, what its store holds now.</summary>
        internal static ConfigBackupInfo Describe(CommerceInstance instance, ConfigBackup backup, IReadOnlyDictionary<string, ConfigBackupValue> now)
        {
            ConfigLayer layer = backup.Store == ConfigStore.Database ? ConfigLayer.Database : ConfigLayer.EnvPhp;
            string? Shown(ConfigBackupValue value) => value.WasSet ? ConnectorConfigReader.DisplayStored(instance, value.Path, layer, value.StoredValue) : NotSet;
            var settings = new List<ConfigBackupSetting>();
            foreach (ConfigBackupValue then in backup.Values)
            {
                ConfigBackupValue current = now[then.Path];
                bool differs = current.WasSet != then.WasSet || !string.Equals(current.StoredValue, then.StoredValue, StringComparison.Ordinal);
                bool changedByItsWrite = backup.ChangedPaths == null ? (then.WasSet || differs) : backup.ChangedPaths.Contains(then.Path, StringComparer.Ordinal);
                if (changedByItsWrite || differs)
                {
                    settings.Add(new ConfigBackupSetting(then.Path, Shown(then), Shown(current), differs));
                }
            }

            return new ConfigBackupInfo(instance, backup, settings);
        }

        /// <inheritdoc />
        public override string ToString() =>
            TakenAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture) + " " + Store + (Command == null ? string.Empty : " by " + Command) + ": " + Changes + " setting(s) differ from now";
    }
}
