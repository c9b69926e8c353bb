using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommerceServices.Testing;

namespace CommerceServices.Benchmarks
{
    /// <summary>
    /// The fleet run end to end, as a user runs it: a new pwsh process (the pinned .NET tool) runs
    /// Invoke-FleetProvisioning.ps1 over N instances that share one MariaDB database, each with its own
    /// table prefix, against the gateway emulator running as its own process. Each run starts from
    /// fresh instances, a fresh database and a fresh emulator; the figure is the wall time of the pwsh
    /// process, start to exit, with its CPU time and peak working set.
    /// </summary>
    internal static class FleetBenchmark
    {
        public static void Run(TextWriter output, int instances, int runs)
        {
            output.WriteLine($"Fleet: connect, store both key pairs, create a project, choose a data space and test {instances} instances; {runs} runs, {Environment.ProcessorCount} cores");
            using MariaDbServer server = MariaDbServer.Start();
            var wall = new List<double>();
            var peaks = new List<long>();
            for (int run = 1; run <= runs; run++)
            {
                using var folder = new TempFolder();
                using var emulator = EmulatorProcess.Start(Path.Combine(folder.Path, "keys"));
                string shops = Path.Combine(folder.Path, "shops");
                WriteInstances(server, "fleet_run" + run.ToString(CultureInfo.InvariantCulture), shops, instances, emulator);

                var (seconds, json) = RunWorkload(shops, emulator);
                using JsonDocument result = JsonDocument.Parse(json);
                JsonElement root = result.RootElement;
                long peak = root.GetProperty("peakWorkingSet").GetInt64();
                wall.Add(seconds);
                peaks.Add(peak);
                string steps = string.Join(", ", root.GetProperty("steps").EnumerateObject().Select(s => s.Name + " " + s.Value.GetDouble().ToString("F1", CultureInfo.InvariantCulture) + " s"));
                output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "  run {0}: {1,6:F1} s wall, {2,6:F1} s CPU in pwsh ({3:F1} s JIT, {4} methods), peak working set {5:F0} MB ({6})",
                    run, seconds, root.GetProperty("cpuSeconds").GetDouble(), root.GetProperty("jitSeconds").GetDouble(), root.GetProperty("jitMethods").GetInt64(), peak / 1048576.0, steps));
            }

            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  median {0:F1} s end to end for {1} instances (best {2:F1} s); peak working set {3:F0} MB (median)",
                Statistics.Median(wall), instances, wall.Min(), Statistics.Median(peaks.Select(p => (double)p).ToList()) / 1048576.0));
        }

        /// <summary>N instance folders on one database: a table prefix each, gateway URLs pointing at the emulator.</summary>
        private static void WriteInstances(MariaDbServer server, string database, string shops, int count, EmulatorProcess emulator)
        {
            server.Sql("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
            const int PerBatch = 100;   // one mariadb client call per batch; one argument stays under Linux's 128 KB
            for (int first = 0; first < count; first += PerBatch)
            {
                var sql = new StringBuilder();
                for (int i = first; i < Math.Min(count, first + PerBatch); i++)
                {
                    string prefix = Prefix(i);
                    sql.Append(MagentoDatabase.TablesSql(prefix));
                    sql.Append("INSERT INTO ").Append(prefix).Append("core_config_data (scope, scope_id, path, value) VALUES ")
                        .Append("('default', 0, 'services_connector/production_gateway_url', '").Append(emulator.ProductionUri).Append("'), ")
                        .Append("('default', 0, 'services_connector/sandbox_gateway_url', '").Append(emulator.SandboxUri).Append("');");
                }

                server.Sql(sql.ToString(), database);
            }

            for (int i = 0; i < count; i++)
            {
                // The sample has no 'system' section, so there is no configuration hash to store.
                new SampleInstance { TablePrefix = Prefix(i), FilesImported = false }
                    .UseDatabase(server, database)
                    .WriteTo(Path.Combine(shops, "shop" + i.ToString("D4", CultureInfo.InvariantCulture)));
            }
        }

        private static string Prefix(int i) => "s" + i.ToString("D4", CultureInfo.InvariantCulture) + "_";

        private static (double Seconds, string Json) RunWorkload(string shops, EmulatorProcess emulator)
        {
            string script = Path.Combine(AppContext.BaseDirectory, "Invoke-FleetProvisioning.ps1");
            var start = Pwsh.StartInfo("-NoProfile", "-NonInteractive", "-File", script,
                "-Module", ModuleLocation.ManifestPath, "-Root", shops,
                "-ProductionApiKey", emulator.ProductionKey.ApiKey, "-ProductionKeyPath", emulator.ProductionKey.Path,
                "-SandboxApiKey", emulator.SandboxKey.ApiKey, "-SandboxKeyPath", emulator.SandboxKey.Path);
            var watch = Stopwatch.StartNew();
            using Process pwsh = Process.Start(start) ?? throw new InvalidOperationException("pwsh did not start");
            var stderr = pwsh.StandardError.ReadToEndAsync();
            string stdout = pwsh.StandardOutput.ReadToEnd();
            pwsh.WaitForExit();
            watch.Stop();
            if (pwsh.ExitCode != 0)
            {
                throw new InvalidOperationException("The fleet run failed (exit code " + pwsh.ExitCode + "):" + Environment.NewLine + stdout + stderr.Result);
            }

            string json = stdout.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("{", StringComparison.Ordinal));
            return (watch.Elapsed.TotalSeconds, json);
        }
    }

    /// <summary>The gateway emulator as its own process (its console entry point), with one account's key pairs.</summary>
    internal sealed class EmulatorProcess : IDisposable
    {
        private static readonly Regex Issued = new Regex(@"^Issued (\w+) key for .*: API key (\S+), private key (.+)$");

        private readonly Process process;

        private EmulatorProcess(Process process) => this.process = process;

        public string ProductionUri { get; private set; } = string.Empty;

        public string SandboxUri { get; private set; } = string.Empty;

        public (string ApiKey, string Path) ProductionKey { get; private set; }

        public (string ApiKey, string Path) SandboxKey { get; private set; }

        public static EmulatorProcess Start(string keysDirectory)
        {
            string dll = Path.Combine(ModuleLocation.RepositoryRoot, "src", "CommerceServices.Emulator", "bin", "Release", "net8.0", "CommerceServices.Emulator.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in new[] { dll, "--account", "MAGE-BENCH=AdobeCommerce", "--keys-dir", keysDirectory })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["DOTNET_ROLL_FORWARD"] = "Major";
            var emulator = new EmulatorProcess(Process.Start(start) ?? throw new InvalidOperationException("The emulator did not start"));
            string? line;
            while ((line = emulator.process.StandardOutput.ReadLine()) != null && !line.StartsWith("Running.", StringComparison.Ordinal))
            {
                if (line.StartsWith("Production gateway:", StringComparison.Ordinal))
                {
                    emulator.ProductionUri = line.Substring(line.IndexOf(':') + 1).Trim();
                }
                else if (line.StartsWith("Sandbox gateway:", StringComparison.Ordinal))
                {
                    emulator.SandboxUri = line.Substring(line.IndexOf(':') + 1).Trim();
                }
                else if (Issued.Match(line) is { Success: true } issued)
                {
                    var key = (issued.Groups[2].Value, issued.Groups[3].Value.Trim());
                    if (issued.Groups[1].Value == "Production")
                    {
                        emulator.ProductionKey = key;
                    }
                    else
                    {
                        emulator.SandboxKey = key;
                    }
                }
            }

            if (line == null || emulator.SandboxKey.Path == null)
            {
                string error = emulator.process.StandardError.ReadToEnd();
                emulator.Dispose();
                throw new InvalidOperationException("The emulator did not come up: " + error);
            }

            return emulator;
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10000);
            }

            process.Dispose();
        }
    }

    /// <summary>The pinned pwsh (.config/dotnet-tools.json), run as users run it: 'dotnet pwsh'.</summary>
    internal static class Pwsh
    {
        public static ProcessStartInfo StartInfo(params string[] arguments)
        {
            var start = new ProcessStartInfo
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = ModuleLocation.RepositoryRoot,
            };
            // A profiler may run pwsh instead: CS_BENCH_PWSH="dotnet-trace collect -o fleet.nettrace -- dotnet <path of pwsh.dll>" (split at spaces).
            string[] command = (Environment.GetEnvironmentVariable("CS_BENCH_PWSH") ?? "dotnet pwsh").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            start.FileName = command[0];
            foreach (string part in command.Skip(1))
            {
                start.ArgumentList.Add(part);
            }

            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
            start.Environment["NO_COLOR"] = "1";
            return start;
        }
    }
}
