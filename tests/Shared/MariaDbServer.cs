using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace CommerceServices.Testing
{
    /// <summary>
    /// A private MariaDB server for tests: its own data folder, unix socket and loopback port,
    /// a user 'magento' with a password (who may grant: tests give other users less), stopped and deleted on Dispose. Needs mariadb-server
    /// installed (tests/run.sh installs it).
    /// </summary>
    public sealed class MariaDbServer : IDisposable
    {
        public const string User = "magento";
        public const string Password = "Db-Secret-4-tests!";

        private readonly Process process;

        private MariaDbServer(string folder, string socket, int port, Process process)
        {
            Folder = folder;
            Socket = socket;
            Port = port;
            this.process = process;
        }

        public string Folder { get; }

        public string Socket { get; }

        public int Port { get; }

        public static MariaDbServer Start()
        {
            string folder = Path.Combine(Path.GetTempPath(), "cs-mariadb-" + Guid.NewGuid().ToString("n").Substring(0, 12));
            string data = Path.Combine(folder, "data");
            Directory.CreateDirectory(data);
            string socket = Path.Combine(folder, "mysqld.sock");
            string user = Environment.UserName;

            Run(Executable("mariadb-install-db"), "--no-defaults", "--datadir=" + data, "--user=" + user, "--auth-root-authentication-method=socket", "--skip-test-db");

            string init = Path.Combine(folder, "init.sql");
            File.WriteAllText(init,
                "CREATE USER '" + User + "'@'localhost' IDENTIFIED BY '" + Password + "';\n"
                + "CREATE USER '" + User + "'@'127.0.0.1' IDENTIFIED BY '" + Password + "';\n"
                + "GRANT ALL PRIVILEGES ON *.* TO '" + User + "'@'localhost' WITH GRANT OPTION;\n"
                + "GRANT ALL PRIVILEGES ON *.* TO '" + User + "'@'127.0.0.1';\n");

            int port = FreePort();
            var start = new ProcessStartInfo(Executable("mariadbd"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[]
            {
                "--no-defaults", "--datadir=" + data, "--socket=" + socket, "--port=" + port, "--bind-address=127.0.0.1",
                "--pid-file=" + Path.Combine(folder, "mysqld.pid"), "--user=" + user, "--init-file=" + init,
                "--skip-log-bin", "--innodb-buffer-pool-size=16M", "--log-error=" + Path.Combine(folder, "error.log"),
            })
            {
                start.ArgumentList.Add(arg);
            }

            Process server = Process.Start(start) ?? throw new InvalidOperationException("mariadbd did not start");
            var watch = Stopwatch.StartNew();
            while (!File.Exists(socket))
            {
                if (server.HasExited || watch.Elapsed > TimeSpan.FromSeconds(60))
                {
                    string log = File.Exists(Path.Combine(folder, "error.log")) ? File.ReadAllText(Path.Combine(folder, "error.log")) : string.Empty;
                    throw new InvalidOperationException("mariadbd did not come up: " + log);
                }

                Thread.Sleep(100);
            }

            return new MariaDbServer(folder, socket, port, server);
        }

        /// <summary>Runs SQL as the test user through the mariadb client (for fixtures and assertions).</summary>
        public string Sql(string sql, string? database = null)
        {
            var args = new System.Collections.Generic.List<string> { "--no-defaults", "--socket=" + Socket, "--user=" + User, "--password=" + Password, "--batch", "--skip-column-names", "-e", sql };
            if (database != null)
            {
                args.Add(database);
            }

            return Run("mariadb", args.ToArray());
        }

        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10000);
                }
            }
            finally
            {
                process.Dispose();
                try
                {
                    Directory.Delete(Folder, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }

        private static string Run(string command, params string[] args)
        {
            var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new InvalidOperationException(command + " is needed by the database tests: install mariadb-server (the README's test command does).", ex);
            }

            using (process)
            {
                var error = process.StandardError.ReadToEndAsync();
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException(command + " failed (" + process.ExitCode + "): " + error.Result);
                }

                return output;
            }
        }

        /// <summary>A MariaDB program from PATH, or from /usr/sbin and /usr/bin where Debian puts them.</summary>
        private static string Executable(string name)
        {
            foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Concat(new[] { "/usr/sbin", "/usr/bin" }))
            {
                string candidate = Path.Combine(folder, name);
                if (folder.Length > 0 && File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return name;
        }

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }
    }
}
