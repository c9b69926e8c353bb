using System;

namespace CommerceServices.Stores.Backups
{
    /// <summary>A restore that would change nothing, or more than the connector settings; the instance is left as it is.</summary>
    public sealed class ConfigRestoreRefusedException : InvalidOperationException
    {
        public ConfigRestoreRefusedException(string errorId, string path, string message)
            : base(message)
        {
            ErrorId = errorId;
            Path = path;
        }

        /// <summary>NothingToRestore, or EnvPhpChangedSinceBackup.</summary>
        public string ErrorId { get; }

        /// <summary>The refusal of a backup that holds what <paramref name="instance"/> already holds.</summary>
        public static ConfigRestoreRefusedException NothingToRestore(Instances.CommerceInstance instance, ConfigBackup backup) =>
            new ConfigRestoreRefusedException("NothingToRestore", backup.Path, instance.Path + " already holds every value of the backup '" + backup.Path + "' (taken " + backup.TakenAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture) + "): there is nothing to restore. Get-CommerceServicesConfigBackup lists the older backups.");

        /// <summary>The backup file.</summary>
        public string Path { get; }
    }
}
