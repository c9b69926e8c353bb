using System.Collections.Generic;

namespace CommerceServices.Emulator
{
    /// <summary>A SaaS project with its data spaces, owned by one account in one gateway environment.</summary>
    public sealed class EmulatedProject
    {
        public string ProjectId { get; set; } = string.Empty;

        public string ProjectName { get; set; } = string.Empty;

        public string MageId { get; set; } = string.Empty;

        public EmulatorEnvironment Environment { get; set; }

        public List<EmulatedDataSpace> DataSpaces { get; set; } = new List<EmulatedDataSpace>();
    }
}
