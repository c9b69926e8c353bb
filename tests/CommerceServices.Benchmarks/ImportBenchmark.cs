using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using CommerceServices.Testing;

namespace CommerceServices.Benchmarks
{
    /// <summary>
    /// The cold import of the built module over bare pwsh (Measure-ModuleImport.ps1 in the pinned pwsh), and for
    /// scale what pwsh itself charges any module: a manifest with nothing in it, and one with only the module's
    /// format file.
    /// </summary>
    internal static class ImportBenchmark
    {
        public static void Run(TextWriter output, int runs)
        {
            output.WriteLine("Cold import over bare pwsh, median of " + runs + " interleaved runs each:");
            output.WriteLine("  CommerceServices (out/CommerceServices)        " + ColdImport(ModuleLocation.ManifestPath, runs));

            using var folder = new TempFolder();
            string empty = Path.Combine(folder.Path, "Empty", "Empty.psd1");
            Directory.CreateDirectory(Path.GetDirectoryName(empty)!);
            File.WriteAllText(empty, "@{\n    ModuleVersion = '0.1.0'\n    GUID = '9f0d3c55-2b1e-4d61-9a86-3f0b7a0c1d01'\n}\n");
            output.WriteLine("  a manifest with nothing in it                  " + ColdImport(empty, runs));

            string formats = Path.Combine(folder.Path, "FormatsOnly", "FormatsOnly.psd1");
            Directory.CreateDirectory(Path.GetDirectoryName(formats)!);
            File.Copy(Path.Combine(Path.GetDirectoryName(ModuleLocation.ManifestPath)!, "CommerceServices.format.ps1xml"), Path.Combine(Path.GetDirectoryName(formats)!, "CommerceServices.format.ps1xml"));
            File.WriteAllText(formats, "@{\n    ModuleVersion = '0.1.0'\n    GUID = '9f0d3c55-2b1e-4d61-9a86-3f0b7a0c1d02'\n    FormatsToProcess = @('CommerceServices.format.ps1xml')\n}\n");
            output.WriteLine("  a manifest with only the module's format file  " + ColdImport(formats, runs));
        }

        /// <summary>The last line of Measure-ModuleImport.ps1, the median difference, as "N ms".</summary>
        private static string ColdImport(string manifest, int runs)
        {
            string script = Path.Combine(AppContext.BaseDirectory, "Measure-ModuleImport.ps1");
            ProcessStartInfo start = Pwsh.StartInfo("-NoProfile", "-NonInteractive", "-File", script, "-Runs", runs.ToString(CultureInfo.InvariantCulture), "-Manifest", manifest);
            using Process pwsh = Process.Start(start) ?? throw new InvalidOperationException("pwsh did not start");
            var stderr = pwsh.StandardError.ReadToEndAsync();
            string stdout = pwsh.StandardOutput.ReadToEnd();
            pwsh.WaitForExit();
            if (pwsh.ExitCode != 0)
            {
                throw new InvalidOperationException("Measure-ModuleImport.ps1 failed (exit code " + pwsh.ExitCode + "): " + stdout + stderr.Result);
            }

            string[] lines = stdout.Trim().Split('\n');
            string last = lines[lines.Length - 1];
            return last.Substring(last.IndexOf(':') + 1).Trim();
        }
    }
}
