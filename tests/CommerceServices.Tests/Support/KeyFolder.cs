using System;
using System.IO;
using System.Net;
using System.Security;

namespace CommerceServices.Tests.Support
{
    /// <summary>A temporary folder of key files, deleted with everything in it.</summary>
    public sealed class KeyFolder : IDisposable
    {
        public KeyFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cs-engine-" + Guid.NewGuid().ToString("n"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Write(string name, string content)
        {
            string file = System.IO.Path.Combine(Path, name);
            File.WriteAllText(file, content);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);

        /// <summary>A SecureString holding <paramref name="text"/>, as a vault or Read-Host would return it.</summary>
        public static SecureString Secure(string text) => new NetworkCredential(string.Empty, text).SecurePassword;
    }
}
