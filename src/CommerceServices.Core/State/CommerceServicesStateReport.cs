using System.Collections.Generic;
using System.Linq;
using CommerceServices.Instances;

namespace CommerceServices.State
{
    /// <summary>Test-CommerceServicesState's answer for one instance: whether it is in the desired state, and what differs.</summary>
    public sealed class CommerceServicesStateReport
    {
        public CommerceServicesStateReport(CommerceInstance instance, string? statePath, IReadOnlyList<CommerceServicesStateDifference> differences)
        {
            Instance = instance;
            StatePath = statePath;
            Differences = differences.ToArray();
        }

        /// <summary>The instance compared.</summary>
        public CommerceInstance Instance { get; }

        /// <summary>The state file; null for a state given in memory.</summary>
        public string? StatePath { get; }

        /// <summary>True when nothing differs.</summary>
        public bool InDesiredState => Differences.Length == 0;

        /// <summary>What differs, in the order Set-CommerceServicesState applies it.</summary>
        public CommerceServicesStateDifference[] Differences { get; }

        /// <inheritdoc />
        public override string ToString() => Instance.Path + (InDesiredState ? ": in the desired state" : ": " + string.Join("; ", Differences.Select(d => d.ToString())));
    }
}
