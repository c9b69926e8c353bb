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
        protected bool TryWriteSettings(CommerceInstance instance, IReadOnlyList<ConfigChange> changes, bool deferConfigImport)
        {
            try
            {
                settingsRead.TryRemove(instance, out _);
                ConfigWriteResult result = RunOperation((debug, token) => InstanceConfigWriter.WriteAsync(instance, changes, deferConfigImport, token));
                ReportWrite(instance, result);
                return true;
            }
            catch (System.Exception ex) when (IsWriteFailure(ex))
            {
                WriteWriteError(ex, instance);
                return false;
            }
        }

        // What this command read of each instance, reused until it writes to that instance: settings are read once per
        // instance per command. Only reads that reached the database are kept (a files-only read answers for the paths
        // it was asked about alone).
        private readonly System.Collections.Concurrent.ConcurrentDictionary<CommerceInstance, IReadOnlyList<ConnectorSetting>> settingsRead =
            new System.Collections.Concurrent.ConcurrentDictionary<CommerceInstance, IReadOnlyList<ConnectorSetting>>();

        /// <summary>
        /// The instance's settings for work that needs <paramref name="neededPaths"/>: as this command last read them, or read
        /// now (<see cref="ConnectorConfigReader.ReadAsync(CommerceInstance, System.Func{IReadOnlyList{ConnectorSetting}, IEnumerable{string}}, System.Threading.CancellationToken)"/>).
        /// </summary>
        protected IReadOnlyList<ConnectorSetting> ReadSettings(CommerceInstance instance, System.Func<IReadOnlyList<ConnectorSetting>, IEnumerable<string>> neededPaths)
        {
            if (settingsRead.TryGetValue(instance, out IReadOnlyList<ConnectorSetting>? known))
            {
                return known;
            }

            IReadOnlyList<ConnectorSetting> settings = RunOperation((debug, token) => ConnectorConfigReader.ReadAsync(instance, neededPaths, token));
            if (System.Linq.Enumerable.Any(settings, s => s.Layer == ConfigLayer.Database || System.Array.IndexOf(s.ShadowedLayers, ConfigLayer.Database) >= 0))
            {
                settingsRead[instance] = settings;
            }

            return settings;
        }

        /// <summary>The key pair of the instance's active environment, or null after writing why there is none.</summary>
        protected InstanceKeyPair? StoredKeysOf(CommerceInstance instance)
        {
            try
            {
                IReadOnlyList<ConnectorSetting> settings = ReadSettings(
                    instance,
                    files => System.Linq.Enumerable.Append(ConnectorPaths.KeyPairPaths(InstanceKeyPairs.ActiveEnvironment(files)), ConnectorPaths.GatewayEnvironment));
                return InstanceKeyPairs.From(instance, settings, null);
            }
            catch (StoredKeyPairMissingException ex)
            {
                WriteError(ex, "StoredKeyPairMissing", ErrorCategory.ObjectNotFound, instance);
            }
            catch (DatabaseUnavailableException ex)
            {
                WriteError(ex, "DatabaseUnavailable", ErrorCategory.ConnectionError, instance);
            }
            catch (System.ArgumentException ex)
            {
                // The instance's gateway settings contradict each other (several CONFIG__ variables with different values).
                WriteError(ex, "InvalidGatewayUri", ErrorCategory.InvalidData, instance);
            }

            return null;
        }

        /// <summary>
        /// The current settings of the given paths; without the database only when they are all
        /// locked in the files (else <see cref="DatabaseUnavailableException"/>).
        /// </summary>
        protected IEnumerable<ConnectorSetting> SettingsOf(CommerceInstance instance, params string[] paths)
        {
            IReadOnlyList<ConnectorSetting> settings = ReadSettings(instance, _ => paths);
            return System.Linq.Enumerable.Where(settings, s => System.Array.IndexOf(paths, s.Path) >= 0);
        }

        /// <summary>Reads the connector settings; false after writing a DatabaseUnavailable error that offers -SkipDatabase.</summary>
        protected bool TryReadSettings(CommerceInstance instance, bool skipDatabase, out IReadOnlyList<ConnectorSetting> settings)
        {
            try
            {
                settings = RunOperation((debug, token) => ConnectorConfigReader.ReadAsync(instance, null, !skipDatabase, token));
                return true;
            }
            catch (DatabaseUnavailableException ex)
            {
                WriteError(
                    new System.InvalidOperationException(ex.Message + " To see the values of the files and environment variables alone, add -SkipDatabase.", ex),
                    "DatabaseUnavailable",
                    ErrorCategory.ConnectionError,
                    instance);
                settings = System.Array.Empty<ConnectorSetting>();
                return false;
            }
        }
    }

    /// <summary>
    /// Base of the cmdlets that change connector settings of each instance they are given: -ThrottleLimit
    /// instances are written at once (each on its own, in its own transaction or atomic rename, as when
    /// written alone). With the default of 1, each instance is written as its record arrives; with more, the
    /// instances of every record are written together after the last record, and report as they finish.
    /// </summary>
    public abstract class InstanceWriterCmdlet : InstanceCmdlet
    {
        private readonly List<System.Action> queued = new List<System.Action>();

        /// <summary>How many instances are written at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        /// <summary>
        /// Writes each instance of the current record with <paramref name="write"/>, now or (with -ThrottleLimit
        /// above 1) after the last record. <paramref name="write"/> must take what it needs of the record's
        /// parameters from its closure, not from the parameter properties, which the next record changes.
        /// </summary>
        protected void WriteEachInstance(System.Action<CommerceInstance> write)
        {
            foreach (CommerceInstance instance in ResolveInstances())
            {
                if (ThrottleLimit == 1)
                {
                    write(instance);
                }
                else
                {
                    queued.Add(() => write(instance));
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            ForEachConcurrently(queued, ThrottleLimit, write => write());
            queued.Clear();
        }
    }
}
