using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CommerceServices.Instances;

namespace CommerceServices.Stores
{
    /// <summary>
    /// The backups and temporary files the writers leave in an instance, in one place: where they
    /// are, how many backups are kept, and how the leftovers of a failed or killed write are cleared.
    /// <list type="bullet">
    /// <item>env.php backups: app/etc/env.php.commerceservices-&lt;yyyyMMddTHHmmssZ&gt;-&lt;6 hex&gt;.bak (a copy of
    /// the previous file, next to env.php, owner-only). Database-store backups:
    /// var/commerceservices/backups/&lt;yyyyMMddTHHmmssZ&gt;-&lt;6 hex&gt;-database.json (the previous values). The
    /// formats are unchanged; a restore reads them as they are.</item>
    /// <item>A backup is first written under its final name + <see cref="PendingSuffix"/>, held with an
    /// exclusive lock while the write runs, and renamed to its final name once the write has changed
    /// something. A write that fails with nothing changed deletes it, so no backup claims a change
    /// that did not happen. A write that was killed leaves it pending and unlocked (the kernel drops
    /// the lock of a dead process); the next write settles it: kept (renamed) when the change went
    /// through, deleted when the file or rows still hold what it holds.</item>
    /// <item>Retention: after each successful write, the backups of that kind beyond the newest
    /// <see cref="KeptPerInstance"/> of the instance are deleted; the newest is never deleted.</item>
    /// <item>Temporary files: the env.php writer writes app/etc/.env.php.&lt;8 hex&gt;.tmp (or, for a symbolic link,
    /// .&lt;target name&gt;.&lt;8 hex&gt;.tmp next to the link's target), holding an exclusive lock on it until it is
    /// renamed over the file. One of this pattern that nobody holds was left by a writer that is gone
    /// (killed, or of an older version) and is deleted at the start of the next write. Whether the
    /// writer is gone is decided by the lock rather than by an age or a process id: a lock is released
    /// by the kernel when its process dies, even on kill -9, it needs no clock, and it also works when
    /// app/etc is shared between hosts (Deployer/Capistrano shared folders), where a process id means
    /// nothing.</item>
    /// </list>
    /// </summary>
    internal static class ConfigBackups
    {
        /// <summary>
        /// How many backups of each kind (env.php copies; Database-store value files) are kept per
        /// instance; older ones are deleted after each successful write. The newest is never deleted.
        /// </summary>
        public const int KeptPerInstance = 50;

        /// <summary>The file next to an env.php backup that says which command wrote it and what it changed (format 2).</summary>
        public static string SidecarOf(string backup) => backup + ".json";

        /// <summary>Added to a backup's name while the write it belongs to has not changed anything yet.</summary>
        public const string PendingSuffix = ".pending";

        internal static readonly Regex EnvPhpBackupName = new Regex(@"^env\.php\.commerceservices-(?<stamp>\d{8}T\d{6}Z)-[0-9a-f]{6}\.bak$", RegexOptions.CultureInvariant);
        internal static readonly Regex DatabaseBackupName = new Regex(@"^(?<stamp>\d{8}T\d{6}Z)-[0-9a-f]{6}-database\.json$", RegexOptions.CultureInvariant);

        private static bool IsUnix => Environment.OSVersion.Platform == PlatformID.Unix || Environment.OSVersion.Platform == PlatformID.MacOSX;

        /// <summary>The folder of the env.php backups: app/etc, next to env.php (they hold its secrets).</summary>
        public static string EnvPhpFolder(CommerceInstance instance) => InstanceFiles.Etc(instance.Path);

        /// <summary>The folder of the Database-store backups.</summary>
        public static string DatabaseFolder(CommerceInstance instance) => InstanceFiles.DatabaseBackups(instance.Path);

        /// <summary>Writes a backup under its pending name, owner-only, and holds it until <see cref="PendingBackup.Keep"/> or <see cref="PendingBackup.Discard"/>.</summary>
        public static PendingBackup WritePending(string finalPath, byte[] content) =>
            new PendingBackup(finalPath, OwnerOnlyFile.CreateHeld(finalPath + PendingSuffix, content));

        /// <summary>Deletes the env.php backups of the instance beyond the newest <see cref="KeptPerInstance"/>, never <paramref name="newest"/>.</summary>
        public static void PruneEnvPhp(CommerceInstance instance, string newest) => Prune(EnvPhpFolder(instance), EnvPhpBackupName, newest);

        /// <summary>Deletes the Database-store backups of the instance beyond the newest <see cref="KeptPerInstance"/>, never <paramref name="newest"/>.</summary>
        public static void PruneDatabase(CommerceInstance instance, string newest) => Prune(DatabaseFolder(instance), DatabaseBackupName, newest);

        /// <summary>
        /// Clears what killed env.php writes left: unheld temporary files of the writer (in app/etc
        /// and next to the final target of a linked env.php), and pending env.php backups, kept when
        /// env.php no longer holds what they hold, deleted when it still does (nothing was changed).
        /// Returns the contents of the backups kept: env.php as it was before a killed write that
        /// replaced it, whose configuration hash may not have followed (the writer finishes that).
        /// </summary>
        public static IReadOnlyList<byte[]> SweepEnvPhpLeftovers(CommerceInstance instance)
        {
            var replaced = new List<byte[]>();
            string etc = EnvPhpFolder(instance);
            string envFile = InstanceFiles.EnvPhp(instance.Path);
            string? target = EnvPhpTarget.TryResolve(envFile);
            DeleteUnheldTemps(etc, "env.php");
            if (target != null && !string.Equals(Path.GetDirectoryName(target), etc, StringComparison.Ordinal))
            {
                DeleteUnheldTemps(Path.GetDirectoryName(target)!, Path.GetFileName(target));
            }

            if (!Directory.Exists(etc))
            {
                return replaced;
            }

            byte[]? current = null;
            foreach (string pending in Directory.EnumerateFiles(etc, "env.php.commerceservices-*.bak" + PendingSuffix).ToArray())
            {
                if (!EnvPhpBackupName.IsMatch(Path.GetFileName(pending).Substring(0, Path.GetFileName(pending).Length - PendingSuffix.Length)))
                {
                    continue;
                }

                Settle(pending, content =>
                {
                    current ??= target != null && File.Exists(target) ? File.ReadAllBytes(target) : null;
                    bool unchanged = current != null && BytesEqual(content, current);
                    if (!unchanged)
                    {
                        replaced.Add(content);
                    }

                    return unchanged;
                });
            }

            return replaced;
        }

        /// <summary>The pending Database-store backups nobody holds, for the writer to settle against the database.</summary>
        public static IEnumerable<string> UnheldPendingDatabaseBackups(CommerceInstance instance)
        {
            string folder = DatabaseFolder(instance);
            if (!Directory.Exists(folder))
            {
                return Array.Empty<string>();
            }

            return Directory.EnumerateFiles(folder, "*-database.json" + PendingSuffix)
                .Where(p => DatabaseBackupName.IsMatch(Path.GetFileName(p).Substring(0, Path.GetFileName(p).Length - PendingSuffix.Length)))
                .ToArray();
        }

        /// <summary>
        /// Settles one pending backup left by a killed write: <paramref name="unchanged"/> tells from
        /// its content whether the store still holds what it holds (the write never happened), then it
        /// is deleted, else it is renamed to its final name. Skipped while a live writer holds it.
        /// </summary>
        public static void Settle(string pending, Func<byte[], bool> unchanged)
        {
            try
            {
                bool delete;
                using (var stream = new FileStream(pending, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    var content = new byte[stream.Length];
                    int read = 0;
                    while (read < content.Length)
                    {
                        int n = stream.Read(content, read, content.Length - read);
                        if (n == 0)
                        {
                            break;
                        }

                        read += n;
                    }

                    delete = unchanged(content);
                    if (delete)
                    {
                        File.Delete(pending);
                    }
                    else if (IsUnix)
                    {
                        // Renamed while still held, so no other write settles it meanwhile.
                        File.Move(pending, pending.Substring(0, pending.Length - PendingSuffix.Length));
                    }
                }

                if (!delete && !IsUnix)
                {
                    File.Move(pending, pending.Substring(0, pending.Length - PendingSuffix.Length));
                }
            }
            catch (IOException)
            {
                // Held by a live writer, or gone meanwhile: that writer settles it.
            }
            catch (UnauthorizedAccessException)
            {
                // Another account's file: left as it is.
            }
        }

        private static bool BytesEqual(byte[] a, byte[] b) => a.Length == b.Length && a.SequenceEqual(b);

        /// <summary>Deletes .&lt;name&gt;.&lt;8 hex&gt;.tmp files of the env.php writer in <paramref name="folder"/> that no live writer holds.</summary>
        internal static void DeleteUnheldTemps(string folder, string name)
        {
            if (!Directory.Exists(folder))
            {
                return;
            }

            var pattern = new Regex("^" + Regex.Escape("." + name + ".") + "[0-9a-f]{8}\\.tmp$", RegexOptions.CultureInvariant);
            foreach (string temp in Directory.EnumerateFiles(folder, "." + name + ".*.tmp").Where(t => pattern.IsMatch(Path.GetFileName(t))).ToArray())
            {
                try
                {
                    // Only when no writer holds it: a live writer keeps its exclusive lock until the rename.
                    using (new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose))
                    {
                    }
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        private static void Prune(string folder, Regex name, string newest)
        {
            if (!Directory.Exists(folder))
            {
                return;
            }

            string[] old = Directory.EnumerateFiles(folder)
                .Select(p => (Path: p, Match: name.Match(Path.GetFileName(p))))
                .Where(b => b.Match.Success)
                .OrderByDescending(b => b.Match.Groups["stamp"].Value, StringComparer.Ordinal)
                .ThenByDescending(b => File.GetLastWriteTimeUtc(b.Path))
                .Select(b => b.Path)
                .Where(p => !string.Equals(p, newest, StringComparison.Ordinal))
                .Skip(Backups.ConfigWriteContext.Retention - 1)
                .ToArray();
            foreach (string backup in old)
            {
                try
                {
                    File.Delete(backup);
                    File.Delete(SidecarOf(backup));
                }
                catch (IOException)
                {
                    // Retention is best effort: the write itself succeeded.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }
}
