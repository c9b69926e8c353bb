using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using CommerceServices.Php;
using CommerceServices.Stores;

namespace CommerceServices.Instances
{
    /// <summary>
    /// Reads an instance from its root folder as Magento does: app/etc/config.php overlaid by
    /// app/etc/env.php (array_replace_recursive), and composer.lock for the edition and version.
    /// Executes nothing.
    /// </summary>
    public static class CommerceInstanceReader
    {
        private const string EnterprisePackage = "magento/product-enterprise-edition";
        private const string CommunityPackage = "magento/product-community-edition";

        /// <summary>Reads the instance at <paramref name="path"/>.</summary>
        /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
        /// <exception cref="NotACommerceInstanceException">The folder is not a Magento root, or the path is a file, not a folder.</exception>
        /// <exception cref="UnauthorizedAccessException">This account may not read app/etc/env.php (or search the folders that hold it).</exception>
        /// <exception cref="PhpConfigParseException">env.php or config.php holds something that cannot be read without PHP.</exception>
        /// <exception cref="InvalidDataException">composer.lock is not valid JSON, or a file is not an array.</exception>
        /// <exception cref="EnvPhpStoreOnCloudException"><paramref name="configStore"/> is EnvPhp and the instance is an Adobe Commerce on Cloud project (<see cref="Rules.CloudConfigStore"/>).</exception>
        public static CommerceInstance Open(string path, ConfigStore configStore = ConfigStore.Database, InstanceRole role = InstanceRole.Undeclared) =>
            Open(path, configStore, role, null);

        /// <summary>As <see cref="Open(string, ConfigStore, InstanceRole)"/>, with the process environment given (null: this process's).</summary>
        internal static CommerceInstance Open(string path, ConfigStore configStore, InstanceRole role, System.Collections.IDictionary? environment)
        {
            string root = System.IO.Path.GetFullPath(path);
            if (File.Exists(root))
            {
                throw new NotACommerceInstanceException(root, "'" + root + "' is a file, not a folder. Pass the Magento root folder: the one that holds app/, bin/ and composer.json.");
            }

            if (!Directory.Exists(root))
            {
                throw new DirectoryNotFoundException("The folder '" + root + "' does not exist.");
            }

            string env = InstanceFiles.EnvPhp(root);
            if (!CanOpen(env, root))
            {
                throw new NotACommerceInstanceException(root, Directory.Exists(InstanceFiles.Etc(System.IO.Path.Combine(root, "..")))
                    ? "'" + root + "' has no app/etc/env.php, but its parent folder looks like a Magento root: pass the folder that holds app/, bin/ and composer.json (often the parent of pub/)."
                    : "'" + root + "' is not a Magento root: it has no app/etc/env.php. Pass the folder that holds app/, bin/ and composer.json.");
            }

            var (merged, envPhp, configPhp) = ReadFiles(root);

            bool connector = IsEnabled(merged, "Magento_ServicesConnector");
            bool servicesId = IsEnabled(merged, "Magento_ServicesId");
            string mode = merged["MAGE_MODE"] as string ?? "default";

            string lockFile = InstanceFiles.ComposerLock(root);
            CommerceEdition edition;
            string? version = null;
            string[]? packages = null;
            bool fromLock = File.Exists(lockFile);
            if (fromLock)
            {
                (edition, version, packages) = ReadComposerLock(lockFile);
            }
            else
            {
                // Without composer.lock (a trimmed deployment), Adobe Commerce shows in its modules.
                edition = IsEnabled(merged, "Magento_Enterprise") || IsEnabled(merged, "Magento_Staging") || IsEnabled(merged, "Magento_CatalogStaging") ? CommerceEdition.AdobeCommerce : CommerceEdition.MagentoOpenSource;
            }

            CloudMarkers cloud = CloudMarkers.Find(root, packages, environment);
            Rules.CloudConfigStore.EnsureAllowed(root, cloud, configStore, Rules.CloudConfigStore.Connecting);
            return new CommerceInstance(root, edition, version, fromLock, mode, connector, servicesId, ReadDatabase(merged), configStore, cloud, merged, envPhp, configPhp) { Role = role };
        }

        /// <summary>
        /// Whether app/etc/env.php can be opened: false when it does not exist; an
        /// <see cref="UnauthorizedAccessException"/> that says so when it exists but this account may
        /// not read it, or may not search app/ or app/etc/ (File.Exists alone says "no file" for both).
        /// </summary>
        private static bool CanOpen(string env, string root)
        {
            try
            {
                using (new FileStream(env, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                return false;
            }
            catch (UnauthorizedAccessException ex)
            {
                if (Directory.Exists(env))
                {
                    return false; // a folder named env.php: no env.php file
                }

                string etc = InstanceFiles.Etc(root);
                string where = File.Exists(env)
                    ? "this account may not read the file"
                    : Directory.Exists(etc)
                        ? "this account may not search the folder app/etc/ that holds it"
                        : "this account may not search the folder app/ that holds it";
                throw new UnauthorizedAccessException("Permission denied on app/etc/env.php of '" + root + "': " + where + ". Run as the account that owns the Magento files (or one in its group), or grant it read access.", ex);
            }
        }

        /// <summary>Reads the instance's files again (after they may have changed on disk).</summary>
        internal static void Reload(CommerceInstance instance)
        {
            var (merged, env, config) = ReadFiles(instance.Path);
            instance.Refresh(merged, env, config);
        }

        /// <summary>config.php and env.php, each read once, and their merge (env.php wins).</summary>
        private static (PhpArray Merged, PhpArray Env, PhpArray Config) ReadFiles(string root)
        {
            string env = InstanceFiles.EnvPhp(root);
            string config = InstanceFiles.ConfigPhp(root);
            PhpArray configPhp = File.Exists(config) ? PhpConfigReader.ReadFile(config) : new PhpArray();
            PhpArray envPhp = PhpConfigReader.ReadFile(env);
            return (PhpArray.ReplaceRecursive(configPhp, envPhp), envPhp, configPhp);
        }

        /// <summary>Magento's ModuleList::has(): the module's entry in "modules" is not empty() in PHP.</summary>
        internal static bool IsEnabled(PhpArray config, string module)
        {
            object? value = (config["modules"] as PhpArray)?[module];
            switch (value)
            {
                case null: return false;
                case bool b: return b;
                case long l: return l != 0;
                case double d: return d != 0;
                case string s: return !PhpTruth.IsEmpty(s);
                case PhpArray a: return a.Count > 0;
                default: return false;
            }
        }

        private static DatabaseEndpoint? ReadDatabase(PhpArray config)
        {
            if (!(config.GetPath("db/connection/default") is PhpArray connection))
            {
                return null;
            }

            string Text(string key) => connection[key] switch
            {
                string s => s,
                long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => string.Empty,
            };

            string prefix = config.GetPath("db/table_prefix") as string ?? string.Empty;
            return DatabaseEndpoint.FromHost(Text("host"), Text("dbname"), Text("username"), prefix);
        }

        /// <summary>The edition and version a composer.lock names, and every package it locks (packages and packages-dev).</summary>
        private static (CommerceEdition Edition, string? Version, string[] Packages) ReadComposerLock(string lockFile)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(File.ReadAllText(lockFile)))
                {
                    JsonElement[] packages = document.RootElement.TryGetProperty("packages", out JsonElement list) && list.ValueKind == JsonValueKind.Array
                        ? list.EnumerateArray().ToArray()
                        : Array.Empty<JsonElement>();
                    string[] names = packages
                        .Concat(document.RootElement.TryGetProperty("packages-dev", out JsonElement dev) && dev.ValueKind == JsonValueKind.Array ? dev.EnumerateArray() : Enumerable.Empty<JsonElement>())
                        .Select(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null)
                        .Where(n => n != null)
                        .Select(n => n!)
                        .ToArray();
                    string? Version(string name) => packages
                        .Where(p => p.TryGetProperty("name", out JsonElement n) && n.GetString() == name)
                        .Select(p => p.TryGetProperty("version", out JsonElement v) ? v.GetString() : null)
                        .FirstOrDefault();

                    // Test for the Adobe Commerce package, not for the absence of the Open Source one:
                    // an Adobe Commerce lock holds both (magento/product-enterprise-edition requires
                    // magento/product-community-edition). Cloud
                    // projects require the cloud metapackage instead.
                    string? enterprise = Version(EnterprisePackage) ?? Version("magento/magento-cloud-metapackage");
                    if (enterprise != null)
                    {
                        return (CommerceEdition.AdobeCommerce, enterprise, names);
                    }

                    return (CommerceEdition.MagentoOpenSource, Version(CommunityPackage) ?? Version("mage-os/product-community-edition") ?? Version("magento/magento2-base") ?? Version("magento/framework"), names);
                }
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException("'" + lockFile + "' is not valid JSON: " + ex.Message, ex);
            }
        }
    }
}
