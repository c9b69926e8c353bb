using System;
using System.Collections.Generic;
using CommerceServices.Instances;

namespace CommerceServices.Stores.Backups
{
    /// <summary>
    /// One backup a write left in an instance: the connector settings as they were stored before that write.
    /// Values are as stored (secrets stay encrypted with the instance's crypt key).
    /// </summary>
    public sealed class ConfigBackup
    {
        internal ConfigBackup(string path, ConfigStore store, DateTimeOffset takenAt, int formatVersion, string? command, IReadOnlyList<ConfigBackupValue> values, IReadOnlyList<string>? changedPaths)
        {
            ChangedPaths = changedPaths;
            Path = path;
            Store = store;
            TakenAt = takenAt;
            FormatVersion = formatVersion;
            Command = command;
            Values = values;
        }

        /// <summary>The backup file.</summary>
        public string Path { get; }

        /// <summary>The store whose write left it.</summary>
        public ConfigStore Store { get; }

        /// <summary>When the write began (UTC).</summary>
        public DateTimeOffset TakenAt { get; }

        /// <summary>The settings the write that left this backup changed; null when a format 1 env.php backup does not say.</summary>
        public IReadOnlyList<string>? ChangedPaths { get; }

        /// <summary>The version of the backup format (<see cref="ConfigBackupReader"/>).</summary>
        public int FormatVersion { get; }

        /// <summary>The command that wrote it, when the backup says (format 2; format 1 does not).</summary>
        public string? Command { get; }

        /// <summary>
        /// The settings it holds. A database backup holds exactly the paths its write changed; an env.php backup is a
        /// copy of the whole file, so it holds every connector path and whether env.php set it then.
        /// </summary>
        public IReadOnlyList<ConfigBackupValue> Values { get; }
    }
}
