namespace CommerceServices.Stores.Backups
{
    /// <summary>One connector setting in a backup: its value as stored then, or that it was not set.</summary>
    public sealed class ConfigBackupValue
    {
        internal ConfigBackupValue(string path, bool wasSet, string? storedValue)
        {
            Path = path;
            WasSet = wasSet;
            StoredValue = storedValue;
        }

        /// <summary>The value env.php (<paramref name="env"/>) holds for <paramref name="path"/>: under system/default, as Magento reads it.</summary>
        internal static ConfigBackupValue InEnvPhp(Php.PhpArray env, string path)
        {
            object? value = env.GetPath("system/default/" + path, out bool found);
            return new ConfigBackupValue(path, found, found && value != null ? InstanceDatabase.Text(value) : null);
        }

        /// <summary>The configuration path, such as services_connector/services_id/environment_id.</summary>
        public string Path { get; }

        /// <summary>Whether the store held the path (a database row, or a value under system/default in env.php).</summary>
        public bool WasSet { get; }

        /// <summary>The value as stored (encrypted for secrets); null when not set, or set to null.</summary>
        public string? StoredValue { get; }
    }
}
