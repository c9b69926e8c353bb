using System.IO;

namespace CommerceServices.Instances
{
    /// <summary>Where the files of a Magento root are that this module reads or writes: one home for every path below the root.</summary>
    public static class InstanceFiles
    {
        /// <summary>app/etc: env.php, config.php, and the env.php backups next to them.</summary>
        public static string Etc(string root) => Path.Combine(root, "app", "etc");

        /// <summary>app/etc/env.php: the deployment configuration (database, crypt key, locked settings).</summary>
        public static string EnvPhp(string root) => Path.Combine(Etc(root), "env.php");

        /// <summary>app/etc/config.php: modules and shared locked settings.</summary>
        public static string ConfigPhp(string root) => Path.Combine(Etc(root), "config.php");

        /// <summary>composer.lock: the installed packages, which tell the edition and version.</summary>
        public static string ComposerLock(string root) => Path.Combine(root, "composer.lock");

        /// <summary>bin/magento: Magento's command line.</summary>
        public static string BinMagento(string root) => Path.Combine(root, "bin", "magento");

        /// <summary>var/cache: Magento's file cache.</summary>
        public static string FileCache(string root) => Path.Combine(root, "var", "cache");

        /// <summary>var/commerceservices/backups: the previous values of the database store's writes.</summary>
        public static string DatabaseBackups(string root) => Path.Combine(root, "var", "commerceservices", "backups");
    }
}
