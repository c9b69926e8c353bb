using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Php;

namespace CommerceServices.Stores.Backups
{
    /// <summary>
    /// Puts a backup back through the instance's own store, with the guarantees of any write (one transaction,
    /// or an atomic rename with the configuration hash brought up to date) and a new backup of what it replaces.
    /// A database backup is written back row by row. An env.php backup is a copy of the whole file: it is put
    /// back byte for byte, and only while env.php differs from it in connector settings alone; otherwise the
    /// restore would also undo changes made to env.php since (a new database password, say), and it is refused.
    /// </summary>
    public static class ConfigRestorer
    {
        /// <summary>Restores <paramref name="steps"/> (from <see cref="ConfigRestorePlan.PlanAsync"/>) of <paramref name="backup"/>.</summary>
        /// <exception cref="ConfigRestoreRefusedException">Nothing to restore, or env.php changed outside the connector settings since the backup.</exception>
        public static Task<ConfigWriteResult> RestoreAsync(CommerceInstance instance, ConfigBackup backup, IReadOnlyList<ConfigRestoreStep> steps, bool deferConfigImport, CancellationToken cancellationToken)
        {
            if (steps.Count == 0)
            {
                throw ConfigRestoreRefusedException.NothingToRestore(instance, backup);
            }

            ConfigChange[] changes = steps.Select(s => s.Change).ToArray();
            if (backup.Store == ConfigStore.Database)
            {
                return SettingsStores.WriteAsync(instance, changes, deferConfigImport, cancellationToken);
            }

            byte[] content = File.ReadAllBytes(backup.Path);
            PhpArray then = PhpConfigReader.Read(PhpBytes.Decode(content), backup.Path);
            PhpArray now = PhpConfigReader.ReadFile(InstanceFiles.EnvPhp(instance.Path));
            string[] outside = DifferencesOutsideConnectorSettings(now, then);
            if (outside.Length > 0)
            {
                throw new ConfigRestoreRefusedException("EnvPhpChangedSinceBackup", backup.Path, "app/etc/env.php of " + instance.Path + " changed since the backup '" + backup.Path + "' was taken, outside the connector settings too (" + string.Join(", ", outside) + "). Putting the backup back would undo those changes as well. Nothing was changed; set the connector settings you need with the Set- cmdlets instead.");
            }

            return EnvPhpSettingsStore.ReplaceAsync(instance, content, changes, deferConfigImport, cancellationToken);
        }

        /// <summary>The top-level sections in which two env.php arrays differ once the connector settings (and the arrays they alone fill) are left out.</summary>
        internal static string[] DifferencesOutsideConnectorSettings(PhpArray a, PhpArray b)
        {
            PhpArray left = WithoutConnectorSettings(a);
            PhpArray right = WithoutConnectorSettings(b);
            return left.Keys.Concat(right.Keys).Distinct()
                .Where(key => !left.ContainsKey(key) || !right.ContainsKey(key) || PhpVarExport.Export(left[key]) != PhpVarExport.Export(right[key]))
                .Select(key => key.ToString()!)
                .ToArray();
        }

        private static PhpArray WithoutConnectorSettings(PhpArray env)
        {
            PhpArray copy = env.DeepCopy();
            foreach (ConnectorPath path in ConnectorPaths.All)
            {
                RemovePath(copy, ("system/default/" + path.Path).Split('/'), 0);
            }

            return copy;
        }

        /// <summary>Removes the value at <paramref name="parts"/> and each array on the way that it leaves empty.</summary>
        private static void RemovePath(PhpArray array, string[] parts, int index)
        {
            if (!array.ContainsKey(parts[index]))
            {
                return;
            }

            if (index == parts.Length - 1)
            {
                array.Remove(parts[index]);
                return;
            }

            if (array[parts[index]] is PhpArray next)
            {
                RemovePath(next, parts, index + 1);
                if (next.Count == 0)
                {
                    array.Remove(parts[index]);
                }
            }
        }
    }
}
