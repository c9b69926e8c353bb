using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Encryption;
using CommerceServices.Keys;

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
