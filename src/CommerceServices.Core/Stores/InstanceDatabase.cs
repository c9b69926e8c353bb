using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Instances;
using MySqlConnector;

namespace CommerceServices.Stores
{
    /// <summary>Opens the instance's database with the credentials of env.php (db/connection/default), from a connection pool.</summary>
    internal static class InstanceDatabase
    {
        public static async Task<MySqlConnection> OpenAsync(CommerceInstance instance, CancellationToken cancellationToken)
        {
            DatabaseEndpoint endpoint = instance.Database
                ?? throw new DatabaseUnavailableException(instance.Path, instance.IsInstalled
                    ? "app/etc/env.php of " + instance.Path + " names no database (db/connection/default) although Magento is installed there (install/date): its database settings may come from MAGENTO_DC_ environment variables of the PHP processes, which cannot be seen from here."
                    : "Magento is not installed in " + instance.Path + " yet (app/etc/env.php has no install/date), so there is no core_config_data. Connect with -ConfigStore EnvPhp to write the settings into env.php.",
                    null);
            // No database in the connection string: connections are pooled per server and credentials, not per database, so a
            // fleet whose databases share one server holds at most as many connections as run at once (per-database pools kept
            // one idle connection per instance for a minute: 200 instances exceeded MariaDB's max_connections of 151). The
            // instance's database is chosen after the connection is taken from the pool.
            var builder = new MySqlConnectionStringBuilder
            {
                UserID = endpoint.User,
                Password = Text(instance.DeploymentConfig.GetPath("db/connection/default/password")),
                ConnectionTimeout = 15,
                DefaultCommandTimeout = 30,
                // Pooled: instances that share a server and credentials (a fleet with one database and table
                // prefixes, or a database each) reuse one set of open connections, reset on reuse, instead of a handshake per query.
                Pooling = true,
                ConnectionIdleTimeout = 60,
                CharacterSet = "utf8mb4",
            };
            if (endpoint.Socket != null)
            {
                builder.Server = endpoint.Socket;
                builder.ConnectionProtocol = MySqlConnectionProtocol.UnixSocket;
            }
            else
            {
                builder.Server = endpoint.Host;
                builder.Port = (uint)(endpoint.Port ?? 3306);
            }

            var connection = new MySqlConnection(builder.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                if (!string.IsNullOrEmpty(endpoint.Database))
                {
                    await connection.ChangeDatabaseAsync(endpoint.Database, cancellationToken).ConfigureAwait(false);
                }

                return connection;
            }
            catch (MySqlException ex)
            {
                connection.Dispose();
                throw new DatabaseUnavailableException(instance.Path, "Cannot open the database of " + instance.Path + " (" + endpoint + "): " + ex.Message + " Check that the database is running and reachable from here, and the credentials in app/etc/env.php.", ex);
            }
        }

        /// <summary>The name of a Magento table with the instance's table prefix, quoted.</summary>
        public static string Table(CommerceInstance instance, string table) =>
            "`" + ((instance.Database?.TablePrefix ?? string.Empty) + table).Replace("`", "``") + "`";

        private static string FloatText(double d)
        {
            string text = CommerceServices.Php.PhpVarExport.Export(d);
            if (text.IndexOf('E') >= 0)
            {
                return text.Replace(".0E", "E");
            }

            return text.EndsWith(".0", StringComparison.Ordinal) ? text.Substring(0, text.Length - 2) : text;
        }

        /// <summary>A configuration value as PHP turns it into a string (true is "1", false and null are "").</summary>
        public static string Text(object? value) => value switch
        {
            null => string.Empty,
            string s => s,
            long l => l.ToString(CultureInfo.InvariantCulture),
            bool b => b ? "1" : string.Empty,
            double d => FloatText(d),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };
    }
}
