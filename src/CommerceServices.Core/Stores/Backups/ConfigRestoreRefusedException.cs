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

        /// <summary>The backup file.</summary>
        public string Path { get; }
    }
}
