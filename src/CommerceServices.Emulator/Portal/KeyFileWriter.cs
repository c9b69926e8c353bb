using System;
using System.IO;

namespace CommerceServices.Emulator
{
    /// <summary>Saves an issued private key where only the current user can read it.</summary>
    internal static class KeyFileWriter
    {
        /// <summary>
        /// Issues a pair through <paramref name="issue"/> and saves it. The file is created before
        /// the pair is issued, so a folder that cannot be written to fails before the account's
        /// previous pair is revoked.
        /// </summary>
        public static EmulatorKeyFile IssueInto(string directory, string mageId, EmulatorEnvironment environment, Func<IssuedKeyPair> issue)
        {
            Directory.CreateDirectory(directory);
            string path = PathFor(directory, mageId, environment);
            using (FileStream probe = Create(path))
            {
            }

            try
            {
                return Write(issue(), directory);
            }
            catch
            {
                File.Delete(path);
                throw;
            }
        }

        public static EmulatorKeyFile Write(IssuedKeyPair pair, string directory)
        {
            Directory.CreateDirectory(directory);
            string path = PathFor(directory, pair.MageId, pair.Environment);
            using (var writer = new StreamWriter(Create(path)))
            {
                writer.Write(pair.PrivateKeyPem);
            }

            File.WriteAllText(Path.ChangeExtension(path, ".apikey"), pair.ApiKey + "\n");
            return new EmulatorKeyFile(pair, path);
        }

        /// <summary>The file name comes from the MageID with anything but letters, digits, '-' and '_' replaced.</summary>
        private static string PathFor(string directory, string mageId, EmulatorEnvironment environment)
        {
            var name = new System.Text.StringBuilder(mageId.Length);
            foreach (char c in mageId)
            {
                name.Append(char.IsLetterOrDigit(c) || c == '-' || c == '_' ? c : '_');
            }

            return Path.Combine(Path.GetFullPath(directory), name + "-" + environment.ToString().ToLowerInvariant() + ".pem");
        }

        private static FileStream Create(string path)
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            return new FileStream(path, options);
        }
    }
}
