using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Php;

namespace CommerceServices.Stores.Backups
{
    /// <summary>
    /// Reads the backups the two stores leave (<see cref="ConfigBackups"/>), in every format they were written in.
    /// <list type="bullet">
    /// <item>Format 1, env.php store: app/etc/env.php.commerceservices-&lt;yyyyMMddTHHmmssZ&gt;-&lt;6 hex&gt;.bak, a copy of
    /// env.php as it was. Read with the PHP reader; the connector settings are its system/default values. It belongs to
    /// the instance whose crypt/key it holds.</item>
    /// <item>Format 1, database store: var/commerceservices/backups/&lt;yyyyMMddTHHmmssZ&gt;-&lt;6 hex&gt;-database.json, a JSON
    /// object with "instance" (the root), "store": "Database", "table" (prefixed core_config_data), "scope": "default",
    /// "takenAt" (ISO 8601), "values" (path to the value stored then) and "missing" (paths that had no row). It
    /// belongs to the instance of that root and table.</item>
    /// <item>Format 2 adds who wrote a backup: the database JSON gains "formatVersion": 2 and "command"; an env.php
    /// backup gets a sidecar file, its name + ".json", with "formatVersion", "command", "store": "EnvPhp", "takenAt"
    /// (to the fraction of a second; the name has whole seconds) and "paths" (the settings the write changed). A backup without them is read as format 1.</item>
    /// </list>
    /// A backup that does not read as one of these, or that belongs to another instance, is refused with
    /// <see cref="ConfigBackupUnreadableException"/>; nothing is guessed from it.
    /// </summary>
    public static class ConfigBackupReader
    {
        /// <summary>The newest format this reader knows.</summary>
        public const int CurrentFormatVersion = 2;

        /// <summary>The backup files of <paramref name="instance"/> (both stores; not those of a write still pending), newest first.</summary>
        public static IReadOnlyList<string> Files(CommerceInstance instance) =>
            Named(ConfigBackups.EnvPhpFolder(instance), ConfigBackups.EnvPhpBackupName)
                .Concat(Named(ConfigBackups.DatabaseFolder(instance), ConfigBackups.DatabaseBackupName))
                .OrderByDescending(b => b.Stamp, StringComparer.Ordinal)
                .ThenByDescending(b => File.GetLastWriteTimeUtc(b.Path))
                .Select(b => b.Path)
                .ToArray();

        /// <summary>
        /// The settings <paramref name="instance"/> had at <paramref name="moment"/>, from the backups its changes left since:
        /// each setting as the oldest backup taken at or after that moment holds it (its value just before the first
        /// change after the moment). An env.php backup is a whole copy of env.php, so the oldest one alone is that state;
        /// database backups hold the paths their writes changed, so they are merged. Null when nothing was changed since.
        /// </summary>
        /// <exception cref="ConfigBackupUnreadableException">A backup taken since cannot be trusted: no state is guessed without it.</exception>
        public static ConfigBackup? StateAt(CommerceInstance instance, DateTimeOffset moment)
        {
            ConfigBackup[] since = Files(instance)
                .Select(file => Read(instance, file))
                .Where(b => b.Store == instance.ConfigStore && b.TakenAt >= moment)
                .OrderBy(b => b.TakenAt)
                .ToArray();
            if (since.Length == 0)
            {
                return null;
            }

            ConfigBackup oldest = since[0];
            if (oldest.Store == ConfigStore.EnvPhp)
            {
                return oldest;
            }

            var values = new Dictionary<string, ConfigBackupValue>(StringComparer.Ordinal);
            foreach (ConfigBackup backup in since)
            {
                foreach (ConfigBackupValue value in backup.Values.Where(v => !values.ContainsKey(v.Path)))
                {
                    values[value.Path] = value;
                }
            }

            return new ConfigBackup(oldest.Path, oldest.Store, oldest.TakenAt, oldest.FormatVersion, oldest.Command, values.Values.ToArray(), values.Keys.ToArray());
        }

        /// <summary>Reads one backup of <paramref name="instance"/>.</summary>
        /// <exception cref="ConfigBackupUnreadableException">Not a backup of this module, truncated or edited, or of another instance.</exception>
        public static ConfigBackup Read(CommerceInstance instance, string path)
        {
            string name = Path.GetFileName(path);
            byte[] content;
            try
            {
                content = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ConfigBackupUnreadableException(path, "The backup '" + path + "' cannot be read: " + ex.Message, ex);
            }

            Match envPhp = ConfigBackups.EnvPhpBackupName.Match(name);
            if (envPhp.Success)
            {
                return ReadEnvPhp(instance, path, Stamp(envPhp), content);
            }

            Match database = ConfigBackups.DatabaseBackupName.Match(name);
            if (database.Success)
            {
                return ReadDatabase(instance, path, Stamp(database), content);
            }

            throw new ConfigBackupUnreadableException(path, "'" + path + "' is not named as a backup of this module (app/etc/env.php.commerceservices-<time>-<id>.bak, or var/commerceservices/backups/<time>-<id>-database.json).");
        }

        private static ConfigBackup ReadEnvPhp(CommerceInstance instance, string path, DateTimeOffset stamp, byte[] content)
        {
            PhpArray env;
            try
            {
                env = PhpConfigReader.Read(PhpBytes.Decode(content), path);
            }
            catch (PhpConfigParseException ex)
            {
                throw new ConfigBackupUnreadableException(path, "The env.php backup '" + path + "' is not a complete env.php (truncated or edited): " + ex.Message, ex);
            }

            string? cryptKey = env.GetPath("crypt/key") as string;
            string? current = instance.DeploymentConfig.GetPath("crypt/key") as string;
            if (string.IsNullOrEmpty(cryptKey) || !string.Equals(cryptKey, current, StringComparison.Ordinal))
            {
                throw new ConfigBackupUnreadableException(path, "The env.php backup '" + path + "' holds another crypt/key than " + instance.Path + " has now: it is not a backup of this instance as it is (copied from another instance, or taken before the crypt key was changed), and its encrypted values would not open here.");
            }

            var values = ConnectorPaths.All.Select(connectorPath => ConfigBackupValue.InEnvPhp(env, connectorPath.Path)).ToList();

            int version = 1;
            string? command = null;
            IReadOnlyList<string>? changed = null;
            string sidecar = ConfigBackups.SidecarOf(path);
            if (File.Exists(sidecar))
            {
                try
                {
                    using (JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(sidecar)))
                    {
                        JsonElement root = document.RootElement;
                        version = root.GetProperty("formatVersion").GetInt32();
                        command = root.TryGetProperty("command", out JsonElement c) ? c.GetString() : null;
                        changed = root.GetProperty("paths").EnumerateArray().Select(p => p.GetString()!).ToArray();
                        if (root.TryGetProperty("takenAt", out JsonElement t) && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset precise))
                        {
                            stamp = precise;
                        }
                    }
                }
                catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException || ex is FormatException || ex is IOException)
                {
                    throw new ConfigBackupUnreadableException(path, "The description of the env.php backup '" + path + "' (" + sidecar + ") is not complete (truncated or edited): " + ex.Message, ex);
                }

                if (version > CurrentFormatVersion)
                {
                    throw new ConfigBackupUnreadableException(path, "The backup '" + path + "' is in format " + version + ", newer than this version of the module reads (" + CurrentFormatVersion + "). Update the module.");
                }
            }

            return new ConfigBackup(path, ConfigStore.EnvPhp, stamp, version, command, values, changed);
        }

        private static ConfigBackup ReadDatabase(CommerceInstance instance, string path, DateTimeOffset stamp, byte[] content)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(content))
                {
                    JsonElement root = document.RootElement;
                    int version = root.TryGetProperty("formatVersion", out JsonElement v) ? v.GetInt32() : 1;
                    if (version > CurrentFormatVersion)
                    {
                        throw new ConfigBackupUnreadableException(path, "The backup '" + path + "' is in format " + version + ", newer than this version of the module reads (" + CurrentFormatVersion + "). Update the module.");
                    }

                    string? backedUp = root.GetProperty("instance").GetString();
                    string? table = root.GetProperty("table").GetString();
                    string ownTable = InstanceDatabase.Table(instance, "core_config_data").Trim('`');
                    if (!string.Equals(backedUp, instance.Path, StringComparison.Ordinal) || !string.Equals(table, ownTable, StringComparison.Ordinal))
                    {
                        throw new ConfigBackupUnreadableException(path, "The backup '" + path + "' was taken of " + backedUp + " (table " + table + "), not of " + instance.Path + " (table " + ownTable + ").");
                    }

                    if (root.GetProperty("store").GetString() != "Database" || root.GetProperty("scope").GetString() != "default")
                    {
                        throw new ConfigBackupUnreadableException(path, "The backup '" + path + "' is not a default-scope backup of the database store.");
                    }

                    var values = new List<ConfigBackupValue>();
                    foreach (JsonProperty value in root.GetProperty("values").EnumerateObject())
                    {
                        values.Add(new ConfigBackupValue(value.Name, true, value.Value.ValueKind == JsonValueKind.Null ? null : value.Value.GetString()));
                    }

                    foreach (JsonElement missing in root.GetProperty("missing").EnumerateArray())
                    {
                        values.Add(new ConfigBackupValue(missing.GetString()!, false, null));
                    }

                    if (values.Count == 0 || values.Any(b => ConnectorPaths.Find(b.Path) == null))
                    {
                        throw new ConfigBackupUnreadableException(path, "The backup '" + path + "' names no connector setting, or a path that is not one.");
                    }

                    DateTimeOffset takenAt = root.TryGetProperty("takenAt", out JsonElement t) && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed) ? parsed : stamp;
                    string? command = root.TryGetProperty("command", out JsonElement c) ? c.GetString() : null;
                    return new ConfigBackup(path, ConfigStore.Database, takenAt, version, command, values, values.Select(b => b.Path).ToArray());
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException || ex is FormatException)
            {
                throw new ConfigBackupUnreadableException(path, "The database backup '" + path + "' is not a complete backup of this module (truncated or edited): " + ex.Message, ex);
            }
        }

        private static IEnumerable<(string Path, string Stamp)> Named(string folder, Regex name) =>
            Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder).Select(p => (Path: p, Match: name.Match(Path.GetFileName(p)))).Where(b => b.Match.Success).Select(b => (b.Path, b.Match.Groups["stamp"].Value))
                : Enumerable.Empty<(string, string)>();

        private static DateTimeOffset Stamp(Match match) =>
            DateTimeOffset.ParseExact(match.Groups["stamp"].Value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }
}
