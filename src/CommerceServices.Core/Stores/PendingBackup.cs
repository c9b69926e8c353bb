using System;
using System.IO;

namespace CommerceServices.Stores
{
    /// <summary>A backup written under its pending name and held (locked) until the write it belongs to ends.</summary>
    internal sealed class PendingBackup : IDisposable
    {
        private FileStream? held;

        internal PendingBackup(string finalPath, FileStream held)
        {
            FinalPath = finalPath;
            this.held = held;
        }

        /// <summary>The name the backup gets once the write changed something.</summary>
        public string FinalPath { get; }

        private string PendingPath => FinalPath + ConfigBackups.PendingSuffix;

        /// <summary>
        /// The write changed something: the backup gets its final name, which is returned. Should the
        /// rename fail, the backup stays pending (the next write keeps it) and its pending name is returned.
        /// </summary>
        public string Keep()
        {
            if (held == null)
            {
                return File.Exists(FinalPath) ? FinalPath : PendingPath;
            }

            try
            {
                if (Environment.OSVersion.Platform == PlatformID.Win32NT)
                {
                    held.Dispose();
                    held = null;
                }

                File.Move(PendingPath, FinalPath);
                return FinalPath;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return PendingPath;
            }
            finally
            {
                held?.Dispose();
                held = null;
            }
        }

        /// <summary>The write failed and nothing was changed: the backup is deleted.</summary>
        public void Discard()
        {
            if (held == null)
            {
                return;
            }

            if (Environment.OSVersion.Platform == PlatformID.Win32NT)
            {
                held.Dispose();
                held = null;
            }

            File.Delete(PendingPath);
            held?.Dispose();
            held = null;
        }

        /// <summary>Releases the lock; a backup neither kept nor discarded stays pending for the next write to settle.</summary>
        public void Dispose()
        {
            held?.Dispose();
            held = null;
        }
    }
}
