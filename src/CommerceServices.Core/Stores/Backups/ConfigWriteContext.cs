using System;
using System.Threading;

namespace CommerceServices.Stores.Backups
{
    /// <summary>
    /// What the caller of a write tells its backup without passing it through every store method: the command that
    /// writes (recorded in the backup) and how many backups of each kind to keep (a module preference). Flows with
    /// the asynchronous call like any AsyncLocal; outside a context, the command is unknown and
    /// <see cref="ConfigBackups.KeptPerInstance"/> backups are kept.
    /// </summary>
    public static class ConfigWriteContext
    {
        private static readonly AsyncLocal<string?> CommandValue = new AsyncLocal<string?>();
        private static readonly AsyncLocal<int?> RetentionValue = new AsyncLocal<int?>();

        /// <summary>The command that writes, such as Set-CommerceDataSpace.</summary>
        public static string? Command => CommandValue.Value;

        /// <summary>How many backups of each kind to keep per instance (at least 1: the newest is never deleted).</summary>
        public static int Retention => Math.Max(1, RetentionValue.Value ?? ConfigBackups.KeptPerInstance);

        /// <summary>Sets both for the writes started until the returned object is disposed.</summary>
        public static IDisposable Begin(string? command, int? retention)
        {
            string? previousCommand = CommandValue.Value;
            int? previousRetention = RetentionValue.Value;
            CommandValue.Value = command;
            RetentionValue.Value = retention;
            return new Restore(() =>
            {
                CommandValue.Value = previousCommand;
                RetentionValue.Value = previousRetention;
            });
        }

        private sealed class Restore : IDisposable
        {
            private Action? undo;

            public Restore(Action undo) => this.undo = undo;

            public void Dispose()
            {
                undo?.Invoke();
                undo = null;
            }
        }
    }
}
