using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using CommerceServices.Instances;
using CommerceServices.Testing;

namespace CommerceServices.Benchmarks
{
    /// <summary>
    /// Test-CommerceConnection over many sample instances against the gateway emulator and a private
    /// MariaDB, one instance after another (-ThrottleLimit 1) and concurrently (the default, then 32),
    /// in-process. Every key check (ping, or the CloudFront page where an instance's settings name it) is
    /// held by an injected latency, as a remote gateway would hold it.
    /// </summary>
    internal static class ConnectionTestBenchmark
    {
        public static void Run(int count, int latency)
        {

            using MariaDbServer server = MariaDbServer.Start();
            using var folder = new TempFolder();
            string database = MagentoDatabase.Create(server, "mg_");
            for (int i = 0; i < count; i++)
            {
                // One database for all: the key pairs stored once are every instance's key pairs.
                new SampleInstance { TablePrefix = "mg_" }.UseDatabase(server, database).WriteTo(Path.Combine(folder.Path, "shop" + i.ToString("D3", CultureInfo.InvariantCulture)));
            }

            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { ModuleLocation.ManifestPath, ModuleLocation.EmulatorManifestPath });
            using Runspace runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            runspace.SessionStateProxy.Path.SetLocation(folder.Path);

            PSObject emulator = Invoke(runspace, "($global:emulator = Start-CommerceServicesEmulator)").Single();
            foreach (string environment in new[] { "production", "sandbox" })
            {
                string uri = emulator.Properties[char.ToUpperInvariant(environment[0]) + environment.Substring(1) + "Uri"].Value.ToString()!;
                MagentoDatabase.SetValue(server, database, "mg_", "services_connector/" + environment + "_gateway_url", uri);
            }

            Invoke(runspace, @"
                $production = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId MAGE-BENCH -Directory ./keys
                $sandbox = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId MAGE-BENCH -Environment Sandbox -Directory ./keys
                foreach ($shop in [IO.Directory]::GetDirectories($PWD.Path, 'shop*')) { Connect-CommerceInstance $shop }
                $production | Set-CommerceApiKey -Instance @(Get-CommerceInstance)[0]
                $sandbox | Set-CommerceApiKey -Instance @(Get-CommerceInstance)[0]
                $null = New-SaasProject -Name 'Benchmark' -Instance @(Get-CommerceInstance)[0]
                Get-SaasDataSpace -Name 'Testing 1' -Instance @(Get-CommerceInstance)[0] | Set-CommerceDataSpace -Instance @(Get-CommerceInstance)[0] -Confirm:$false
                $fault = [CommerceServices.Emulator.EmulatorFault]::new('Latency', 0)
                $fault.PathPattern = 'ping$|index\.html$'   # both key-check paths: /v1/ping and the CloudFront /index.html
                $fault.Delay = [TimeSpan]::FromMilliseconds(" + latency.ToString(CultureInfo.InvariantCulture) + @")
                $null = $emulator.AddFault($fault)");

            Console.WriteLine($"Test-CommerceConnection over {count} instances, each key check held {latency} ms (two key checks, held, and two registry reads per instance), {Environment.ProcessorCount} cores");
            Measure(runspace, "warm-up, -ThrottleLimit 8", "@(Get-CommerceInstance)[0..15] | Test-CommerceConnection -Quiet");
            Measure(runspace, "sequential, -ThrottleLimit 1", "Get-CommerceInstance | Test-CommerceConnection -ThrottleLimit 1 -Quiet");
            Measure(runspace, "concurrent, default -ThrottleLimit 8", "Get-CommerceInstance | Test-CommerceConnection -Quiet");
            Measure(runspace, "concurrent, -ThrottleLimit 32", "Get-CommerceInstance | Test-CommerceConnection -ThrottleLimit 32 -Quiet");
            Measure(runspace, "offline (no gateway), default -ThrottleLimit", "Get-CommerceInstance | Test-CommerceConnection -Offline -Quiet");
            Invoke(runspace, "$emulator.Stop()");
        }

        private static void Measure(Runspace runspace, string label, string script)
        {
            var watch = Stopwatch.StartNew();
            var results = Invoke(runspace, script);
            watch.Stop();
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-46} {1,9:F0} ms   ({2} reports)", label, watch.Elapsed.TotalMilliseconds, results.Count));
        }

        private static System.Collections.ObjectModel.Collection<PSObject> Invoke(Runspace runspace, string script)
        {
            using PowerShell ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(script);
            var results = ps.Invoke();
            if (ps.HadErrors)
            {
                throw new InvalidOperationException(string.Join(Environment.NewLine, ps.Streams.Error.Select(e => e.ToString())));
            }

            return results;
        }
    }
}
