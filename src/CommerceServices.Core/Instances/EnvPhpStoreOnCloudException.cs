using System;

namespace CommerceServices.Instances
{
    /// <summary>
    /// The env.php store was asked for on an Adobe Commerce on Cloud instance, where ece-tools manages
    /// app/etc/env.php on every deploy; the message names the alternatives (<see cref="Rules.CloudConfigStore"/>).
    /// </summary>
    public sealed class EnvPhpStoreOnCloudException : InvalidOperationException
    {
        /// <summary>Creates the exception.</summary>
        public EnvPhpStoreOnCloudException(string path, string message)
            : base(message)
        {
            Path = path;
        }

        /// <summary>The instance's root folder.</summary>
        public string Path { get; }
    }
}
