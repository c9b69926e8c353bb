using System.Net;

namespace CommerceServices.Emulator
{
    /// <summary>Settings of an emulator.</summary>
    public sealed class EmulatorOptions
    {
        /// <summary>The address to listen on. Loopback unless said otherwise.</summary>
        public IPAddress Address { get; set; } = IPAddress.Loopback;

        /// <summary>The production gateway's port; 0 picks a free one.</summary>
        public int ProductionPort { get; set; }

        /// <summary>The sandbox gateway's port; 0 picks a free one.</summary>
        public int SandboxPort { get; set; }

        /// <summary>A JSON file to keep the state in, so a stopped emulator resumes; null keeps it in memory.</summary>
        public string? StatePath { get; set; }
    }
}
