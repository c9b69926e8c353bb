using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Encryption;
using CommerceServices.Keys;

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
