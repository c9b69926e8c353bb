using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace CommerceServices.Instances
{
    /// <summary>
    /// Magento's command line (bin/magento) of an instance, run with the PHP of this machine: whether it may
    /// run here, and how it is started.
    /// </summary>
    internal static class BinMagento
    {
        /// <summary>The php executable on the PATH, or null.</summary>
        internal static string? FindPhp() =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
                .Where(folder => folder.Length > 0)
                .Select(folder => Path.Combine(folder, "php"))
                .FirstOrDefault(File.Exists);

        /// <summary>Whether bin/magento may run here (<see cref="WhyNotRunnable"/> has no reason against it).</summary>
        internal static bool CanRun(CommerceInstance instance) => WhyNotRunnable(instance) == null;

        /// <summary>
        /// Why bin/magento of <paramref name="instance"/> may not run here, in a sentence that ends without a full
        /// stop; null when it may: PHP is on the PATH, bin/magento exists, and this process runs as the owner of the
        /// instance's files (running it as another user, root above all, would leave files in var/ and generated/
        /// that the web server cannot write).
        /// </summary>
        internal static string? WhyNotRunnable(CommerceInstance instance)
        {
            if (FindPhp() == null)
            {
                return "PHP is not installed on this machine (no 'php' on the PATH), so Magento's bin/magento cannot run here";
            }

            string binMagento = InstanceFiles.BinMagento(instance.Path);
            if (!File.Exists(binMagento))
            {
                return "there is no bin/magento in " + instance.Path + " (only the instance's configuration files are here, not its code)";
            }

            if (Environment.OSVersion.Platform != PlatformID.Unix)
            {
                return null;
            }

            string envPhp = InstanceFiles.EnvPhp(instance.Path);
            uint owner;
            uint user;
            try
            {
                owner = OwnerOf(envPhp);
                user = Geteuid();
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException || ex is EntryPointNotFoundException || ex is DllNotFoundException)
            {
                return "the owner of " + envPhp + " could not be read here (" + ex.Message + "), and bin/magento must run as the owner of the instance's files";
            }

            if (owner == user)
            {
                return null;
            }

            return "this process runs as " + (user == 0 ? "root" : "user " + Environment.UserName) + " (uid " + user + "), but the instance's files belong to uid " + owner
                + " (owner of app/etc/env.php); bin/magento run as another user would leave files in var/ and generated/ that the web server cannot write";
        }

        /// <summary>
        /// How to start 'php bin/magento <paramref name="arguments"/>' in the instance's root: each argument handed
        /// to PHP as it is (no shell), output and errors redirected.
        /// </summary>
        internal static ProcessStartInfo StartInfo(CommerceInstance instance, IEnumerable<string> arguments)
        {
            string php = FindPhp() ?? throw new InvalidOperationException("PHP is not installed on this machine (no 'php' on the PATH), so bin/magento of " + instance.Path + " cannot run here.");
            var start = new ProcessStartInfo(php)
            {
                WorkingDirectory = instance.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = new UTF8Encoding(false),
                StandardErrorEncoding = new UTF8Encoding(false),
            };
            SetArguments(start, new[] { InstanceFiles.BinMagento(instance.Path) }.Concat(arguments));
            return start;
        }

        /// <summary>
        /// Everything a started process writes to its output and its error stream, read together (the error stream in the
        /// background), so a process that fills one pipe while the other is read cannot block both sides.
        /// </summary>
        internal static (string Output, string Error) ReadAll(Process process)
        {
            System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            return (output, error.GetAwaiter().GetResult());
        }

        /// <summary>
        /// Hands <paramref name="arguments"/> to the process one by one: through ProcessStartInfo.ArgumentList where the
        /// runtime has it (.NET Core 2.1 and later: PowerShell 7), else as one command line quoted by the rules the
        /// runtime splits it with (CommandLineToArgvW: Windows PowerShell on .NET Framework).
        /// </summary>
        internal static void SetArguments(ProcessStartInfo start, IEnumerable<string> arguments)
        {
            if (typeof(ProcessStartInfo).GetProperty("ArgumentList")?.GetValue(start) is Collection<string> list)
            {
                foreach (string argument in arguments)
                {
                    list.Add(argument);
                }

                return;
            }

            start.Arguments = string.Join(" ", arguments.Select(QuoteForCommandLine));
        }

        /// <summary>One argument quoted so CommandLineToArgvW reads it back unchanged (backslashes double only before a quote).</summary>
        internal static string QuoteForCommandLine(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
            {
                return argument;
            }

            var quoted = new StringBuilder("\"");
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }

                quoted.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes);
                backslashes = 0;
                quoted.Append(c);
            }

            return quoted.Append('\\', backslashes * 2).Append('"').ToString();
        }

        /// <summary>
        /// Ends <paramref name="process"/> and, where the runtime can (.NET Core 3.0 and later), every process it
        /// started; on .NET Framework the tree is ended with taskkill. A process that already ended is left alone.
        /// </summary>
        internal static void KillTree(Process process)
        {
            try
            {
                var killTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });
                if (killTree != null)
                {
                    killTree.Invoke(process, new object[] { true });
                    return;
                }

                if (Environment.OSVersion.Platform == PlatformID.Win32NT)
                {
                    using (Process taskkill = Process.Start(new ProcessStartInfo("taskkill", "/T /F /PID " + process.Id) { UseShellExecute = false, CreateNoWindow = true })!)
                    {
                        taskkill.WaitForExit();
                    }

                    return;
                }

                process.Kill();
            }
            catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is InvalidOperationException)
            {
                // The process ended on its own meanwhile.
            }
            catch (InvalidOperationException)
            {
                // The process ended on its own meanwhile.
            }
        }

        private static uint OwnerOf(string path)
        {
            var start = new ProcessStartInfo("stat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            SetArguments(start, new[] { "-c", "%u", path });
            using (Process process = Process.Start(start)!)
            {
                string output = process.StandardOutput.ReadToEnd().Trim();
                string error = process.StandardError.ReadToEnd().Trim();
                process.WaitForExit();
                return uint.TryParse(output, out uint uid) ? uid : throw new InvalidOperationException("stat gave no owner for " + path + (error.Length > 0 ? ": " + error : string.Empty));
            }
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint Geteuid();
    }
}
