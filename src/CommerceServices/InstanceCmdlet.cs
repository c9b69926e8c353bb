using System.Collections.Generic;
using System.Management.Automation;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Base of the cmdlets that work on a connected instance: -Instance (from the pipeline too),
    /// or this session's default instance. Every such cmdlet can be given its instance explicitly,
    /// so it works in parallel runspaces.
    /// </summary>
    public abstract class InstanceCmdlet : CommerceCmdlet
    {
        /// <summary>The instances to work on; without it, the session's default instance.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public CommerceInstance[]? Instance { get; set; }

        /// <summary>
        /// The instances of the current record, or the default one. No connection at all is an
        /// invalid invocation (terminating), with the command that fixes it.
        /// </summary>
        protected IEnumerable<CommerceInstance> ResolveInstances()
        {
            if (Instance != null)
            {
                foreach (CommerceInstance instance in Instance)
                {
                    if (!instance.IsOpen)
                    {
                        WriteError(new System.InvalidOperationException("The connection to " + instance.Path + " was closed with Disconnect-CommerceInstance. Connect again with Connect-CommerceInstance -Path '" + instance.Path + "'."), "InstanceDisconnected", ErrorCategory.ConnectionError, instance);
                        continue;
                    }

                    yield return instance;
                }

                yield break;
            }

            yield return DefaultInstanceOrThrow();
        }

        /// <summary>
        /// Writes connector settings of one instance through its store; failures become error
        /// records. Returns false when nothing was written.
        /// </summary>
        protected bool TryWriteSettings(CommerceInstance instance, IReadOnlyList<ConfigChange> changes)
        {
            if (instance.ConfigStore != ConfigStore.Database)
            {
                WriteError(
                    new System.NotSupportedException("Writing to app/etc/env.php (-ConfigStore EnvPhp) is not supported yet. Connect with -ConfigStore Database, or run 'bin/magento config:set --lock-env' on the instance."),
                    "ConfigStoreNotSupported",
                    ErrorCategory.NotImplemented,
                    instance);
                return false;
            }

            try
            {
                ConfigWriteResult result = RunOperation((debug, token) => DatabaseConfigWriter.WriteAsync(instance, changes, null, token));
                WriteVerbose("Changed " + result.Changed + " setting(s) of " + instance.Path + ". Previous values: " + result.BackupPath + ". " + result.Cache.Message);
                if (result.Cache.Method == CacheCleanMethod.NotCleaned)
                {
                    WriteWarning(result.Cache.Message);
                }

                return true;
            }
            catch (ConfigValueShadowedException ex)
            {
                WriteError(ex, "ConfigValueShadowed", ErrorCategory.InvalidOperation, instance);
            }
            catch (DatabaseUnavailableException ex)
            {
                WriteError(ex, "DatabaseUnavailable", ErrorCategory.ConnectionError, instance);
            }

            return false;
        }

        /// <summary>The current settings of the given paths, for -PassThru.</summary>
        protected IEnumerable<ConnectorSetting> SettingsOf(CommerceInstance instance, params string[] paths)
        {
            IReadOnlyList<ConnectorSetting> settings = RunOperation((debug, token) => ConnectorConfigReader.ReadAsync(instance, null, true, token));
            return System.Linq.Enumerable.Where(settings, s => System.Array.IndexOf(paths, s.Path) >= 0);
        }

        /// <summary>Writes a database failure as a non-terminating error.</summary>
        protected void WriteDatabaseError(DatabaseUnavailableException exception, CommerceInstance instance, string? hint = null) =>
            WriteError(new System.InvalidOperationException(exception.Message + (hint ?? string.Empty), exception), "DatabaseUnavailable", ErrorCategory.ConnectionError, instance);
    }
}
