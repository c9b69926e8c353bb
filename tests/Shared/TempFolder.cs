using System;
using System.IO;
using System.Net;
using System.Security;

namespace CommerceServices.Testing
{
    /// <summary>A private temporary folder for one test, deleted with everything in it.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cs-tests-" + Guid.NewGuid().ToString("n"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        /// <summary>Writes a file into the folder and returns its full path.</summary>
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
