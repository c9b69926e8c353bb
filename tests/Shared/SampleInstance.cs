using System;
using System.IO;

namespace CommerceServices.Testing
{
    /// <summary>
    /// Writes the files of a Magento installation as tests need them: app/etc/env.php (in Magento's
    /// own formatting), app/etc/config.php and composer.lock. No Magento code, only what a reader sees.
    /// </summary>
    public sealed class SampleInstance
    {
        public bool AdobeCommerce { get; set; } = true;

        public string Version { get; set; } = "2.4.7-p3";

        public bool WithComposerLock { get; set; } = true;

        /// <summary>False leaves the db section out of env.php.</summary>
        public bool NamesDatabase { get; set; } = true;

        /// <summary>False leaves install/date out of env.php, as before 'bin/magento setup:install' (or after one that did not finish).</summary>
        public bool Installed { get; set; } = true;

        /// <summary>db/connection/default/host: a host, host:port or a socket path.</summary>
        public string DatabaseHost { get; set; } = "db.internal:3307";

        public string TablePrefix { get; set; } = "mg_";

        public string DatabasePassword { get; set; } = "S3cret-DB-Passw0rd!";

        /// <summary>crypt/key; a 2.4.7-style base64 key unless set.</summary>
        public string CryptKey { get; set; } = "base64AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

        public string MageMode { get; set; } = "production";

        public bool ConnectorEnabled { get; set; } = true;

        /// <summary>More modules enabled in config.php, e.g. Magento_LiveSearch.</summary>
        public string[] EnabledModules { get; set; } = new string[0];

        /// <summary>db/connection/default/dbname.</summary>
        public string DatabaseName { get; set; } = "magento";

        public string DatabaseUser { get; set; } = "magento";

        /// <summary>PHP source of system/default values added to env.php, e.g. "'magento_saas' => ['environment' => 'sandbox']".</summary>
        public string? EnvPhpSystem { get; set; }

        /// <summary>PHP source of system/default values added to config.php.</summary>
        public string? ConfigPhpSystem { get; set; }

        /// <summary>PHP source of system entries beside 'default' in env.php, e.g. "'websites' => ['base' => ['magento_saas' => ['environment' => 'sandbox']]]".</summary>
        public string? EnvPhpScopedSystem { get; set; }

        /// <summary>PHP source of system entries beside 'default' in config.php.</summary>
        public string? ConfigPhpScopedSystem { get; set; }

        /// <summary>
        /// With a database (<see cref="UseDatabase"/>) and a system section in the files: whether the database holds
        /// their configuration hash, as setup:install and app:config:import leave it (the default). False: the files
        /// have changes Magento has not imported, and Magento refuses requests.
        /// </summary>
        public bool FilesImported { get; set; } = true;

        /// <summary>
        /// Adobe Commerce on Cloud: composer.lock locks magento/magento-cloud-metapackage (which Cloud projects require
        /// instead of magento/product-enterprise-edition) at <see cref="Version"/>.
        /// </summary>
        public bool CloudMetapackage { get; set; }

        /// <summary>composer.lock also locks magento/ece-tools, Cloud's deploy tool.</summary>
        public bool EceTools { get; set; }

        /// <summary>The root holds a .magento.app.yaml (the Cloud application's configuration).</summary>
        public bool MagentoAppYaml { get; set; }

        /// <summary>The root holds a .magento.env.yaml (ece-tools' build and deploy settings).</summary>
        public bool MagentoEnvYaml { get; set; }

        /// <summary>A Cloud project as its Git repository holds it: the metapackage and ece-tools locked, both YAML files in the root.</summary>
        public static SampleInstance CloudProject() => new SampleInstance { CloudMetapackage = true, EceTools = true, MagentoAppYaml = true, MagentoEnvYaml = true };

        private MariaDbServer? server;

        /// <summary>Points the instance at a test database server, over its socket or TCP port.</summary>
        public SampleInstance UseDatabase(MariaDbServer server, string database, bool overSocket = true)
        {
            this.server = server;
            DatabaseHost = overSocket ? server.Socket : "127.0.0.1:" + server.Port;
            DatabaseName = database;
            DatabaseUser = MariaDbServer.User;
            DatabasePassword = MariaDbServer.Password;
            return this;
        }

        /// <summary>Writes the instance under <paramref name="root"/> and returns the root.</summary>
        public string WriteTo(string root)
        {
            string etc = Path.Combine(root, "app", "etc");
            Directory.CreateDirectory(etc);
            string enabled = ConnectorEnabled ? "1" : "0";
            File.WriteAllText(Path.Combine(etc, "config.php"),
                "<?php\nreturn [\n    'modules' => [\n        'Magento_Store' => 1,\n        'Magento_ServicesConnector' => " + enabled + ",\n        'Magento_ServicesId' => " + enabled + (AdobeCommerce ? ",\n        'Magento_Staging' => 1" : string.Empty)
                + string.Concat(System.Linq.Enumerable.Select(EnabledModules, m => ",\n        '" + m + "' => 1")) + "\n    ]"
                + SystemSection(ConfigPhpSystem, ConfigPhpScopedSystem) + "\n];\n");
            File.WriteAllText(Path.Combine(etc, "env.php"),
                "<?php\nreturn [\n    'backend' => [\n        'frontName' => 'admin'\n    ],\n    'crypt' => [\n        'key' => '" + CryptKey + "'\n    ],\n"
                + (NamesDatabase
                    ? "    'db' => [\n        'table_prefix' => '" + TablePrefix + "',\n        'connection' => [\n            'default' => [\n"
                        + "                'host' => '" + DatabaseHost + "',\n                'dbname' => '" + DatabaseName + "',\n                'username' => '" + DatabaseUser + "',\n"
                        + "                'password' => '" + DatabasePassword.Replace("\\", "\\\\").Replace("'", "\\'") + "',\n                'model' => 'mysql4',\n                'engine' => 'innodb',\n"
                        + "                'initStatements' => 'SET NAMES utf8;',\n                'active' => '1'\n            ]\n        ]\n    ],\n"
                    : string.Empty)
                + "    'MAGE_MODE' => '" + MageMode + "'" + (Installed ? ",\n    'install' => [\n        'date' => 'Mon, 02 Sep 2024 10:11:12 +0000'\n    ]" : string.Empty)
                + SystemSection(EnvPhpSystem, EnvPhpScopedSystem) + "\n];\n");
            string lockFile = Path.Combine(root, "composer.lock");
            if (WithComposerLock)
            {
                string package = CloudMetapackage ? "magento/magento-cloud-metapackage" : AdobeCommerce ? "magento/product-enterprise-edition" : "magento/product-community-edition";
                File.WriteAllText(lockFile,
                    "{\n    \"_readme\": [\"This file locks the dependencies of your project to a known state\"],\n    \"packages\": [\n"
                    + "        {\"name\": \"magento/framework\", \"version\": \"103.0.7\"},\n"
                    + (EceTools ? "        {\"name\": \"magento/ece-tools\", \"version\": \"2002.1.20\"},\n" : string.Empty)
                    + "        {\"name\": \"" + package + "\", \"version\": \"" + Version + "\"}\n    ]\n}\n");
            }
            else if (File.Exists(lockFile))
            {
                File.Delete(lockFile);
            }

            WriteOrDelete(Path.Combine(root, ".magento.app.yaml"), MagentoAppYaml,
                "name: mymagento\ntype: php:8.3\nbuild:\n    flavor: none\nrelationships:\n    database: \"mysql:mysql\"\n"
                + "mounts:\n    \"var\": \"shared:files/var\"\n    \"app/etc\": \"shared:files/etc\"\n    \"pub/media\": \"shared:files/media\"\n    \"pub/static\": \"shared:files/static\"\n");
            WriteOrDelete(Path.Combine(root, ".magento.env.yaml"), MagentoEnvYaml,
                "stage:\n    global:\n        SCD_ON_DEMAND: true\n    deploy:\n        MYSQL_USE_SLAVE_CONNECTION: true\n");

            if (server != null && Installed && NamesDatabase && FilesImported)
            {
                StoreConfigHash(root);
            }

            return root;
        }

        /// <summary>
        /// Stores the configuration hash of the files just written in the flag table, as setup:install and
        /// app:config:import leave it: computed by PHP, as Magento computes it (Hash\Generator: sha1 of json_encode of
        /// the system section of array_replace_recursive(config.php, env.php)). A section json_encode fails on (bytes
        /// that are not UTF-8) has no hash, in Magento as here.
        /// </summary>
        private void StoreConfigHash(string root)
        {
            const string Hash =
                "$etc = $argv[1] . '/app/etc/'; $files = array_replace_recursive(include $etc . 'config.php', include $etc . 'env.php');"
                + " $json = isset($files['system']) ? json_encode($files['system']) : false; echo $json === false ? '' : sha1($json);";
            var start = new System.Diagnostics.ProcessStartInfo("php") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-r");
            start.ArgumentList.Add(Hash);
            start.ArgumentList.Add(root);
            using var php = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("php did not start");
            string hash = php.StandardOutput.ReadToEnd().Trim();
            string error = php.StandardError.ReadToEnd();
            php.WaitForExit();
            if (php.ExitCode != 0)
            {
                throw new InvalidOperationException("PHP could not hash the sample's files: " + error);
            }

            if (hash.Length == 0)
            {
                return;
            }

            string flag = TablePrefix + "flag";
            server!.Sql("DELETE FROM " + flag + " WHERE flag_code = 'config_hash'; INSERT INTO " + flag + " (flag_code, state, flag_data) VALUES ('config_hash', 0, '{\"system\":\"" + hash + "\"}');", DatabaseName);
        }

        private static void WriteOrDelete(string file, bool write, string content)
        {
            if (write)
            {
                File.WriteAllText(file, content);
            }
            else if (File.Exists(file))
            {
                File.Delete(file);
            }
        }

        private static string SystemSection(string? defaults, string? scoped) =>
            defaults == null && scoped == null
                ? string.Empty
                : ",\n    'system' => [\n" + (defaults != null ? "        'default' => [" + defaults + "]" : string.Empty)
                    + (defaults != null && scoped != null ? ",\n" : string.Empty) + (scoped != null ? "        " + scoped : string.Empty) + "\n    ]";
    }
}
