using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Instances;
using MySqlConnector;

namespace CommerceServices.Stores
{
    /// <summary>
    /// Writes connector settings into core_config_data as Magento's own writer does: default scope,
    /// every change in one transaction, the queue poison pill bumped, then the config cache cleaned.
    /// Before anything is written it refuses a path that a higher layer (config.php, env.php, an
    /// environment variable) would hide, and saves the previous values to a backup file in the
    /// instance's var/commerceservices/backups folder (readable by its owner only), which is kept only
    /// when the change was committed (see <see cref="ConfigBackups"/>: a backup left pending by a killed
    /// write is settled against the database at the start of the next one; retention).
    /// </summary>
    public sealed class DatabaseSettingsStore : IConnectorSettingsStore
    {
        private DatabaseSettingsStore()
        {
        }

        /// <summary>The store, as <see cref="SettingsStores.For"/> gives it.</summary>
        public static DatabaseSettingsStore Store { get; } = new DatabaseSettingsStore();

        /// <inheritdoc />
        public ConfigStore Kind => ConfigStore.Database;

        /// <inheritdoc />
        /// <exception cref="DatabaseUnavailableException">The instance is not installed yet (its core_config_data would be ignored).</exception>
        public Task<ConfigWriteResult> WriteAsync(CommerceInstance instance, IReadOnlyList<ConfigChange> changes, bool deferConfigImport, CancellationToken cancellationToken)
        {
            if (!instance.IsInstalled)
            {
                // Even when env.php names a database (a setup:install that did not finish), Magento reads none before install/date.
                throw new DatabaseUnavailableException(instance.Path, "Magento is not installed in " + instance.Path + " yet (app/etc/env.php has no install/date), so it would not read core_config_data. Connect with -ConfigStore EnvPhp to write the settings into env.php. Nothing was changed.", null);
            }

            return WriteAsync(instance, changes, null, cancellationToken);
        }

        /// <summary>Called inside the transaction, just before commit; tests use it to fail a change half-way.</summary>
        internal static Func<Task>? BeforeCommitForTests { get; set; }

        /// <summary>Applies changes in one transaction; see the class summary.</summary>
        /// <param name="environment">Environment variables to check for CONFIG__ overrides (this process's when null).</param>
        public static async Task<ConfigWriteResult> WriteAsync(CommerceInstance instance, IReadOnlyList<ConfigChange> changes, System.Collections.IDictionary? environment, CancellationToken cancellationToken)
        {
            // The files as they are now, not as they were at connect time: a value locked since then must be seen.
            CommerceInstanceReader.Reload(instance);
            IReadOnlyList<ConnectorSetting> current = await ConnectorConfigReader.ReadAsync(instance, environment, includeDatabase: false, cancellationToken).ConfigureAwait(false);
            foreach (ConfigChange change in changes)
            {
                ConnectorSetting? setting = current.FirstOrDefault(s => s.Path == change.Path);
                if (setting?.Layer is ConfigLayer layer && layer > ConfigLayer.Database)
                {
                    throw new ConfigValueShadowedException(change.Path, layer, Shadowed(instance, setting, layer));
                }
            }

            IReadOnlyList<byte[]> replacedByKilledWrites = ConfigBackups.SweepEnvPhpLeftovers(instance);
            string table = InstanceDatabase.Table(instance, "core_config_data");
            string backupPath;
            using (MySqlConnection connection = await InstanceDatabase.OpenAsync(instance, cancellationToken).ConfigureAwait(false))
            {
                await EnvPhpSettingsStore.FinishKilledWriteAsync(instance, connection, replacedByKilledWrites, cancellationToken).ConfigureAwait(false);
                await SettlePendingBackupsAsync(instance, connection, table, cancellationToken).ConfigureAwait(false);
                using (MySqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
                {
                    Dictionary<string, string?> previous = await ReadForUpdateAsync(connection, transaction, table, changes.Select(c => c.Path).ToArray(), cancellationToken).ConfigureAwait(false);
                    using (PendingBackup backup = WriteBackup(instance, table, previous, changes))
                    {
                        try
                        {
                            foreach (ConfigChange change in changes)
                            {
                                using (MySqlCommand command = connection.CreateCommand())
                                {
                                    command.Transaction = transaction;
                                    command.Parameters.AddWithValue("@path", change.Path);
                                    if (change.Value == null)
                                    {
                                        command.CommandText = "DELETE FROM " + table + " WHERE scope = 'default' AND scope_id = 0 AND path = @path";
                                    }
                                    else
                                    {
                                        command.CommandText = "INSERT INTO " + table + " (scope, scope_id, path, value) VALUES ('default', 0, @path, @value) ON DUPLICATE KEY UPDATE value = VALUES(value)";
                                        command.Parameters.AddWithValue("@value", change.Value);
                                    }

                                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                                }
                            }

                            await PutPoisonPillAsync(instance, connection, transaction, cancellationToken).ConfigureAwait(false);
                            if (BeforeCommitForTests != null)
                            {
                                await BeforeCommitForTests().ConfigureAwait(false);
                            }
                        }
                        catch
                        {
                            // Nothing was committed: no backup of a change that did not happen.
                            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                            backup.Discard();
                            throw;
                        }

                        // Should the commit fail, whether it happened is unknown here: the backup stays
                        // pending and the next write settles it against the database.
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        backupPath = backup.Keep();
                    }
                }
            }

            ConfigBackups.PruneDatabase(instance, backupPath);
            return new ConfigWriteResult(backupPath, changes.Count, ConfigCacheCleaner.Clean(instance));
        }

        private static string Shadowed(CommerceInstance instance, ConnectorSetting setting, ConfigLayer layer)
        {
            string path = setting.Path;
            string where = layer switch
            {
                ConfigLayer.EnvPhp => "app/etc/env.php (system/default/" + path + ")",
                ConfigLayer.ConfigPhp => "app/etc/config.php (system/default/" + path + ")",
                _ => setting.DescribeEnvironmentVariables(),
            };
            return "'" + path + "' of " + instance.Path + " is locked in " + where + ", which wins over the database: a value written to the database would be ignored. "
                + (instance.Platform == InstancePlatform.Cloud
                    ? "Remove it from there; on Adobe Commerce on Cloud -ConfigStore EnvPhp is no way around it. " + Rules.CloudConfigStore.EnvPhpManaged + " Nothing was changed."
                    : "Remove it from there, or connect with -ConfigStore EnvPhp to change the locked value. Nothing was changed.");
        }

        /// <summary>
        /// Settles the backups that killed writes left pending (see <see cref="ConfigBackups"/>): one
        /// whose rows still hold the values it saved (the change was never committed) is deleted, any
        /// other is kept under its final name.
        /// </summary>
        private static async Task SettlePendingBackupsAsync(CommerceInstance instance, MySqlConnection connection, string table, CancellationToken cancellationToken)
        {
            foreach (string pending in ConfigBackups.UnheldPendingDatabaseBackups(instance))
            {
                byte[] seen;
                try
                {
                    seen = File.ReadAllBytes(pending);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    continue; // held by a live write, or gone meanwhile
                }

                bool unchanged = false;
                try
                {
                    using (JsonDocument document = JsonDocument.Parse(seen))
                    {
                        JsonElement root = document.RootElement;
                        if (root.TryGetProperty("table", out JsonElement backupTable) && backupTable.GetString() == table.Trim('`')
                            && root.TryGetProperty("values", out JsonElement values) && values.ValueKind == JsonValueKind.Object
                            && root.TryGetProperty("missing", out JsonElement missing) && missing.ValueKind == JsonValueKind.Array)
                        {
                            string[] paths = values.EnumerateObject().Select(p => p.Name).Concat(missing.EnumerateArray().Select(m => m.GetString() ?? string.Empty)).ToArray();
                            Dictionary<string, string?> now = paths.Length == 0 ? new Dictionary<string, string?>() : await ReadForUpdateAsync(connection, null, table, paths, cancellationToken).ConfigureAwait(false);
                            unchanged = values.EnumerateObject().All(p => now.TryGetValue(p.Name, out string? value) && value == (p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString()))
                                && missing.EnumerateArray().All(m => !now.ContainsKey(m.GetString() ?? string.Empty));
                        }
                    }
                }
                catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
                {
                    unchanged = false; // not readable as a backup of this writer: kept
                }

                ConfigBackups.Settle(pending, content => unchanged && content.SequenceEqual(seen));
            }
        }

        private static async Task<Dictionary<string, string?>> ReadForUpdateAsync(MySqlConnection connection, MySqlTransaction? transaction, string table, string[] paths, CancellationToken cancellationToken)
        {
            var previous = new Dictionary<string, string?>();
            using (MySqlCommand command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                var names = new List<string>();
                for (int i = 0; i < paths.Length; i++)
                {
                    names.Add("@p" + i);
                    command.Parameters.AddWithValue("@p" + i, paths[i]);
                }

                command.CommandText = "SELECT path, value FROM " + table + " WHERE scope = 'default' AND scope_id = 0 AND path IN (" + string.Join(", ", names) + ") FOR UPDATE";
                using (MySqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        previous[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
                    }
                }
            }

            return previous;
        }

        /// <summary>
        /// Magento's writer puts a new uniqid('version-') into queue_poison_pill so long-running queue
        /// consumers restart and read the new configuration (Magento_MessageQueue's PoisonPill::put, which
        /// ResourceModel\Config::saveConfig and deleteConfig call).
        /// </summary>
        private static async Task PutPoisonPillAsync(CommerceInstance instance, MySqlConnection connection, MySqlTransaction transaction, CancellationToken cancellationToken)
        {
            string table = InstanceDatabase.Table(instance, "queue_poison_pill");
            using (MySqlCommand command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM " + table + "; INSERT INTO " + table + " (version) VALUES (@version)";
                command.Parameters.AddWithValue("@version", "version-" + DateTime.UtcNow.Ticks.ToString("x", CultureInfo.InvariantCulture));
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.NoSuchTable)
                {
                    // A Magento without the message queue's table has no consumers to restart. The DELETE failed
                    // before it touched anything, and the transaction goes on (MySQL undoes a failed statement only).
                }
            }
        }

        /// <summary>Writes the previous values to var/commerceservices/backups/&lt;time&gt;-database.json, owner-only, pending until the commit.</summary>
        private static PendingBackup WriteBackup(CommerceInstance instance, string table, Dictionary<string, string?> previous, IReadOnlyList<ConfigChange> changes)
        {
            string folder = ConfigBackups.DatabaseFolder(instance);
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("n").Substring(0, 6) + "-database.json");
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("formatVersion", Backups.ConfigBackupReader.CurrentFormatVersion);
                    writer.WriteString("command", Backups.ConfigWriteContext.Command);
                    writer.WriteString("instance", instance.Path);
                    writer.WriteString("store", "Database");
                    writer.WriteString("table", table.Trim('`'));
                    writer.WriteString("scope", "default");
                    writer.WriteString("takenAt", DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture));
                    writer.WriteString("note", "Values before the change, as stored (encrypted values stay encrypted). A path missing from 'values' had no row; restore by writing these values back, or deleting the rows of missing paths.");
                    writer.WriteStartObject("values");
                    foreach (ConfigChange change in changes)
                    {
                        if (previous.TryGetValue(change.Path, out string? value))
                        {
                            writer.WriteString(change.Path, value);
                        }
                    }

                    writer.WriteEndObject();
                    writer.WriteStartArray("missing");
                    foreach (ConfigChange change in changes.Where(c => !previous.ContainsKey(c.Path)))
                    {
                        writer.WriteStringValue(change.Path);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                return ConfigBackups.WritePending(path, stream.ToArray());
            }
        }
    }
}
