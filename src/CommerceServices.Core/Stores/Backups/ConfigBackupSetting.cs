namespace CommerceServices.Stores.Backups
{
    /// <summary>One setting of a backup as Get-CommerceServicesConfigBackup shows it: then and now, secrets masked.</summary>
    public sealed class ConfigBackupSetting
    {
        internal ConfigBackupSetting(string path, string? then, string? now, bool differs)
        {
            Path = path;
            Then = then;
            Now = now;
            Differs = differs;
        }

        /// <summary>The configuration path.</summary>
        public string Path { get; }

        /// <summary>The value in the backup, as shown (an API key masked, a private key by its fingerprint); "(not set)" when the store did not hold it.</summary>
        public string? Then { get; }

        /// <summary>The value the store holds now, shown the same way.</summary>
        public string? Now { get; }

        /// <summary>Whether restoring the backup changes this setting.</summary>
        public bool Differs { get; }

        /// <inheritdoc />
        public override string ToString() => Path + ": " + (Now ?? "(null)") + (Differs ? " -> " + (Then ?? "(null)") : " (unchanged)");
    }
}
