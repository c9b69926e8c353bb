using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using CommerceServices.Testing;

namespace CommerceServices.Benchmarks
{
    /// <summary>
    /// Testing and key rotation over PowerShell remoting over SSH (hosts x instances per host) against the
    /// same instances on one host: Measure-FleetRemoting.ps1 in the pinned pwsh, which starts the fleet
    /// tests' SSH hosts (tests/Pester/TestSshHosts.ps1), installs the module there from its .nupkg, runs
    /// examples/Fleet/Test-FleetConnection.ps1 and Set-FleetApiKey.ps1, then the same operations locally,
    /// and prints its table. It creates users and starts sshd, so it needs root and OpenSSH (as the fleet
    /// tests do), and the package (./build.ps1 -Task Build, Package); not part of 'all'.
    /// </summary>
    internal static class RemotingBenchmark
    {
        public static int Run(TextWriter output, int instancesPerHost, int hosts, int runs)
        {
            if (Environment.UserName != "root")
            {
                Console.Error.WriteLine("The remoting benchmark creates users and starts sshd: run it as root (this runs as " + Environment.UserName + ").");
                return 2;
            }

            string script = Path.Combine(AppContext.BaseDirectory, "Measure-FleetRemoting.ps1");
            ProcessStartInfo start = Pwsh.StartInfo("-NoProfile", "-NonInteractive", "-File", script,
                "-InstancesPerHost", instancesPerHost.ToString(CultureInfo.InvariantCulture),
                "-Hosts", hosts.ToString(CultureInfo.InvariantCulture),
                "-Runs", runs.ToString(CultureInfo.InvariantCulture));
            var watch = Stopwatch.StartNew();
            using Process pwsh = Process.Start(start) ?? throw new InvalidOperationException("pwsh did not start");
            var stderr = pwsh.StandardError.ReadToEndAsync();
            string? line;
            while ((line = pwsh.StandardOutput.ReadLine()) != null)
            {
                output.WriteLine(line);
                output.Flush();
            }

            pwsh.WaitForExit();
            string errors = stderr.Result;
            if (errors.Length > 0)
            {
                output.WriteLine(errors);
            }

            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  pwsh process {0:F1} s, exit code {1}", watch.Elapsed.TotalSeconds, pwsh.ExitCode));
            return pwsh.ExitCode == 0 ? 0 : 1;
        }
    }
}
