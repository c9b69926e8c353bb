using System.Globalization;

namespace CommerceServices.Stores
{
    /// <summary>
    /// Where an instance's database is, as env.php says (db/connection/default): host and port, or
    /// a unix socket, the database name, the user and the table prefix. Never the password.
    /// </summary>
    public sealed class DatabaseEndpoint
    {
        internal DatabaseEndpoint(string host, int? port, string? socket, string database, string user, string tablePrefix)
        {
            Host = host;
            Port = port;
            Socket = socket;
            Database = database;
            User = user;
            TablePrefix = tablePrefix;
        }

        /// <summary>The host name or address; empty for a unix socket.</summary>
        public string Host { get; }

        /// <summary>The TCP port, when env.php names one (host:port); MySQL's 3306 otherwise.</summary>
        public int? Port { get; }

        /// <summary>The unix socket path, when the host is one (a host containing '/').</summary>
        public string? Socket { get; }

        public string Database { get; }

        public string User { get; }

        /// <summary>Prepended to every table name, core_config_data included.</summary>
        public string TablePrefix { get; }

        /// <summary>Reads Magento's host setting: an absolute socket path, host:port, or a host.</summary>
        internal static DatabaseEndpoint FromHost(string hostSetting, string database, string user, string tablePrefix)
        {
            if (hostSetting.IndexOf('/') >= 0)
            {
                return new DatabaseEndpoint(string.Empty, null, hostSetting, database, user, tablePrefix);
            }

            int colon = hostSetting.LastIndexOf(':');
            if (colon > 0 && hostSetting.IndexOf(':') == colon
                && int.TryParse(hostSetting.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port))
            {
                return new DatabaseEndpoint(hostSetting.Substring(0, colon), port, null, database, user, tablePrefix);
            }

            return new DatabaseEndpoint(hostSetting, null, null, database, user, tablePrefix);
        }

        /// <summary>user@host:port/database, or user@socket/database; no password.</summary>
        public override string ToString() =>
            User + "@" + (Socket ?? Host + (Port.HasValue ? ":" + Port.Value.ToString(CultureInfo.InvariantCulture) : string.Empty)) + "/" + Database
            + (TablePrefix.Length > 0 ? " (prefix " + TablePrefix + ")" : string.Empty);
    }
}
