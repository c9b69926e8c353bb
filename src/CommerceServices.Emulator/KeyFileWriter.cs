using System;
using System.IO;

namespace CommerceServices.Emulator
{
    /// <summary>Saves an issued private key where only the current user can read it.</summary>
    internal static class KeyFileWriter
    {
        public static EmulatorKeyFile Write(IssuedKeyPair pair, string directory)
        {
            Directory.CreateDirectory(directory);
            string path = Path.Combine(Path.GetFullPath(directory), pair.MageId + "-" + pair.Environment.ToString().ToLowerInvariant() + ".pem");
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(pair.PrivateKeyPem);
            }

            File.WriteAllText(Path.ChangeExtension(path, ".apikey"), pair.ApiKey + "\n");
            return new EmulatorKeyFile(pair, path);
        }
    }
}
