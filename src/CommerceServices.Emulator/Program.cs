using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Threading;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// Runs the emulator as a process:
    ///   dotnet run --project src/CommerceServices.Emulator -- [options]
    /// </summary>
    public static class Program
    {
        private const string Usage =
@"CommerceServices gateway emulator

  --account MAGEID=EDITION   issue production and sandbox key pairs for an account at start
                             (EDITION: AdobeCommerce or MagentoOpenSource); repeatable
  --keys-dir DIR             where issued private keys are written (default: ./emulator-keys)
  --state FILE               keep the state in a JSON file and resume from it
  --production-port N        port of the production gateway (default: a free port)
  --sandbox-port N           port of the sandbox gateway (default: a free port)
  --listen ADDRESS           address to listen on (default: 127.0.0.1, loopback only)

While running, POST /_emulator/keys {""mageId"",""edition"",""environment""} issues more keys,
GET /_emulator/requests lists requests, POST/DELETE /_emulator/faults injects faults.
Stop with Ctrl+C.";

        public static int Main(string[] args)
        {
            var options = new EmulatorOptions();
            var accounts = new List<(string MageId, CommerceEdition Edition)>();
            string keysDir = "emulator-keys";
            try
            {
                for (int i = 0; i < args.Length; i++)
                {
                    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value.");
                    switch (args[i])
                    {
                        case "--account":
                            string[] parts = Next().Split('=', 2);
                            if (parts.Length != 2 || !Enum.TryParse(parts[1], true, out CommerceEdition edition))
                            {
                                throw new ArgumentException("--account takes MAGEID=AdobeCommerce or MAGEID=MagentoOpenSource.");
                            }

                            accounts.Add((parts[0], edition));
                            break;
                        case "--keys-dir": keysDir = Next(); break;
                        case "--state": options.StatePath = Next(); break;
                        case "--production-port": options.ProductionPort = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                        case "--sandbox-port": options.SandboxPort = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                        case "--listen": options.Address = IPAddress.Parse(Next()); break;
                        case "-h":
                        case "--help":
                            Console.WriteLine(Usage);
                            return 0;
                        default:
                            throw new ArgumentException("Unknown option " + args[i] + ".");
                    }
                }
            }
            catch (Exception ex) when (ex is ArgumentException || ex is FormatException)
            {
                Console.Error.WriteLine(ex.Message);
                Console.Error.WriteLine(Usage);
                return 2;
            }

            using GatewayEmulator emulator = GatewayEmulator.Start(options);
            Console.WriteLine("Production gateway: " + emulator.ProductionUri);
            Console.WriteLine("Sandbox gateway:    " + emulator.SandboxUri);
            if (options.StatePath != null)
            {
                Console.WriteLine("State file:         " + options.StatePath);
            }

            foreach (var (mageId, edition) in accounts)
            {
                foreach (EmulatorEnvironment environment in Enum.GetValues<EmulatorEnvironment>())
                {
                    EmulatorKeyFile file = KeyFileWriter.IssueInto(keysDir, mageId, environment, () => emulator.IssueKeyPair(mageId, edition, environment));
                    Console.WriteLine("Issued " + environment + " key for " + mageId + " (" + edition + "): API key " + file.ApiKey + ", private key " + file.PrivateKeyPath);
                }
            }

            using var stop = new ManualResetEventSlim();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Set();
            };
            AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Set();
            Console.WriteLine("Running. Press Ctrl+C to stop.");
            stop.Wait();
            return 0;
        }
    }
}
