using System;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using CommerceServices.Instances;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Instances
{
    public sealed class CommerceInstanceReaderTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        [Fact]
        public void APathThatIsAFileIsReportedAsAFileNotAsAMissingFolder()
        {
            string file = folder.Write("composer.json", "{}");

            NotACommerceInstanceException error = Assert.Throws<NotACommerceInstanceException>(() => CommerceInstanceReader.Open(file));

            Assert.Equal("'" + file + "' is a file, not a folder. Pass the Magento root folder: the one that holds app/, bin/ and composer.json.", error.Message);
            Assert.Equal(file, error.Path);
        }

        [Fact]
        public void AMissingFolderIsStillReportedAsMissing()
        {
            string missing = Path.Combine(folder.Path, "nowhere");

            DirectoryNotFoundException error = Assert.Throws<DirectoryNotFoundException>(() => CommerceInstanceReader.Open(missing));

            Assert.Equal("The folder '" + missing + "' does not exist.", error.Message);
        }

        [Fact]
        public void AFolderWithoutEnvPhpIsStillNotAMagentoRoot()
        {
            Directory.CreateDirectory(Path.Combine(folder.Path, "empty", "app", "etc"));

            NotACommerceInstanceException error = Assert.Throws<NotACommerceInstanceException>(() => CommerceInstanceReader.Open(Path.Combine(folder.Path, "empty")));

            Assert.Contains("is not a Magento root: it has no app/etc/env.php", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AnEnvPhpThisAccountMayNotReadIsReportedAsPermissionDenied()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            string root = new SampleInstance().WriteTo(Path.Combine(folder.Path, "shop"));
            string env = Path.Combine(root, "app", "etc", "env.php");
            File.SetUnixFileMode(env, UnixFileMode.None);

            UnauthorizedAccessException error = Assert.Throws<UnauthorizedAccessException>(() => WithoutRootPrivileges.Run(() => CommerceInstanceReader.Open(root)));

            Assert.StartsWith("Permission denied on app/etc/env.php of '" + root + "': this account may not read the file.", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AnAppEtcThisAccountMayNotSearchIsReportedAsPermissionDeniedNotAsNoMagentoRoot()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            string root = new SampleInstance().WriteTo(Path.Combine(folder.Path, "shop"));
            string etc = Path.Combine(root, "app", "etc");
            File.SetUnixFileMode(etc, UnixFileMode.None);
            try
            {
                UnauthorizedAccessException error = Assert.Throws<UnauthorizedAccessException>(() => WithoutRootPrivileges.Run(() => CommerceInstanceReader.Open(root)));

                Assert.StartsWith("Permission denied on app/etc/env.php of '" + root + "': this account may not search the folder app/etc/ that holds it.", error.Message, StringComparison.Ordinal);
            }
            finally
            {
                File.SetUnixFileMode(etc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    /// <summary>
    /// Runs code on a thread of its own that file permissions apply to. The tests may run as root,
    /// which reads any file: such a thread drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from its
    /// effective capabilities (Linux capabilities are per thread, so the rest of the test run keeps
    /// them), after which root is refused a file or folder whose mode denies its owner, as any account is.
    /// </summary>
    internal static class WithoutRootPrivileges
    {
        private const uint Version3 = 0x20080522;
        private const int CapDacOverride = 1;
        private const int CapDacReadSearch = 2;

        public static void Run(Action action)
        {
            Exception? failure = null;
            var thread = new Thread(() =>
            {
                try
                {
                    if (geteuid() == 0)
                    {
                        DropFileCapabilities();
                    }

                    action();
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            });
            thread.Start();
            thread.Join();
            if (failure != null)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }

        private static void DropFileCapabilities()
        {
            var header = new CapHeader { Version = Version3, Pid = 0 };
            var data = new CapData[2];
            if (capget(ref header, data) != 0)
            {
                throw new InvalidOperationException("capget failed: " + Marshal.GetLastWin32Error());
            }

            data[0].Effective &= ~((1u << CapDacOverride) | (1u << CapDacReadSearch));
            if (capset(ref header, data) != 0)
            {
                throw new InvalidOperationException("capset failed: " + Marshal.GetLastWin32Error());
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct CapHeader
        {
            public uint Version;
            public int Pid;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct CapData
        {
            public uint Effective;
            public uint Permitted;
            public uint Inheritable;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int capget(ref CapHeader header, [In, Out] CapData[] data);

        [DllImport("libc", SetLastError = true)]
        private static extern int capset(ref CapHeader header, CapData[] data);

        [DllImport("libc")]
        private static extern uint geteuid();
    }
}
