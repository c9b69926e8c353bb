using System;
using System.Collections.Generic;
using System.Management.Automation;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Stores;
using CommerceServices.Stores.Backups;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// The config-writing part of the cmdlets that change an instance: one write through the
    /// instance's store (one transaction or one atomic rename), reported the same way by every
    /// cmdlet (where the previous values are, the cache, OPcache, the configuration hash), its
    /// failure written as that instance's error with the id of its cause. A write makes the
    /// command's kept settings of the instance stale (<see cref="CommandSettings.Forget"/>).
    /// </summary>
    internal sealed class SettingsWriter
    {
        private readonly CommerceCmdlet cmdlet;
        private readonly CommandSettings settings;

        private readonly string command;
        private readonly int? retention;

        /// <remarks>Reads the retention preference once, here: create it on the pipeline thread.</remarks>
        public SettingsWriter(CommerceCmdlet cmdlet, CommandSettings settings)
        {
            this.cmdlet = cmdlet;
            this.settings = settings;
            command = cmdlet.MyInvocation.MyCommand.Name;
            retention = Retention(cmdlet);
        }

        /// <summary>Writes <paramref name="changes"/>; false after the error when nothing was written.</summary>
        /// <param name="deferConfigImport">The cmdlet's -DeferConfigImport: with the env.php store, write even when Magento's configuration hash cannot be brought up to date from here.</param>
        public bool TryWrite(CommerceInstance instance, IReadOnlyList<ConfigChange> changes, bool deferConfigImport) =>
            TryWrite(instance, token => SettingsStores.WriteAsync(instance, changes, deferConfigImport, token));

        /// <summary>Stores a key pair, encrypted with the instance's crypt key; false after the error when nothing was written.</summary>
        public bool TryStoreKeyPair(CommerceInstance instance, Keys.ApiKeyPair keyPair, bool deferConfigImport) =>
            TryWrite(instance, token => SettingsStores.SetApiKeyPairAsync(instance, keyPair, deferConfigImport, token));

        /// <summary>Puts a backup back (<see cref="ConfigRestorer"/>); false after the error when nothing was written.</summary>
        public bool TryRestore(CommerceInstance instance, ConfigBackup backup, IReadOnlyList<ConfigRestoreStep> steps, bool deferConfigImport) =>
            TryWrite(instance, token => ConfigRestorer.RestoreAsync(instance, backup, steps, deferConfigImport, token));

        private bool TryWrite(CommerceInstance instance, Func<System.Threading.CancellationToken, System.Threading.Tasks.Task<ConfigWriteResult>> write)
        {
            try
            {
                settings.Forget(instance);
                ConfigWriteResult result;
                using (ConfigWriteContext.Begin(command, retention))
                {
                    result = cmdlet.RunOperation((debug, token) => write(token));
                }
                Report(instance, result);
                return true;
            }
            catch (ConfigRestoreRefusedException ex)
            {
                cmdlet.WriteError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidOperation, instance));
                return false;
            }
            catch (Exception ex) when (ErrorRecords.IsInstanceFailure(ex))
            {
                cmdlet.WriteError(ErrorRecords.ForWrite(ex, instance));
                return false;
            }
        }

        /// <summary>The name of the preference variable that says how many backups of each kind to keep per instance.</summary>
        public const string RetentionPreference = "CommerceServicesBackupRetention";

        /// <summary>$CommerceServicesBackupRetention when set to a whole number of at least 1; else the default.</summary>
        private static int? Retention(CommerceCmdlet cmdlet) =>
            LanguagePrimitives.TryConvertTo(cmdlet.SessionState.PSVariable.GetValue(RetentionPreference), out int kept) && kept >= 1 ? kept : (int?)null;

        private void Report(CommerceInstance instance, ConfigWriteResult result)
        {
            cmdlet.WriteVerbose("Changed " + result.Changed + " setting(s) of " + instance.Path + " (" + instance.ConfigStore + "). Previous values: " + result.BackupPath + ". " + result.Cache.Message);
            if (result.Cache.Method == CacheCleanMethod.NotCleaned)
            {
                cmdlet.WriteWarning(result.Cache.Message);
            }

            if (instance.ConfigStore == ConfigStore.EnvPhp && instance.IsInstalled && string.Equals(instance.MageMode, "production", StringComparison.OrdinalIgnoreCase))
            {
                cmdlet.WriteWarning("app/etc/env.php of " + instance.Path + " changed. In production PHP's OPcache often does not re-read files (opcache.validate_timestamps=0): reload PHP-FPM (or reset OPcache) so the web servers see the new env.php.");
            }

            if (result.ConfigImportPending)
            {
                cmdlet.WriteWarning("app/etc/env.php of " + instance.Path + " changed and Magento's configuration hash could not be updated from here: run 'bin/magento app:config:import' on the instance now, or the storefront refuses requests.");
            }
        }
    }
}
