using System.Collections.Generic;
using System.Linq;
using CommerceServices.Instances;

namespace CommerceServices.State
{
    /// <summary>Set-CommerceServicesState's outcome for one instance (-PassThru, and each entry of -AsJson).</summary>
    public sealed class CommerceServicesStateResult
    {
        public CommerceServicesStateResult(CommerceInstance? instance, string? instancePath, string? statePath, CommerceServicesStateStatus status, IReadOnlyList<CommerceServicesStateDifference> differences, IReadOnlyList<string> errors, IReadOnlyList<string> warnings)
        {
            Instance = instance;
            InstancePath = instance?.Path ?? instancePath;
            StatePath = statePath;
            Status = status;
            Differences = differences.ToArray();
            Errors = errors.ToArray();
            Warnings = warnings.ToArray();
        }

        /// <summary>The instance; null when it could not be opened.</summary>
        public CommerceInstance? Instance { get; }

        /// <summary>The instance's Magento root (also when it could not be opened).</summary>
        public string? InstancePath { get; }

        /// <summary>The state file; null for a state given in memory.</summary>
        public string? StatePath { get; }

        /// <summary>What was done.</summary>
        public CommerceServicesStateStatus Status { get; }

        /// <summary>True when settings were written.</summary>
        public bool Changed => Status == CommerceServicesStateStatus.Changed;

        /// <summary>What differed (and was written, when <see cref="Changed"/>).</summary>
        public CommerceServicesStateDifference[] Differences { get; }

        /// <summary>The messages of the errors written for this instance.</summary>
        public string[] Errors { get; }

        /// <summary>The warnings written for this instance (with -AsJson, written here only).</summary>
        public string[] Warnings { get; }

        /// <inheritdoc />
        public override string ToString() => (InstancePath ?? StatePath ?? "(state)") + ": " + Status
            + (Differences.Length == 0 ? string.Empty : " (" + string.Join("; ", Differences.Select(d => d.ToString())) + ")");
    }
}
