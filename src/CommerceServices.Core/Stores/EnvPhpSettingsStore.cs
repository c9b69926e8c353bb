using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Php;
using MySqlConnector;

namespace CommerceServices.Stores
{
    /// <summary>
    /// Writes connector settings as locked values into app/etc/env.php (system/default/...), as
    /// <c>bin/magento config:set --lock-env</c> does, without breaking a live instance: the file is
    /// rewritten in Magento's own format (keeping its section comments, <c>/** For the section: ... */</c>,
    /// and with them Magento's long layout, as Magento's writer does) through a temporary file and an atomic rename that keeps
    /// its mode and owner (when env.php is a symbolic link, as Deployer and Capistrano share it, the
    /// link's final target is replaced the same way, next to it, and the link stays; a dangling link is
    /// refused), the previous file is kept next to env.php (see <see cref="ConfigBackups"/>), and the
    /// deployment-config hash Magento checks on every request is brought up to date: by the
    /// instance's own <c>bin/magento app:config:import</c> when PHP can run it, else by updating
    /// flag <c>config_hash</c> exactly as Magento computes it; when neither is possible the change
    /// is refused unless the caller defers the import (<c>deferConfigImport</c>) and runs it on the instance itself.
    /// </summary>
    public sealed class EnvPhpSettingsStore : IConnectorSettingsStore
    {
        private EnvPhpSettingsStore()
        {
        }

        /// <summary>The store, as <see cref="SettingsStores.For"/> gives it.</summary>
        public static EnvPhpSettingsStore Store { get; } = new EnvPhpSettingsStore();

        /// <inheritdoc />
        public ConfigStore Kind => ConfigStore.EnvPhp;

        /// <inheritdoc />
        public Task<ConfigWriteResult> WriteAsync(CommerceInstance instance, IReadOnlyList<ConfigChange> changes, bool deferConfigImport, CancellationToken cancellationToken) =>
            WriteAsync(instance, changes, null, deferConfigImport, cancellationToken);

        /// <summary>Called after env.php was replaced and before the hash is updated; tests use it to fail half-way.</summary>
        internal static Func<Task>? BeforeHashForTests { get; set; }

        /// <summary>Applies changes to env.php; see the class summary.</summary>
        public static Task<ConfigWriteResult> WriteAsync(CommerceInstance instance, IReadOnlyList<ConfigChange> changes, System.Collections.IDictionary? environment, bool deferConfigImport, CancellationToken cancellationToken) =>
            RewriteAsync(
                instance,
                changes,
                (env, sectionComments, envFile) =>
                {
                    foreach (ConfigChange change in changes)
                    {
                        SetPath(env, "system/default/" + change.Path, change.Value);
                    }

                    // Magento's Writer::saveConfig hands the comments it finds in the file to its formatter.
                    // PhpBytes writes every byte that was read back as it was (a password p\xE9ss, a "\xFF" escape), not U+FFFD.
                    byte[] text = PhpBytes.Encode(MagentoPhpFormatter.Format(env, MagentoCommentParser.KeptOnRewrite(sectionComments)));
                    if (PhpVarExport.Export(PhpConfigReader.Read(PhpBytes.Decode(text), envFile)) != PhpVarExport.Export(env))
                    {
                        throw new InvalidDataException("The new app/etc/env.php would not read back as written; nothing was changed.");
                    }

                    return (env, text);
                },
                environment,
                deferConfigImport,
                cancellationToken);

        /// <summary>
        /// Puts <paramref name="content"/> (an earlier env.php of this instance, such as a backup) back as env.php, byte
        /// for byte, with the same guarantees as a write: atomic rename keeping mode and owner, a backup of what it
        /// replaces, the configuration hash brought up to date (or the file put back). <paramref name="changes"/> are the
        /// connector settings that differ, checked as a write's are (not hidden by an environment variable).
        /// </summary>
        internal static Task<ConfigWriteResult> ReplaceAsync(CommerceInstance instance, byte[] content, IReadOnlyList<ConfigChange> changes, bool deferConfigImport, CancellationToken cancellationToken) =>
            RewriteAsync(
                instance,
                changes,
                (env, sectionComments, envFile) => (PhpConfigReader.Read(PhpBytes.Decode(content), envFile), content),
                null,
                deferConfigImport,
                cancellationToken);

        private static async Task<ConfigWriteResult> RewriteAsync(CommerceInstance instance, IReadOnlyList<ConfigChange> changes, Func<PhpArray, PhpArray, string, (PhpArray Env, byte[] Text)> rewrite, System.Collections.IDictionary? environment, bool deferConfigImport, CancellationToken cancellationToken)
        {
            Rules.CloudConfigStore.EnsureEnvPhpWritable(instance);
            DateTimeOffset takenAt = DateTimeOffset.UtcNow;
            string envFile = InstanceFiles.EnvPhp(instance.Path);

            // The file the write replaces: env.php, or the final target of the symbolic link it is
            // (Deployer/Capistrano shared files), so the link stays a link.
            string target = EnvPhpTarget.Resolve(envFile, "app/etc/env.php of " + instance.Path);
            IReadOnlyList<byte[]> replacedByKilledWrites = ConfigBackups.SweepEnvPhpLeftovers(instance);

            IReadOnlyList<ConnectorSetting> current = await ConnectorConfigReader.ReadAsync(instance, environment, includeDatabase: false, cancellationToken).ConfigureAwait(false);
            foreach (ConfigChange change in changes)
            {
                ConnectorSetting? setting = current.FirstOrDefault(s => s.Path == change.Path);
                if (setting?.Layer == ConfigLayer.EnvironmentVariable)
                {
                    throw new ConfigValueShadowedException(change.Path, ConfigLayer.EnvironmentVariable, "'" + change.Path + "' of " + instance.Path + " is set by " + setting.DescribeEnvironmentVariables() + ", which wins over env.php. Nothing was changed.");
                }
            }

            string configFile = InstanceFiles.ConfigPhp(instance.Path);
            PhpArray env = PhpConfigReader.ReadFile(envFile, out PhpArray envSectionComments);
            PhpArray config = File.Exists(configFile) ? PhpConfigReader.ReadFile(configFile) : new PhpArray();
            if (instance.IsInstalled)
            {
                RefuseSystemSectionNotUtf8(instance, config, env, changes);
            }

            bool binMagento = instance.IsInstalled && BinMagento.CanRun(instance);
            MySqlConnection? connection = null;
            try
            {
                // An instance that is not installed yet has no hash to keep (setup:install imports the files).
                if (!binMagento && instance.IsInstalled)
                {
                    try
                    {
                        connection = await InstanceDatabase.OpenAsync(instance, cancellationToken).ConfigureAwait(false);
                        await FinishKilledWriteAsync(instance, connection, config, env, replacedByKilledWrites, cancellationToken).ConfigureAwait(false);
                        await EnsureInSyncAsync(instance, connection, PhpArray.ReplaceRecursive(config, env), cancellationToken).ConfigureAwait(false);
                    }
                    catch (DatabaseUnavailableException ex) when (!deferConfigImport)
                    {
                        throw new ConfigHashNotUpdatableException(
                            "Changing app/etc/env.php of " + instance.Path + " makes Magento refuse every request until the change is imported, and neither bin/magento (with PHP) nor the database is reachable from here to do that. "
                            + "Run the change where PHP can run bin/magento, or pass -DeferConfigImport and run 'bin/magento app:config:import' on the instance right after. Nothing was changed.",
                            ex);
                    }
                    catch (DatabaseUnavailableException)
                    {
                        connection = null;
                    }
                }

                byte[] text;
                (env, text) = rewrite(env, envSectionComments, envFile);

                byte[] previous = File.ReadAllBytes(target);
                PhpArray merged = PhpArray.ReplaceRecursive(config, env);
                string backupPath;
                using (PendingBackup backup = ConfigBackups.WritePending(BackupName(envFile), previous))
                {
                    try
                    {
                        ReplaceAtomically(target, text);
                    }
                    catch
                    {
                        // env.php keeps its previous content: no backup of a change that did not happen.
                        backup.Discard();
                        throw;
                    }

                    try
                    {
                        if (BeforeHashForTests != null)
                        {
                            await BeforeHashForTests().ConfigureAwait(false);
                        }

                        if (binMagento)
                        {
                            RunBinMagento(instance, "app:config:import", "--no-interaction");
                        }
                        else if (connection != null)
                        {
                            await StoreSystemHashAsync(instance, connection, merged, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (Exception ex)
                    {
                        // The instance must not stay with a changed env.php that Magento refuses: put the previous file back.
                        try
                        {
                            ReplaceAtomically(target, previous);
                        }
                        catch (Exception restore) when (restore is IOException || restore is UnauthorizedAccessException)
                        {
                            string kept = backup.Keep();
                            throw new IOException(
                                "app/etc/env.php of " + instance.Path + " was changed, but bringing Magento's configuration hash up to date failed (" + ex.Message + "), and putting the previous file back failed too (" + restore.Message + "). "
                                + "Copy '" + kept + "' over app/etc/env.php, or run 'bin/magento app:config:import' on the instance.",
                                ex);
                        }

                        backup.Discard();
                        throw;
                    }

                    backupPath = backup.Keep();
                }

                WriteSidecar(backupPath, changes, takenAt);
                ConfigBackups.PruneEnvPhp(instance, backupPath);
                instance.Refresh(merged, env, config);

                return new ConfigWriteResult(backupPath, changes.Count, ConfigCacheCleaner.Clean(instance), configImportPending: instance.IsInstalled && !binMagento && connection == null);
            }
            finally
            {
                connection?.Dispose();
            }
        }

        /// <summary>
        /// A write killed between replacing env.php and storing the new configuration hash leaves the
        /// two apart (Magento refuses every request). Its pending backup holds env.php as it was; when
        /// the saved hash is exactly that file's, the file changed by this module's write alone, and the
        /// write is finished: the hash of the files as they are is stored. Any other difference is not
        /// this module's to settle, and <see cref="EnsureInSyncAsync"/> refuses it as before.
        /// </summary>
        /// <remarks>This overload reads config.php and env.php as they are now (the database store's writer calls it).</remarks>
        internal static Task FinishKilledWriteAsync(CommerceInstance instance, MySqlConnection connection, IReadOnlyList<byte[]> replacedByKilledWrites, CancellationToken cancellationToken)
        {
            if (replacedByKilledWrites.Count == 0 || !instance.IsInstalled)
            {
                return Task.CompletedTask;
            }

            string configFile = InstanceFiles.ConfigPhp(instance.Path);
            PhpArray config = File.Exists(configFile) ? PhpConfigReader.ReadFile(configFile) : new PhpArray();
            return FinishKilledWriteAsync(instance, connection, config, PhpConfigReader.ReadFile(InstanceFiles.EnvPhp(instance.Path)), replacedByKilledWrites, cancellationToken);
        }

        /// <summary>Finishes a killed write, given config.php and env.php as read.</summary>
        private static async Task FinishKilledWriteAsync(CommerceInstance instance, MySqlConnection connection, PhpArray config, PhpArray env, IReadOnlyList<byte[]> replacedByKilledWrites, CancellationToken cancellationToken)
        {
            if (replacedByKilledWrites.Count == 0)
            {
                return;
            }

            Dictionary<string, string>? hashes = await ReadHashesAsync(instance, connection, cancellationToken).ConfigureAwait(false);
            string? saved = hashes != null && hashes.TryGetValue("system", out string? value) ? value : null;
            PhpArray current = PhpArray.ReplaceRecursive(config, env);
            if (saved == null || saved == PhpJson.Sha1OfJson(current["system"] ?? new PhpArray()))
            {
                return;
            }

            foreach (byte[] previous in replacedByKilledWrites)
            {
                PhpArray before;
                try
                {
                    before = PhpConfigReader.Read(PhpBytes.Decode(previous), "the backup of app/etc/env.php");
                }
                catch (PhpConfigParseException)
                {
                    continue;
                }

                if (PhpJson.FindMalformedUtf8(PhpArray.ReplaceRecursive(config, before)["system"]) != null)
                {
                    // Magento cannot hash it either: this backup's hash was never saved.
                    continue;
                }

                if (saved == PhpJson.Sha1OfJson(PhpArray.ReplaceRecursive(config, before)["system"] ?? new PhpArray()))
                {
                    await StoreSystemHashAsync(instance, connection, current, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
        }

        /// <summary>
        /// Refuses a write when the system section of config.php and env.php, as it is or as the changes would leave
        /// it, holds a string (key or value) whose bytes are not UTF-8: Magento hashes the section with json_encode,
        /// which fails on it (its Json serializer throws "Unable to serialize value. Error: Malformed UTF-8
        /// characters, possibly incorrectly encoded"), so there is no hash to store and app:config:import fails.
        /// The path is named; the value is not shown.
        /// </summary>
        private static void RefuseSystemSectionNotUtf8(CommerceInstance instance, PhpArray config, PhpArray env, IReadOnlyList<ConfigChange> changes)
        {
            PhpArray now = PhpArray.ReplaceRecursive(config, env);
            PhpArray after = PhpArray.ReplaceRecursive(config, env);
            foreach (ConfigChange change in changes)
            {
                SetPath(after, "system/default/" + change.Path, change.Value);
            }

            foreach (PhpArray merged in new[] { now, after })
            {
                string? path = PhpJson.FindMalformedUtf8(merged["system"]);
                if (path != null)
                {
                    throw new ConfigHashNotUpdatableException(
                        "The system section of app/etc/config.php and env.php of " + instance.Path + " holds bytes that are not UTF-8 at 'system/" + path + "'. "
                        + "Magento computes its configuration hash with json_encode, which fails on them (\"Unable to serialize value. Error: Malformed UTF-8 characters, possibly incorrectly encoded\"), "
                        + "so the change could not be imported and Magento would refuse requests. Write that value in UTF-8 first. Nothing was changed.");
                }
            }
        }

        /// <summary>
        /// Whether the system section of app/etc/config.php and env.php, as the instance read them, differs from what
        /// Magento last imported (flag config_hash), so that Magento refuses every request until
        /// 'bin/magento app:config:import'. False for an instance that is not installed (setup:install imports the files).
        /// </summary>
        /// <exception cref="DatabaseUnavailableException">The instance's database cannot be reached.</exception>
        public static async Task<bool> HasUnimportedChangesAsync(CommerceInstance instance, CancellationToken cancellationToken)
        {
            if (!instance.IsInstalled)
            {
                return false;
            }

            using (MySqlConnection connection = await InstanceDatabase.OpenAsync(instance, cancellationToken).ConfigureAwait(false))
            {
                return await HasUnimportedChangesAsync(instance, connection, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>As <see cref="HasUnimportedChangesAsync(CommerceInstance, CancellationToken)"/>, through a connection the caller holds.</summary>
        internal static async Task<bool> HasUnimportedChangesAsync(CommerceInstance instance, MySqlConnection connection, CancellationToken cancellationToken) =>
            instance.IsInstalled && HasChanges(instance.DeploymentConfig, await ReadHashesAsync(instance, connection, cancellationToken).ConfigureAwait(false));

        /// <summary>
        /// Magento's ChangeDetector::hasChanges for the system section: a missing section is never "changed"; an
        /// empty one without a saved hash is not either; otherwise its hash must be the saved one.
        /// </summary>
        private static bool HasChanges(PhpArray merged, Dictionary<string, string>? hashes)
        {
            object? system = merged["system"];
            if (system == null)
            {
                return false;
            }

            string? saved = hashes != null && hashes.TryGetValue("system", out string? value) ? value : null;
            bool empty = system is PhpArray a && a.Count == 0;
            string? now = empty && string.IsNullOrEmpty(saved) ? null : PhpJson.Sha1OfJson(system);
            return now != saved;
        }

        /// <summary>Refuses to mark as imported a system section that already had unimported changes.</summary>
        private static async Task EnsureInSyncAsync(CommerceInstance instance, MySqlConnection connection, PhpArray merged, CancellationToken cancellationToken)
        {
            if (HasChanges(merged, await ReadHashesAsync(instance, connection, cancellationToken).ConfigureAwait(false)))
            {
                throw new ConfigHashNotUpdatableException("The system section of app/etc/config.php and env.php of " + instance.Path + " already has changes that were not imported. Run 'bin/magento app:config:import' on the instance first, so those changes are imported and not hidden. Nothing was changed.");
            }
        }

        private static async Task<Dictionary<string, string>?> ReadHashesAsync(CommerceInstance instance, MySqlConnection connection, CancellationToken cancellationToken)
        {
            using (MySqlCommand command = connection.CreateCommand())
            {
                command.CommandText = "SELECT flag_data FROM " + InstanceDatabase.Table(instance, "flag") + " WHERE flag_code = 'config_hash'";
                object? data;
                try
                {
                    data = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (MySqlException ex)
                {
                    throw new DatabaseUnavailableException(instance.Path, "Cannot read " + InstanceDatabase.Table(instance, "flag") + " of " + instance.Path + ": " + ex.Message, ex);
                }

                if (!(data is string json) || json.Length == 0)
                {
                    return null;
                }

                var hashes = new Dictionary<string, string>();
                using (JsonDocument document = JsonDocument.Parse(json))
                {
                    foreach (JsonProperty property in document.RootElement.EnumerateObject())
                    {
                        hashes[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.ToString();
                    }
                }

                return hashes;
            }
        }

        /// <summary>Magento's Hash::regenerate for the system section: flag config_hash, flag_data = json_encode(section => sha1).</summary>
        private static async Task StoreSystemHashAsync(CommerceInstance instance, MySqlConnection connection, PhpArray merged, CancellationToken cancellationToken)
        {
            Dictionary<string, string> hashes = await ReadHashesAsync(instance, connection, cancellationToken).ConfigureAwait(false) ?? new Dictionary<string, string>();
            hashes["system"] = PhpJson.Sha1OfJson(merged["system"] ?? new PhpArray());
            var map = new PhpArray();
            foreach (var pair in hashes)
            {
                map.Set(pair.Key, pair.Value);
            }

            string table = InstanceDatabase.Table(instance, "flag");
            using (MySqlCommand update = connection.CreateCommand())
            {
                update.CommandText = "UPDATE " + table + " SET flag_data = @data WHERE flag_code = 'config_hash'";
                update.Parameters.AddWithValue("@data", PhpJson.Encode(map));
                if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    update.CommandText = "INSERT INTO " + table + " (flag_code, state, flag_data) VALUES ('config_hash', 0, @data)";
                    await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private static void SetPath(PhpArray root, string path, string? value)
        {
            string[] parts = path.Split('/');
            PhpArray current = root;
            for (int i = 0; i < parts.Length - 1; i++)
            {
                if (!(current[parts[i]] is PhpArray next))
                {
                    next = new PhpArray();
                    current.Set(parts[i], next);
                }

                current = next;
            }

            // Clearing writes null rather than removing the key: a null in env.php still locks the
            // path and replaces lower values (DeploymentConfig::get gives '' for it, and
            // array_replace_recursive keeps the null), so an old database or config.php
            // value cannot come back.
            current.Set(parts[parts.Length - 1], value);
        }

        /// <summary>
        /// Format 2 of an env.php backup: next to the copy of env.php, owner-only, which command wrote it and which
        /// connector settings the write changed. Best effort: the copy alone is a complete backup (format 1).
        /// </summary>
        private static void WriteSidecar(string backupPath, IReadOnlyList<ConfigChange> changes, DateTimeOffset takenAt)
        {
            try
            {
                using (var stream = new MemoryStream())
                {
                    using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                    {
                        writer.WriteStartObject();
                        writer.WriteNumber("formatVersion", Backups.ConfigBackupReader.CurrentFormatVersion);
                        writer.WriteString("command", Backups.ConfigWriteContext.Command);
                        writer.WriteString("store", "EnvPhp");
                        writer.WriteString("takenAt", takenAt.ToString("o", CultureInfo.InvariantCulture));
                        writer.WriteStartArray("paths");
                        foreach (ConfigChange change in changes)
                        {
                            writer.WriteStringValue(change.Path);
                        }

                        writer.WriteEndArray();
                        writer.WriteEndObject();
                    }

                    OwnerOnlyFile.Write(ConfigBackups.SidecarOf(backupPath), stream.ToArray());
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // The backup itself was kept; only who wrote it is not recorded.
            }
        }

        /// <summary>
        /// The name of the backup of the previous env.php: next to it (app/etc/env.php.commerceservices-&lt;time&gt;-&lt;id&gt;.bak,
        /// owner-only, also when env.php is a link), not in var/: it holds the database password and crypt key, like env.php itself.
        /// </summary>
        private static string BackupName(string envFile) =>
            envFile + ".commerceservices-" + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("n").Substring(0, 6) + ".bak";

        /// <summary>
        /// Writes a temporary file next to <paramref name="file"/> (a regular file: the final target
        /// of a link), owner-only and held locked while it exists (see <see cref="ConfigBackups"/>),
        /// gives it the file's mode and owner, then renames it over the file.
        /// </summary>
        private static void ReplaceAtomically(string file, byte[] content)
        {
            string temp = Path.Combine(Path.GetDirectoryName(file)!, "." + Path.GetFileName(file) + "." + Guid.NewGuid().ToString("n").Substring(0, 8) + ".tmp");
            FileStream held = OwnerOnlyFile.CreateHeld(temp, content);
            try
            {
                if (Environment.OSVersion.Platform == PlatformID.Unix)
                {
                    Run("chmod", "--reference=" + file, temp);
                    if (Run("stat", "-c", "%u:%g", file) != Run("stat", "-c", "%u:%g", temp))
                    {
                        Run("chown", "--reference=" + file, temp);
                    }
                }
                else
                {
                    // Windows cannot rename a file that is open.
                    held.Dispose();
                }

                File.Replace(temp, file, null);
            }
            catch
            {
                held.Dispose();
                File.Delete(temp);
                throw;
            }
            finally
            {
                held.Dispose();
            }
        }

        private static string Run(string command, params string[] args)
        {
            var start = new ProcessStartInfo(command, string.Join(" ", args.Select(a => "\"" + a.Replace("\"", "\\\"") + "\"")))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using (Process process = Process.Start(start)!)
            {
                var (output, error) = BinMagento.ReadAll(process);
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new IOException(command + " failed: " + error.Trim() + " The file keeps its previous content.");
                }

                return output.Trim();
            }
        }

        private static void RunBinMagento(CommerceInstance instance, params string[] arguments)
        {
            ProcessStartInfo start = BinMagento.StartInfo(instance, arguments);
            using (Process process = Process.Start(start)!)
            {
                var (output, error) = BinMagento.ReadAll(process);
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new ConfigHashNotUpdatableException("'bin/magento " + string.Join(" ", arguments) + "' failed on " + instance.Path + ": " + (output + error).Trim() + " app/etc/env.php was put back as it was, so the change was not made; fix what bin/magento reports and try again.");
                }
            }
        }
    }
}
