using System;
using System.Text;

namespace CommerceServices.Testing
{
    /// <summary>The shape of a feed table, by exporter version (data-export.md §1.2 and §2.1).</summary>
    public enum FeedTableShape
    {
        /// <summary>103.3.0 and later: cde_*_feed with source_entity_id, feed_id, status, feed_hash, errors, metadata.</summary>
        Feed,

        /// <summary>103.0 to 103.2: catalog_data_exporter_* with the status, feed_hash and errors columns added in 2023.</summary>
        ExporterWithStatus,

        /// <summary>102.x and feeds still sent by cron (scopes, orders, reviews): id, feed_data, modified_at, is_deleted.</summary>
        CronSent,
    }

    /// <summary>
    /// The tables of Magento's SaaS data export, written from their db_schema.xml (commerce-data-export, Magento's
    /// module-indexer and module-cron), and rows to seed them with. Table names are passed in, without the prefix:
    /// this project uses no product type.
    /// </summary>
    public static class ExportTables
    {
        /// <summary>Timestamps are written in UTC, as Magento's connection writes them (every seeding statement starts with it).</summary>
        public const string Utc = "SET time_zone = '+00:00';";

        /// <summary>indexer_state, mview_state (module-indexer) and cron_schedule (module-cron).</summary>
        public static string StateTablesSql(string prefix) =>
            "CREATE TABLE " + prefix + "indexer_state (state_id int unsigned NOT NULL AUTO_INCREMENT, indexer_id varchar(255) DEFAULT NULL,"
            + " status varchar(16) DEFAULT 'invalid', updated datetime DEFAULT NULL, hash_config varchar(32) NOT NULL DEFAULT '',"
            + " PRIMARY KEY (state_id), KEY INDEXER_STATE_INDEXER_ID (indexer_id)) ENGINE=InnoDB;"
            + "CREATE TABLE " + prefix + "mview_state (state_id int unsigned NOT NULL AUTO_INCREMENT, view_id varchar(255) DEFAULT NULL,"
            + " mode varchar(16) DEFAULT 'disabled', status varchar(16) DEFAULT 'idle', updated datetime DEFAULT NULL, version_id int unsigned DEFAULT NULL,"
            + " PRIMARY KEY (state_id), UNIQUE KEY MVIEW_STATE_VIEW_ID (view_id), KEY MVIEW_STATE_MODE (mode)) ENGINE=InnoDB;"
            + "CREATE TABLE " + prefix + "cron_schedule (schedule_id int unsigned NOT NULL AUTO_INCREMENT, job_code varchar(255) NOT NULL DEFAULT '0',"
            + " status varchar(7) NOT NULL DEFAULT 'pending', messages text, created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,"
            + " scheduled_at timestamp NULL DEFAULT NULL, executed_at timestamp NULL DEFAULT NULL, finished_at timestamp NULL DEFAULT NULL,"
            + " PRIMARY KEY (schedule_id), KEY CRON_SCHEDULE_JOB_CODE_STATUS_SCHEDULED_AT (job_code, status, scheduled_at), KEY CRON_SCHEDULE_SCHEDULED_AT_STATUS (scheduled_at, status)) ENGINE=InnoDB;";

        /// <summary>A feed table of the given shape.</summary>
        public static string FeedTableSql(string prefix, string table, FeedTableShape shape)
        {
            switch (shape)
            {
                case FeedTableShape.Feed:
                    return "CREATE TABLE " + prefix + table + " (id int unsigned NOT NULL AUTO_INCREMENT, source_entity_id int unsigned NOT NULL,"
                        + " feed_id varchar(64) NOT NULL, modified_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
                        + " is_deleted tinyint NOT NULL DEFAULT 0, status smallint NOT NULL DEFAULT 0, feed_data mediumtext NOT NULL,"
                        + " feed_hash varchar(64) NOT NULL, errors text, metadata text,"
                        + " PRIMARY KEY (id), UNIQUE KEY " + IndexName(table, "FEED_ID", unique: true) + " (feed_id),"
                        + " KEY " + IndexName(table, "SOURCE_ENTITY_ID_MODIFIED_AT") + " (source_entity_id, modified_at),"
                        + " KEY " + IndexName(table, "STATUS") + " (status)) ENGINE=InnoDB;";
                case FeedTableShape.ExporterWithStatus:
                    return "CREATE TABLE " + prefix + table + " (id int NOT NULL, sku varchar(64) DEFAULT NULL, store_view_code varchar(64) NOT NULL,"
                        + " feed_data mediumtext NOT NULL, modified_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
                        + " is_deleted tinyint NOT NULL DEFAULT 0, status smallint NOT NULL DEFAULT 0, feed_hash varchar(64) DEFAULT NULL, errors text,"
                        + " PRIMARY KEY (id, store_view_code), KEY " + table.ToUpperInvariant() + "_MODIFIED_AT (modified_at)) ENGINE=InnoDB;";
                default:
                    return "CREATE TABLE " + prefix + table + " (id int NOT NULL, feed_data mediumtext NOT NULL,"
                        + " modified_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, is_deleted tinyint NOT NULL DEFAULT 0,"
                        + " PRIMARY KEY (id), KEY " + table.ToUpperInvariant() + "_MODIFIED_AT (modified_at)) ENGINE=InnoDB;";
            }
        }

        /// <summary>A view's changelog (Magento\Framework\Mview\View\Changelog): <paramref name="viewId"/>_cl.</summary>
        public static string ChangelogSql(string prefix, string viewId) =>
            "CREATE TABLE " + prefix + viewId + "_cl (version_id int unsigned NOT NULL AUTO_INCREMENT, entity_id int unsigned NOT NULL DEFAULT 0,"
            + " PRIMARY KEY (version_id), KEY " + viewId.ToUpperInvariant() + "_CL_ENTITY_ID (entity_id)) ENGINE=InnoDB;";

        /// <summary>
        /// Inserts <paramref name="count"/> rows into a feed table of shape <see cref="FeedTableShape.Feed"/>, entity ids from
        /// <paramref name="firstEntityId"/> on, each a product (sku "SKU-n", store view default) with the given status and error,
        /// last written <paramref name="minutesAgo"/> minutes ago (UTC). One statement, from MariaDB's sequence engine.
        /// </summary>
        public static string FeedRowsSql(string prefix, string table, int firstEntityId, int count, int status, bool deleted = false, string? errors = null, string? metadata = null, int minutesAgo = 10, string feedHash = "hash")
        {
            int last = firstEntityId + count - 1;
            return Utc + "INSERT INTO " + prefix + table + " (source_entity_id, feed_id, modified_at, is_deleted, status, feed_data, feed_hash, errors, metadata)"
                + " SELECT seq, SHA1(CONCAT('SKU-', seq, '\\0default')), UTC_TIMESTAMP() - INTERVAL " + minutesAgo + " MINUTE, " + (deleted ? 1 : 0) + ", " + status + ","
                + " CONCAT('{\"sku\":\"SKU-', seq, '\",\"storeViewCode\":\"default\"}'), " + Quote(feedHash) + ", " + Quote(errors) + ", " + Quote(metadata)
                + " FROM seq_" + firstEntityId + "_to_" + last + ";";
        }

        /// <summary>As <see cref="FeedRowsSql"/>, for the older shapes (no source_entity_id, feed_id or metadata; no status in <see cref="FeedTableShape.CronSent"/>).</summary>
        public static string OlderRowsSql(string prefix, string table, FeedTableShape shape, int firstId, int count, int status = 200, bool deleted = false, string? errors = null, int minutesAgo = 10)
        {
            int last = firstId + count - 1;
            string modified = "UTC_TIMESTAMP() - INTERVAL " + minutesAgo + " MINUTE";
            string data = "CONCAT('{\"sku\":\"SKU-', seq, '\",\"storeViewCode\":\"default\"}')";
            return shape == FeedTableShape.ExporterWithStatus
                ? Utc + "INSERT INTO " + prefix + table + " (id, sku, store_view_code, feed_data, modified_at, is_deleted, status, feed_hash, errors)"
                    + " SELECT seq, CONCAT('SKU-', seq), 'default', " + data + ", " + modified + ", " + (deleted ? 1 : 0) + ", " + status + ", 'hash', " + Quote(errors)
                    + " FROM seq_" + firstId + "_to_" + last + ";"
                : Utc + "INSERT INTO " + prefix + table + " (id, feed_data, modified_at, is_deleted)"
                    + " SELECT seq, " + data + ", " + modified + ", " + (deleted ? 1 : 0) + " FROM seq_" + firstId + "_to_" + last + ";";
        }

        /// <summary>Changelog entries for entities <paramref name="firstEntityId"/>.. (one version each).</summary>
        public static string ChangelogRowsSql(string prefix, string viewId, int firstEntityId, int count) =>
            "INSERT INTO " + prefix + viewId + "_cl (entity_id) SELECT seq FROM seq_" + firstEntityId + "_to_" + (firstEntityId + count - 1) + ";";

        /// <summary>The indexer's and its view's state: mode 'enabled' is Update by Schedule; the view has processed the changelog up to <paramref name="version"/>.</summary>
        public static string IndexerStateSql(string prefix, string indexerId, string viewId, string indexerStatus = "valid", string viewMode = "enabled", long version = 0) =>
            Utc + "INSERT INTO " + prefix + "indexer_state (indexer_id, status, updated, hash_config) VALUES (" + Quote(indexerId) + ", " + Quote(indexerStatus) + ", UTC_TIMESTAMP(), '');"
            + "INSERT INTO " + prefix + "mview_state (view_id, mode, status, updated, version_id) VALUES (" + Quote(viewId) + ", " + Quote(viewMode) + ", 'idle', UTC_TIMESTAMP(), " + version + ");";

        /// <summary>A cron_schedule row of <paramref name="jobCode"/> that finished <paramref name="minutesAgo"/> minutes ago with <paramref name="status"/>.</summary>
        public static string CronRunSql(string prefix, string jobCode, int minutesAgo, string status = "success") =>
            Utc + "INSERT INTO " + prefix + "cron_schedule (job_code, status, created_at, scheduled_at, executed_at, finished_at) VALUES ("
            + Quote(jobCode) + ", " + Quote(status) + ", UTC_TIMESTAMP() - INTERVAL " + (minutesAgo + 1) + " MINUTE, UTC_TIMESTAMP() - INTERVAL " + minutesAgo + " MINUTE,"
            + " UTC_TIMESTAMP() - INTERVAL " + minutesAgo + " MINUTE, " + (status == "success" || status == "error" ? "UTC_TIMESTAMP() - INTERVAL " + minutesAgo + " MINUTE" : "NULL") + ");";

        /// <summary>A legacy feed's flag: when the cron last sent it, JSON-encoded as Magento's FlagManager saves it.</summary>
        public static string FlagSql(string prefix, string flagCode, int minutesAgo) =>
            Utc + "INSERT INTO " + prefix + "flag (flag_code, state, flag_data) VALUES (" + Quote(flagCode) + ", 0,"
            + " CONCAT('\"', DATE_FORMAT(UTC_TIMESTAMP() - INTERVAL " + minutesAgo + " MINUTE, '%Y-%m-%d %H:%i:%s'), '\"'));";

        /// <summary>
        /// An index's name as Magento's schema names it: TABLE_COLUMNS, upper case; one longer than MySQL's 64 characters
        /// (inventory_data_exporter_stock_status_feed's) becomes IDX_ or UNQ_ and the MD5 of the long name (Magento's ExpressionConverter tries abbreviations first; the hash is its last resort).
        /// </summary>
        private static string IndexName(string table, string columns, bool unique = false)
        {
            string name = (table + "_" + columns).ToUpperInvariant();
            if (name.Length <= 64)
            {
                return name;
            }

            using var md5 = System.Security.Cryptography.MD5.Create();
            byte[] hash = md5.ComputeHash(Encoding.UTF8.GetBytes(name));
            return (unique ? "UNQ_" : "IDX_") + BitConverter.ToString(hash).Replace("-", string.Empty);
        }

        private static string Quote(string? value) => value == null ? "NULL" : "'" + value.Replace("\\", "\\\\").Replace("'", "''") + "'";
    }
}
