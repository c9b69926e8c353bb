using System;

namespace CommerceServices.Instances
{
    /// <summary>The folder is not the root of a Magento installation.</summary>
    public sealed class NotACommerceInstanceException : Exception
    {
        public NotACommerceInstanceException(string path, string message)
            : base(message)
        {
            Path = path;
        }

        public string Path { get; }
    }
}
