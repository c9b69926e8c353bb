using System.Collections.Generic;
using System.Management.Automation;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Base of the cmdlets that work on a connected instance: -Instance (from the pipeline too),
    /// or this session's default instance. Every such cmdlet can be given its instance explicitly,
    /// so it works in parallel runspaces. Settings are read through <see cref="Settings"/> (once per
    /// instance per command) and written through <see cref="Writer"/>.
    /// </summary>
    public abstract class InstanceCmdlet : CommerceCmdlet
    {
        private CommandSettings? settings;
        private SettingsWriter? writer;

        /// <summary>
        /// The instances to work on; without it, the session's default instance. Virtual so that a cmdlet can bind it
        /// differently (Start-CommerceDataExportResync also takes it by property name).
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public virtual CommerceInstance[]? Instance { get; set; }

        /// <summary>The settings this command read of each instance.</summary>
        internal CommandSettings Settings => settings ??= new CommandSettings(this);

        /// <summary>Writes settings of an instance through its store, reporting as every cmdlet does.</summary>
        internal SettingsWriter Writer => writer ??= new SettingsWriter(this, Settings);

        /// <summary>
        /// The instances of the current record, or the default one. No connection at all is an
        /// invalid invocation (terminating), with the command that fixes it.
        /// </summary>
        protected IEnumerable<CommerceInstance> ResolveInstances()
        {
            if (Instance == null)
            {
                yield return DefaultInstanceOrThrow();
                yield break;
            }

            foreach (CommerceInstance instance in Instance)
            {
                if (IsOpen(instance))
                {
                    yield return instance;
                }
            }
        }

        /// <summary>False after the InstanceDisconnected error when the instance was closed with Disconnect-CommerceInstance.</summary>
        internal bool IsOpen(CommerceInstance instance)
        {
            if (!instance.IsOpen)
            {
                WriteError(ErrorRecords.Disconnected(instance));
            }

            return instance.IsOpen;
        }
    }
}
