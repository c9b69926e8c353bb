using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace CommerceServices.ScriptHost
{
    /// <summary>
    /// Usage:
    ///   CommerceServices.ScriptHost &lt;script.ps1&gt;          run a script against the built module, formatted as pwsh shows it;
    ///                                                   exit codes as 'pwsh -File' gives them
    ///   CommerceServices.ScriptHost --measure-import [N]  median time of Import-Module in N fresh runspaces
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length >= 1 && args[0] == "--measure-import")
            {
                int runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15;
                return MeasureImport(runs);
            }

            if (args.Length != 1)
            {
                Console.Error.WriteLine("usage: CommerceServices.ScriptHost <script.ps1> | --measure-import [runs]");
                return 2;
            }

            string script = Path.GetFullPath(args[0]);
            if (!File.Exists(script))
            {
                Console.Error.WriteLine("No such script: " + script);
                return 2;
            }

            // On a terminal, colours as pwsh shows them; redirected to a file or pipe, plain text.
            var host = new TextHost(Console.Out, width: 120, plainText: Console.IsOutputRedirected);
            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { ModuleLocation.ManifestPath });
            using Runspace runspace = RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            runspace.SessionStateProxy.Path.SetLocation(Path.GetDirectoryName(script)!);

            using PowerShell ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddCommand(script).AddCommand("Out-Default");
            ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
            try
            {
                ps.Invoke();
            }
            catch (RuntimeException ex)
            {
                Console.Out.WriteLine(ex.ErrorRecord.ToString());
                return 1;
            }

            // As 'pwsh -File': a terminating error is exit code 1 (above); errors a script handled or let
            // pass (non-terminating, shown in the output) do not change a normal end, which is 0.
            return host.ExitCode ?? 0;
        }

        private static int MeasureImport(int runs)
        {
            string manifest = ModuleLocation.ManifestPath;
            var times = new List<double>();
            double cold = 0;

            // The first import of a process also loads and compiles the module's assemblies; it is
            // reported on its own, and the median is taken over the fresh runspaces after it.
            for (int i = 0; i <= runs; i++)
            {
                using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
                runspace.Open();
                using PowerShell ps = PowerShell.Create();
                ps.Runspace = runspace;
                ps.AddCommand("Import-Module").AddParameter("Name", manifest);
                var watch = Stopwatch.StartNew();
                ps.Invoke();
                watch.Stop();
                if (ps.HadErrors)
                {
                    Console.Error.WriteLine(ps.Streams.Error[0].ToString());
                    return 1;
                }

                if (i > 0)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
                else
                {
                    cold = watch.Elapsed.TotalMilliseconds;
                }
            }

            times.Sort();
            double median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
            Console.WriteLine(string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                "First Import-Module CommerceServices in this process (assemblies loaded and compiled): {0:F1} ms",
                cold));
            Console.WriteLine(string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                "Import-Module CommerceServices in a fresh runspace: median {0:F1} ms over {1} runs (min {2:F1} ms, max {3:F1} ms)",
                median, times.Count, times.First(), times.Last()));
            Console.WriteLine("Assemblies loaded after import: " + string.Join(", ",
                AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).Where(n => n != null && (n.StartsWith("CommerceServices", StringComparison.Ordinal) || n.StartsWith("BouncyCastle", StringComparison.Ordinal))).OrderBy(n => n)));
            return 0;
        }
    }
}
