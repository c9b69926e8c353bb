using System;

namespace CommerceServices.Instances
{
    /// <summary>The env.php store cannot keep the instance out of the "configuration file has changed" state.</summary>
    public sealed class ConfigHashNotUpdatableException : Exception
    {
        public ConfigHashNotUpdatableException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }
}
