using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// The connector settings a command read of each instance, read once per instance per command and
    /// reused until the command writes to that instance (<see cref="Forget"/>). Only reads that reached the
    /// database are kept: a read the files alone answered holds only the paths it was asked about.
    /// Safe for the threads of -ThrottleLimit.
    /// </summary>
    internal sealed class CommandSettings
    {
        private readonly CommerceCmdlet cmdlet;
        private readonly ConcurrentDictionary<CommerceInstance, IReadOnlyList<ConnectorSetting>> read = new ConcurrentDictionary<CommerceInstance, IReadOnlyList<ConnectorSetting>>();

        public CommandSettings(CommerceCmdlet cmdlet)
        {
            this.cmdlet = cmdlet;
        }

        /// <summary>
        /// The instance's settings for work that needs <paramref name="neededPaths"/> (given what the files
        /// hold): as this command last read them, or read now.
        /// </summary>
        /// <exception cref="DatabaseUnavailableException">The paths are not all locked in the files and the database cannot be read.</exception>
        public IReadOnlyList<ConnectorSetting> Read(CommerceInstance instance, Func<IReadOnlyList<ConnectorSetting>, IEnumerable<string>> neededPaths)
        {
            if (read.TryGetValue(instance, out IReadOnlyList<ConnectorSetting>? known))
            {
                return known;
            }

            IReadOnlyList<ConnectorSetting> settings = cmdlet.RunOperation((debug, token) => ConnectorConfigReader.ReadAsync(instance, neededPaths, token));
            if (settings.Any(s => s.Layer == ConfigLayer.Database || Array.IndexOf(s.ShadowedLayers, ConfigLayer.Database) >= 0))
            {
                read[instance] = settings;
            }

            return settings;
        }

        /// <summary>The current settings of the given paths (<see cref="Read"/>).</summary>
        public IEnumerable<ConnectorSetting> Of(CommerceInstance instance, params string[] paths) =>
            Read(instance, _ => paths).Where(s => Array.IndexOf(paths, s.Path) >= 0);

        /// <summary>
        /// Reads every setting afresh (not kept), without the database when <paramref name="skipDatabase"/>;
        /// false after a DatabaseUnavailable error that offers -SkipDatabase.
        /// </summary>
        public bool TryReadAll(CommerceInstance instance, bool skipDatabase, out IReadOnlyList<ConnectorSetting> settings)
        {
            try
            {
                settings = cmdlet.RunOperation((debug, token) => ConnectorConfigReader.ReadAsync(instance, null, !skipDatabase, token));
                return true;
            }
            catch (DatabaseUnavailableException ex)
            {
                cmdlet.WriteError(new System.Management.Automation.ErrorRecord(
                    new InvalidOperationException(ex.Message + " To see the values of the files and environment variables alone, add -SkipDatabase.", ex),
                    "DatabaseUnavailable",
                    System.Management.Automation.ErrorCategory.ConnectionError,
                    instance));
                settings = Array.Empty<ConnectorSetting>();
                return false;
            }
        }

        /// <summary>
        /// The key pair of the instance's active environment (or of <paramref name="environment"/>), with the
        /// gateway it is configured for; null after writing why there is none.
        /// </summary>
        public GatewayCredentials? KeyPairOf(CommerceInstance instance, GatewayEnvironment? environment = null)
        {
            try
            {
                IReadOnlyList<ConnectorSetting> settings = Read(
                    instance,
                    files => environment.HasValue
                        ? ConnectorPaths.KeyPairPaths(environment.Value)
                        : ConnectorPaths.KeyPairPaths(StoredKeyPairs.ActiveEnvironment(files)).Append(ConnectorPaths.GatewayEnvironment));
                return StoredKeyPairs.From(instance, settings, environment);
            }
            catch (Exception ex) when (ErrorRecords.ForStoredKeyPair(ex, instance) != null)
            {
                cmdlet.WriteError(ErrorRecords.ForStoredKeyPair(ex, instance)!);
                return null;
            }
        }

        /// <summary>Makes the next read of <paramref name="instance"/> go to its store again (it is being written).</summary>
        public void Forget(CommerceInstance instance) => read.TryRemove(instance, out _);
    }
}
