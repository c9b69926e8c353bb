using System;
using System.Globalization;

namespace CommerceServices.Benchmarks
{
    /// <summary>
    /// The figures of the README's Benchmarks section, in one command (benchmarks, never assertions; build the solution first):
    ///   CommerceServices.Benchmarks            all of them: the cold import, the micro ratios, the fleet run (1,000 instances, 3 runs)
    ///   CommerceServices.Benchmarks import [runs=15]            cold import of the module over bare pwsh
    ///   CommerceServices.Benchmarks micro                       encryption, env.php parsing and signing against PHP sodium, include and OpenSSL
    ///   CommerceServices.Benchmarks fleet [instances=1000] [runs=3]   the fleet run end to end in pwsh, with peak memory
    ///   CommerceServices.Benchmarks connection-test [instances=200] [latency-ms=50]   Test-CommerceConnection throttling, in-process
    ///   CommerceServices.Benchmarks reads [instances=10] [separate|shared]   per instance, the settings reads, physical connections and
    ///                                                           logical (pool) opens of Set-CommerceApiKey and Test-CommerceConnection, counted
    ///                                                           by a private MariaDB's general query log (not part of 'all';
    ///                                                           CS_BENCH_MODULE=other/out/CommerceServices/CommerceServices.psd1 measures another build)
    ///   CommerceServices.Benchmarks data-export [instances=200] [rows=100000]   Get-CommerceDataExportStatus over instances whose feed
    ///                                                           tables hold that many rows: setup time, the status call in pwsh per
    ///                                                           -ThrottleLimit with peak memory, the core call in-process with its
    ///                                                           allocations, the reader's queries on one instance (not part of 'all')
    ///   CommerceServices.Benchmarks remoting [instancesPerHost=20] [hosts=3] [runs=3]   test and key rotation over PowerShell remoting
    ///                                                           over SSH (the fleet tests' SSH hosts, the examples of examples/Fleet)
    ///                                                           against the same instances on one host; needs root and OpenSSH and
    ///                                                           ./build.ps1 -Task Build, Package (not part of 'all')
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            string mode = args.Length > 0 ? args[0] : "all";
            int Number(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
            switch (mode)
            {
                case "all":
                    ImportBenchmark.Run(Console.Out, 15);
                    MicroRatios.Run(Console.Out);
                    FleetBenchmark.Run(Console.Out, 1000, 3);
                    return 0;
                case "import":
                    ImportBenchmark.Run(Console.Out, Number(1, 15));
                    return 0;
                case "micro":
                    MicroRatios.Run(Console.Out);
                    return 0;
                case "fleet":
                    FleetBenchmark.Run(Console.Out, Number(1, 1000), Number(2, 3));
                    return 0;
                case "connection-test":
                    ConnectionTestBenchmark.Run(Number(1, 200), Number(2, 50));
                    return 0;
                case "reads" when args.Length <= 2 || args[2] is "separate" or "shared":
                    DatabaseReadsBenchmark.Run(Console.Out, Number(1, 10), args.Length > 2 && args[2] == "shared");
                    return 0;
                case "data-export":
                    DataExportStatusBenchmark.Run(Console.Out, Number(1, 200), Number(2, 100000));
                    return 0;
                case "remoting":
                    return RemotingBenchmark.Run(Console.Out, Number(1, 20), Number(2, 3), Number(3, 3));
                default:
                    Console.Error.WriteLine("Usage: CommerceServices.Benchmarks [all | import [runs] | micro | fleet [instances] [runs] | connection-test [instances] [latency-ms] | reads [instances] [separate|shared] | data-export [instances] [rows] | remoting [instancesPerHost] [hosts] [runs]]");
                    return 2;
            }
        }
    }
}
