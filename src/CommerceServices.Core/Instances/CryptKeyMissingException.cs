using System;

namespace CommerceServices.Instances
{
    /// <summary>The instance has no crypt/key, so secrets cannot be stored encrypted as Magento expects.</summary>
    public sealed class CryptKeyMissingException : InvalidOperationException
    {
        /// <summary>Creates the exception.</summary>
        public CryptKeyMissingException(string message)
            : base(message)
        {
        }
    }
}
