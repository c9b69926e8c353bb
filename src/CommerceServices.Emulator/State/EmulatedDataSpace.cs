using System.Collections.Generic;

namespace CommerceServices.Emulator
{
    /// <summary>A SaaS data space ("environment" in the registry API).</summary>
    public sealed class EmulatedDataSpace
    {
        public string EnvironmentId { get; set; } = string.Empty;

        public string EnvironmentName { get; set; } = string.Empty;

        /// <summary><c>Production</c> or <c>Testing</c>.</summary>
        public string EnvironmentType { get; set; } = string.Empty;

        public string? CloudId { get; set; }

        public List<string> Features { get; set; } = new List<string>();
    }
}
