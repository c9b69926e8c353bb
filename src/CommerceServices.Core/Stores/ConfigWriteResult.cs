namespace CommerceServices.Stores
{
    /// <summary>What a change did.</summary>
    public sealed class ConfigWriteResult
    {
        internal ConfigWriteResult(string backupPath, int changed, CacheCleanResult cache, bool configImportPending = false)
        {
            BackupPath = backupPath;
            Changed = changed;
            Cache = cache;
            ConfigImportPending = configImportPending;
        }

        /// <summary>
        /// For env.php changes: true when Magento's deployment-config hash could not be brought up to
        /// date from here and the import was deferred, so 'bin/magento app:config:import' must run on the instance.
        /// </summary>
        public bool ConfigImportPending { get; }

        /// <summary>The file that holds the previous values (encrypted ones still encrypted).</summary>
        public string BackupPath { get; }

        /// <summary>The number of paths written or deleted.</summary>
        public int Changed { get; }

        /// <summary>How the config cache was cleaned.</summary>
        public CacheCleanResult Cache { get; }
    }
}
