using System;

namespace CommerceServices.Instances
{
    /// <summary>The instance has no usable key pair for the environment asked for.</summary>
    public sealed class StoredKeyPairMissingException : Exception
    {
        public StoredKeyPairMissingException(string message)
            : base(message)
        {
        }
    }
}
