using System;
using System.Diagnostics;
using System.IO;

namespace CommerceServices.Benchmarks
{
    /// <summary>The cold import of the built module over bare pwsh: Measure-ModuleImport.ps1 in the pinned pwsh, its lines passed on.</summary>
    internal static class ImportBenchmark
    {
        public static void Run(TextWriter output, int runs)
        {
            string script = Path.Combine(AppContext.BaseDirectory, "Measure-ModuleImport.ps1");
            ProcessStartInfo start = Pwsh.StartInfo("-NoProfile", "-NonInteractive", "-File", script, "-Runs", runs.ToString(System.Globalization.CultureInfo.InvariantCulture), "-Manifest", Testing.ModuleLocation.ManifestPath);
            using Process pwsh = Process.Start(start) ?? throw new InvalidOperationException("pwsh did not start");
            var stderr = pwsh.StandardError.ReadToEndAsync();
            string stdout = pwsh.StandardOutput.ReadToEnd();
            pwsh.WaitForExit();
            if (pwsh.ExitCode != 0)
            {
                throw new InvalidOperationException("Measure-ModuleImport.ps1 failed (exit code " + pwsh.ExitCode + "): " + stdout + stderr.Result);
            }

            output.WriteLine("Cold import, " + runs + " interleaved runs each:");
            foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                output.WriteLine("  " + line.TrimEnd());
            }
        }
    }
}
