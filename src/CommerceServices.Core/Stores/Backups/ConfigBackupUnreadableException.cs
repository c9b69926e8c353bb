using System;

namespace CommerceServices.Stores.Backups
{
    /// <summary>A backup file that cannot be trusted: truncated, edited into something else, or of another instance.</summary>
    public sealed class ConfigBackupUnreadableException : Exception
    {
        public ConfigBackupUnreadableException(string path, string message, Exception? inner = null)
            : base(message, inner)
        {
            Path = path;
        }

        /// <summary>The backup file.</summary>
        public string Path { get; }
    }
}
