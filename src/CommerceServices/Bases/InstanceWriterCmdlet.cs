using System.Collections.Generic;
using System.Management.Automation;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell
{
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
                WriteInstance(instance, write);
            }
        }

        /// <summary>As <see cref="WriteEachInstance"/>, for one instance the record names itself (a backup names its instance).</summary>
        protected void WriteInstance(CommerceInstance instance, System.Action<CommerceInstance> write)
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

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            // Made here, on the pipeline thread: it reads the session's preferences.
            _ = Writer;
            ForEachConcurrently(queued, ThrottleLimit, write => write());
            queued.Clear();
        }
    }
}
