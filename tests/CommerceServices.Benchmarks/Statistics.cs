using System.Collections.Generic;
using System.Linq;

namespace CommerceServices.Benchmarks
{
    /// <summary>What the benchmarks report of repeated measurements.</summary>
    internal static class Statistics
    {
        /// <summary>The median; <paramref name="values"/> is left in its order (the micro ratios pair its rounds by index).</summary>
        public static double Median(IReadOnlyList<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            int middle = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }
}
