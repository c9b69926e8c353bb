using System;
using System.IO;

namespace CommerceServices.Stores
{
    /// <summary>Creates files only their owner can read (the backups hold encrypted keys).</summary>
    internal static class OwnerOnlyFile
    {
        public static void Write(string path, byte[] content)
        {
            // Restrict the empty file first, so the content is never readable by others.
            File.WriteAllBytes(path, new byte[0]);
            if ((Environment.OSVersion.Platform == PlatformID.Unix || Environment.OSVersion.Platform == PlatformID.MacOSX) && Chmod(path, Convert.ToInt32("600", 8)) != 0)
            {
                File.Delete(path);
                throw new IOException("Cannot restrict the permissions of '" + path + "' to its owner.");
            }

            File.WriteAllBytes(path, content);
        }

        /// <summary>
        /// Creates <paramref name="path"/> (which must not exist) owner-only, writes and flushes
        /// <paramref name="content"/> to the disk, and returns it still open with an exclusive lock,
        /// so other writes can tell that its writer is alive.
        /// </summary>
        public static FileStream CreateHeld(string path, byte[] content)
        {
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            try
            {
                if ((Environment.OSVersion.Platform == PlatformID.Unix || Environment.OSVersion.Platform == PlatformID.MacOSX) && Chmod(path, Convert.ToInt32("600", 8)) != 0)
                {
                    throw new IOException("Cannot restrict the permissions of '" + path + "' to its owner.");
                }

                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
                return stream;
            }
            catch
            {
                stream.Dispose();
                File.Delete(path);
                throw;
            }
        }

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true, EntryPoint = "chmod")]
        private static extern int Chmod(string path, int mode);
    }
}
