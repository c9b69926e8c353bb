using System;
using System.IO;
using System.Runtime.InteropServices;

namespace CommerceServices.Stores
{
    /// <summary>The file a write of env.php replaces: env.php itself, or the final target of a symbolic link to it.</summary>
    internal static class EnvPhpTarget
    {
        private const int ENOENT = 2;
        private const int ELOOP = 40;

        /// <summary>
        /// The final target of <paramref name="file"/> when it is a symbolic link (a chain of links
        /// followed to its end, relative targets read from the link's folder), else the file itself.
        /// </summary>
        /// <exception cref="FileNotFoundException">The link leads nowhere (dangling) or cannot be followed.</exception>
        public static string Resolve(string file, string description)
        {
            string? link = ReadLink(file);
            if (link == null)
            {
                return file;
            }

            string? target = RealPath(file, out int errno);
            if (target == null)
            {
                string why = errno == ENOENT ? "which does not exist (a dangling link)"
                    : errno == ELOOP ? "which leads into a loop of links"
                    : "which cannot be followed (" + new System.ComponentModel.Win32Exception(errno).Message + ")";
                throw new FileNotFoundException(description + " is a symbolic link to '" + link + "', " + why + ". Point the link at the shared env.php (or put the file there) and try again. Nothing was changed.", file);
            }

            if (!File.Exists(target))
            {
                throw new FileNotFoundException(description + " is a symbolic link to '" + link + "', which is not a file ('" + target + "'). Nothing was changed.", file);
            }

            return target;
        }

        /// <summary>As <see cref="Resolve"/>, or null when the link cannot be followed.</summary>
        public static string? TryResolve(string file)
        {
            try
            {
                return Resolve(file, file);
            }
            catch (IOException)
            {
                return null;
            }
        }

        /// <summary>The target written in the link, or null when <paramref name="file"/> is not a symbolic link (or not on Unix).</summary>
        internal static string? ReadLink(string file)
        {
            if (!(Environment.OSVersion.Platform == PlatformID.Unix || Environment.OSVersion.Platform == PlatformID.MacOSX))
            {
                return null;
            }

            var buffer = new byte[4096];
            long length = readlink(file, buffer, (IntPtr)buffer.Length).ToInt64();
            return length < 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length);
        }

        private static string? RealPath(string file, out int errno)
        {
            IntPtr resolved = realpath(file, IntPtr.Zero);
            if (resolved == IntPtr.Zero)
            {
                errno = Marshal.GetLastWin32Error();
                return null;
            }

            try
            {
                errno = 0;
                return Marshal.PtrToStringAnsi(resolved);
            }
            finally
            {
                free(resolved);
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr readlink(string path, byte[] buffer, IntPtr size);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr realpath(string path, IntPtr resolved);

        [DllImport("libc")]
        private static extern void free(IntPtr pointer);
    }
}
