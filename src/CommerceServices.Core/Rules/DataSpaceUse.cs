using System;
using System.Collections.Generic;
using System.Linq;

namespace CommerceServices.Rules
{
    /// <summary>
    /// R6, each instance its own data space: which instance (by path) uses which data space, as far as
    /// it is known. Safe to share between threads: a claim checks the other instances and records the
    /// new use in one step, so two instances written at the same time cannot both take one data space.
    /// </summary>
    public sealed class DataSpaceUse
    {
        private readonly object gate = new object();
        private readonly Dictionary<string, string?> dataSpaceOfInstance = new Dictionary<string, string?>(StringComparer.Ordinal);

        /// <summary>The data space <paramref name="instancePath"/> is known to use (null: none); false when it is not known.</summary>
        public bool TryGet(string instancePath, out string? dataSpaceId)
        {
            lock (gate)
            {
                return dataSpaceOfInstance.TryGetValue(instancePath, out dataSpaceId);
            }
        }

        /// <summary>Records what was read of an instance, unless something newer (a change or a claim) is known already.</summary>
        public void RecordRead(string instancePath, string? dataSpaceId)
        {
            lock (gate)
            {
                if (!dataSpaceOfInstance.ContainsKey(instancePath))
                {
                    dataSpaceOfInstance[instancePath] = dataSpaceId;
                }
            }
        }

        /// <summary>Records that <paramref name="instancePath"/> uses <paramref name="dataSpaceId"/> now (null: none).</summary>
        public void Record(string instancePath, string? dataSpaceId)
        {
            lock (gate)
            {
                dataSpaceOfInstance[instancePath] = dataSpaceId;
            }
        }

        /// <summary>
        /// Claims <paramref name="dataSpaceId"/> for <paramref name="instancePath"/> unless one of
        /// <paramref name="otherInstances"/> is known to use it; then false with that instance's path.
        /// </summary>
        public bool TryClaim(string instancePath, string dataSpaceId, IEnumerable<string> otherInstances, out string? usedBy)
        {
            lock (gate)
            {
                foreach (string other in otherInstances)
                {
                    if (!string.Equals(other, instancePath, StringComparison.Ordinal) && dataSpaceOfInstance.TryGetValue(other, out string? used) && used == dataSpaceId)
                    {
                        usedBy = other;
                        return false;
                    }
                }

                dataSpaceOfInstance[instancePath] = dataSpaceId;
                usedBy = null;
                return true;
            }
        }

        /// <summary>The other instances known to use <paramref name="dataSpaceId"/>, in path order.</summary>
        public IReadOnlyList<string> OthersUsing(string instancePath, string dataSpaceId)
        {
            lock (gate)
            {
                return dataSpaceOfInstance
                    .Where(use => use.Value == dataSpaceId && !string.Equals(use.Key, instancePath, StringComparison.Ordinal))
                    .Select(use => use.Key)
                    .OrderBy(path => path, StringComparer.Ordinal)
                    .ToArray();
            }
        }

        /// <summary>Forgets everything (a new pipeline reads afresh).</summary>
        public void Clear()
        {
            lock (gate)
            {
                dataSpaceOfInstance.Clear();
            }
        }
    }
}
