using System;

namespace CommerceServices.Testing
{
    /// <summary>Creates a Magento database (the tables the connector settings touch) on a test server.</summary>
    public static class MagentoDatabase
    {
        /// <summary>Creates a new database with the given table prefix and returns its name.</summary>
        public static string Create(MariaDbServer server, string tablePrefix)
        {
            string name = "magento_" + Guid.NewGuid().ToString("n").Substring(0, 10);
            server.Sql("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
            server.Sql(TablesSql(tablePrefix), name);
            return name;
        }

        /// <summary>
        /// The SQL that creates the tables of one instance in the current database: Magento's db_schema.xml for
        /// core_config_data, flag and queue_poison_pill, and the base URL Magento's installer stores.
        /// </summary>
        public static string TablesSql(string tablePrefix) =>
            "CREATE TABLE " + tablePrefix + "core_config_data ("
            + " config_id int unsigned NOT NULL AUTO_INCREMENT, scope varchar(8) NOT NULL DEFAULT 'default', scope_id int NOT NULL DEFAULT 0,"
            + " path varchar(255) NOT NULL DEFAULT 'general', value text, updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
            + " PRIMARY KEY (config_id), UNIQUE KEY CORE_CONFIG_DATA_SCOPE_SCOPE_ID_PATH (scope, scope_id, path)) ENGINE=InnoDB;"
            + "CREATE TABLE " + tablePrefix + "flag ("
            + " flag_id int unsigned NOT NULL AUTO_INCREMENT, flag_code varchar(255) NOT NULL, state smallint unsigned NOT NULL DEFAULT 0, flag_data mediumtext,"
            + " last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (flag_id), KEY FLAG_LAST_UPDATE (last_update)) ENGINE=InnoDB;"
            + "CREATE TABLE " + tablePrefix + "queue_poison_pill (version varchar(255) NOT NULL) ENGINE=InnoDB;"
            + "INSERT INTO " + tablePrefix + "core_config_data (scope, scope_id, path, value) VALUES ('default', 0, 'web/secure/base_url', 'https://shop.test/');";

        /// <summary>Inserts or replaces a default-scope value.</summary>
        public static void SetValue(MariaDbServer server, string database, string tablePrefix, string path, string? value) =>
            server.Sql(
                "INSERT INTO " + tablePrefix + "core_config_data (scope, scope_id, path, value) VALUES ('default', 0, '" + path.Replace("'", "''") + "', "
                + (value == null ? "NULL" : "'" + value.Replace("\\", "\\\\").Replace("'", "''") + "'") + ") ON DUPLICATE KEY UPDATE value = VALUES(value)",
                database);
    }
}
