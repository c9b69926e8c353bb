using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CommerceServices.Instances;

namespace CommerceServices.Stores
{
    /// <summary>
    /// Cleans the config cache of an instance after its configuration changed, cleanest way first:
    /// with the instance's bin/magento when PHP can run here, else by
    /// removing the config entries of the file cache, else by saying exactly what to run.
    /// </summary>
    public static class ConfigCacheCleaner
    {
        /// <summary>The command a person runs when nothing could be cleaned from here.</summary>
        public const string ManualCommand = "bin/magento cache:clean config";

        public static CacheCleanResult Clean(CommerceInstance instance)
        {
            if (BinMagento.CanRun(instance))
            {
                ProcessStartInfo start = BinMagento.StartInfo(instance, new[] { "cache:clean", "config" });

                try
                {
                    using (Process process = Process.Start(start)!)
                    {
                        var (standardOutput, standardError) = BinMagento.ReadAll(process);
                        string output = standardOutput + standardError;
                        if (process.WaitForExit(120_000) && process.ExitCode == 0)
                        {
                            return new CacheCleanResult(CacheCleanMethod.BinMagento, "Ran '" + ManualCommand + "': " + output.Trim());
                        }

                        return new CacheCleanResult(CacheCleanMethod.NotCleaned, "'" + ManualCommand + "' failed (" + output.Trim() + "). Run it on the instance, or clean the config cache in the Admin (System > Cache Management).");
                    }
                }
                catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException)
                {
                    return new CacheCleanResult(CacheCleanMethod.NotCleaned, "'" + ManualCommand + "' could not run here (" + ex.Message + "). Run it on the instance.");
                }
            }

            if (UsesFileCache(instance))
            {
                try
                {
                    int removed = CleanFileCache(InstanceFiles.FileCache(instance.Path));
                    return new CacheCleanResult(CacheCleanMethod.FileCache, "Removed " + removed + " config cache entries from var/cache.");
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    return new CacheCleanResult(CacheCleanMethod.NotCleaned, "The config entries in var/cache could not be removed (" + ex.Message + "): run '" + ManualCommand + "' on the instance.");
                }
            }

            return new CacheCleanResult(CacheCleanMethod.NotCleaned, "The config cache is not in files (Redis or another back end) and PHP cannot run bin/magento here: run '" + ManualCommand + "' on the instance so Magento reads the new values.");
        }

        private static bool UsesFileCache(CommerceInstance instance)
        {
            // The config cache type may have a frontend of its own (cache/type/config/frontend).
            string frontend = instance.DeploymentConfig.GetPath("cache/type/config/frontend") as string ?? "default";
            object? backend = instance.DeploymentConfig.GetPath("cache/frontend/" + frontend + "/backend");
            return backend == null || (backend is string name && (name.Length == 0 || name.IndexOf("Cm_Cache_Backend_File", StringComparison.OrdinalIgnoreCase) >= 0 || name == "file"));
        }

        /// <summary>Removes the entries tagged CONFIG (Cm_Cache_Backend_File layout) and their tag index.</summary>
        internal static int CleanFileCache(string cacheFolder)
        {
            string tags = Path.Combine(cacheFolder, "mage-tags");
            if (!Directory.Exists(tags))
            {
                return 0;
            }

            int removed = 0;
            foreach (string tagFile in Directory.GetFiles(tags, "mage---*").Where(f => Path.GetFileName(f).EndsWith("CONFIG", StringComparison.Ordinal) || Path.GetFileName(f).EndsWith("CONFIG_SCOPES", StringComparison.Ordinal)))
            {
                foreach (string id in File.ReadAllLines(tagFile).Select(l => l.Trim()).Where(l => l.Length > 0))
                {
                    foreach (string folder in Directory.GetDirectories(cacheFolder, "mage--*"))
                    {
                        string entry = Path.Combine(folder, "mage---" + id);
                        if (File.Exists(entry))
                        {
                            File.Delete(entry);
                            removed++;
                        }
                    }
                }

                File.Delete(tagFile);
            }

            return removed;
        }
    }
}
