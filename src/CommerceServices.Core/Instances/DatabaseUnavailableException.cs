using System;

namespace CommerceServices.Instances
{
    /// <summary>The instance's database cannot be opened.</summary>
    public sealed class DatabaseUnavailableException : Exception
    {
        public DatabaseUnavailableException(string instancePath, string message, Exception? inner)
            : base(message, inner)
        {
            InstancePath = instancePath;
        }

        public string InstancePath { get; }
    }
}
