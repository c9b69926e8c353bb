using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using CommerceServices.Testing;

namespace CommerceServices.Benchmarks
{
    /// <summary>
    /// How often a command goes to an instance's database, counted by the database server, not by the
    /// product: each command runs in a new pwsh (Invoke-DatabaseReadsCommand.ps1, the module imported from
    /// out/ and used only through its cmdlets) against instances whose settings live in a private MariaDB,
    /// with the gateway emulator as its own process. MariaDB's general query log (log_output = TABLE) is on
    /// only while the command runs (not while the module is imported and the instances connected), and is
    /// read back afterwards, thread by thread:
    ///   physical   'Connect' rows: connections the server accepted (a handshake each). MySqlConnector's pool
    ///              makes one when it has no idle connection for that connection string.
    ///   logical    opens of a MySqlConnection that reached the server: a new connection, or an idle pooled one
    ///              handed out again. MySqlConnector resets a reused connection (ConnectionReset=true, its default):
    ///              COM_RESET_CONNECTION, which MariaDB does not write to the general log, pipelined with
    ///              'SET NAMES utf8mb4', which it does; it sends the same 'SET NAMES utf8mb4' right after a handshake.
    ///              So every logical open is one 'SET NAMES utf8mb4' row (a 'Reset connection' or 'Change user' row
    ///              counts too, should a server log it). Cross-check from the server's counters: 'resets' is the
    ///              rise of Com_admin_commands (COM_RESET_CONNECTION, COM_PING, ...), which should equal logical - physical.
    ///              Were the product to turn connection reset off, reuses would be invisible here.
    ///   reads      SELECTs on the instance's core_config_data: reads of its connector settings; 'lock' are those
    ///              with FOR UPDATE, which a write makes inside its transaction.
    /// Each statement and each logical open is attributed to an instance by the table prefix in its statements
    /// (every instance has its own) or, failing that, by the database of its connection (by default every instance
    /// has its own database, so its own pool; 'shared' puts all of them in one database, as the fleet run does, and
    /// then physical connections belong to the pool, not to an instance). Every run starts from fresh instances.
    /// CS_BENCH_READS_LOG=folder keeps each run's log there (thread, command, statement) for a closer look;
    /// CS_BENCH_MODULE=path/CommerceServices.psd1 measures another build of the module (another tree's out/) with this driver.
    /// </summary>
    internal static class DatabaseReadsBenchmark
    {
        /// <summary>What the Test-CommerceConnection runs start from: both key pairs stored, a project and its Testing data space chosen, as the fleet run does.</summary>
        private const string ConnectedPrepare = @"
            $instances | Set-CommerceApiKey -ApiKey $production
            $instances | Set-CommerceApiKey -ApiKey $sandbox
            foreach ($i in $instances) {
                $project = New-SaasProject -Name ('bench-' + [guid]::NewGuid().ToString('n').Substring(0, 8)) -Instance $i
                $project.DataSpaces | Where-Object Type -EQ 'Testing' | Select-Object -First 1 | Set-CommerceDataSpace -Instance $i -Confirm:$false
            }";

        /// <summary>The module the commands import: out/CommerceServices of this tree, or CS_BENCH_MODULE (the path of another tree's built manifest).</summary>
        private static string Module => Environment.GetEnvironmentVariable("CS_BENCH_MODULE") is { Length: > 0 } other ? Path.GetFullPath(other) : ModuleLocation.ManifestPath;

        private static readonly Regex PrefixPattern = new Regex(@"cs\d+i\d{4}_", RegexOptions.Compiled);
        private static readonly Regex ConnectDatabase = new Regex(@" on (\S*) using ", RegexOptions.Compiled);
        private static readonly Regex StatementStart = new Regex(@";\s*(?=(?:SELECT|INSERT|UPDATE|DELETE|REPLACE|SET|START|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SHOW|DO)\b)", RegexOptions.IgnoreCase | RegexOptions.Compiled);

        private sealed record Scenario(string Command, string Label, int Instances, string Script, string? Prepare);

        public static void Run(TextWriter output, int instances, bool shared)
        {
            var scenarios = new List<Scenario>
            {
                new("Set-CommerceApiKey", "1 instance, online check", 1, "Set-CommerceApiKey -ApiKey $production -Instance $instance", null),
                new("Set-CommerceApiKey", "1 instance, -SkipOnlineCheck", 1, "Set-CommerceApiKey -ApiKey $production -Instance $instance -SkipOnlineCheck", null),
                new("Set-CommerceApiKey", instances + " piped, online check", instances, "$instances | Set-CommerceApiKey -ApiKey $production", null),
                new("Set-CommerceApiKey", instances + " piped, -SkipOnlineCheck", instances, "$instances | Set-CommerceApiKey -ApiKey $production -SkipOnlineCheck", null),
                new("Test-CommerceConnection", "1 instance", 1, "Test-CommerceConnection -Instance $instance", ConnectedPrepare),
                new("Test-CommerceConnection", instances + " piped", instances, "$instances | Test-CommerceConnection", ConnectedPrepare),
            };

            output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "Database use per command, counted by a private MariaDB's general query log; {0}; gateway emulator as its own process; {1} cores",
                shared ? "all instances in one database (table prefixes, one connection pool)" : "each instance its own database (so its own connection pool)",
                Environment.ProcessorCount));
            output.WriteLine("  module: " + Module);

            string? keep = Environment.GetEnvironmentVariable("CS_BENCH_READS_LOG");
            using MariaDbServer server = MariaDbServer.Start();
            server.Sql("SET GLOBAL general_log = 0; SET GLOBAL log_output = 'TABLE'; TRUNCATE TABLE mysql.general_log");
            using var folder = new TempFolder();
            using var emulator = EmulatorProcess.Start(Path.Combine(folder.Path, "keys"));

            const string Row = "  {0,-29} {1,-11} {2,-9} {3,-8}| {4,5} {5,5} {6,5} {7,5} {8,5} {9,5} {10,5} {11,5} {12,5} {13,6} | {14}";
            var warnings = new List<string>();
            string? command = null;
            for (int s = 0; s < scenarios.Count; s++)
            {
                Scenario scenario = scenarios[s];
                if (scenario.Command != command)
                {
                    command = scenario.Command;
                    output.WriteLine();
                    output.WriteLine(command + (command == "Set-CommerceApiKey" ? " (the production key pair, into instances without keys)" : " (instances with both key pairs, a project and a Testing data space)"));
                    output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-29} {1,-30}| {2,-71}| {3}", string.Empty, "per instance", "whole run", "before it"));
                    output.WriteLine(string.Format(CultureInfo.InvariantCulture, Row,
                        "run", "reads(lock)", "physical", "logical", "reads", "phys", "logic", "reset", "other", "write", "begin", "stmts", "unatt", "ms", "connect"));
                }

                string shops = Path.Combine(folder.Path, "run" + s.ToString(CultureInfo.InvariantCulture));
                var layout = WriteInstances(server, s, shops, scenario.Instances, shared, emulator);
                if (scenario.Prepare != null)
                {
                    RunPwsh(shops, emulator, scenario.Prepare, null);
                }

                RunResult result = RunPwsh(shops, emulator, scenario.Script, server);
                if (keep != null)
                {
                    Directory.CreateDirectory(keep);
                    File.WriteAllLines(Path.Combine(keep, "run" + s.ToString(CultureInfo.InvariantCulture) + ".log"),
                        new[] { "# " + scenario.Command + ": " + scenario.Label + ": " + scenario.Script, "# import and connect" }
                            .Concat(result.Connect.Log.Select(e => e.Thread + "\t" + e.Type + "\t" + e.Argument))
                            .Concat(new[] { "# the command" })
                            .Concat(result.Command.Log.Select(e => e.Thread + "\t" + e.Type + "\t" + e.Argument)));
                }

                if (scenario.Command == "Test-CommerceConnection" && result.Connected != scenario.Instances)
                {
                    warnings.Add("  note (" + scenario.Command + ": " + scenario.Label + "): only " + result.Connected + " of " + scenario.Instances
                        + " instances reported connected, so its figures are not those of a connected fleet (rerun with CS_BENCH_READS_LOG to see why)");
                }

                Counts counts = Analyze(result.Command.Log, layout);
                Counts atConnect = Analyze(result.Connect.Log, layout);
                string Cell(Func<InstanceCounts, int> pick)
                {
                    var values = layout.Instances.Select(i => pick(counts.PerInstance[i])).ToList();
                    return values.Min() == values.Max()
                        ? values[0].ToString(CultureInfo.InvariantCulture)
                        : string.Format(CultureInfo.InvariantCulture, "{0}-{1}({2:0.#})", values.Min(), values.Max(), values.Average());
                }

                string physical = shared
                    ? string.Format(CultureInfo.InvariantCulture, "{0:0.##}pool", counts.Physical / (double)scenario.Instances)
                    : Cell(c => c.Physical);
                output.WriteLine(string.Format(CultureInfo.InvariantCulture, Row,
                    scenario.Label, Cell(c => c.Reads) + "(" + Cell(c => c.LockedReads) + ")", physical, Cell(c => c.Logical),
                    counts.Reads, counts.Physical, counts.Logical, result.Command.AdminCommands, counts.OtherSelects, counts.Writes, counts.Begins, counts.Statements,
                    counts.UnattributedSessions, result.Milliseconds.ToString("F0", CultureInfo.InvariantCulture),
                    string.Format(CultureInfo.InvariantCulture, "{0}/{1}/{2}", atConnect.Reads, atConnect.Physical, atConnect.Logical)));

                foreach (var (window, seen) in new[] { (result.Command, counts), (result.Connect, atConnect) })
                {
                    if (window.Connections != seen.Physical || window.AdminCommands != seen.Logical - seen.Physical)
                    {
                        warnings.Add(string.Format(CultureInfo.InvariantCulture,
                            "  note ({0}: {1}{2}): the server's counters disagree with the log: Connections rose by {3} (log: {4} physical), Com_admin_commands by {5} (log: {6} reuses)",
                            scenario.Command, scenario.Label, window == result.Connect ? ", before it" : string.Empty, window.Connections, seen.Physical, window.AdminCommands, seen.Logical - seen.Physical));
                    }
                }
            }

            output.WriteLine();
            output.WriteLine("  per instance: one figure when every instance has the same, else min-max(mean).");
            output.WriteLine("  reads = SELECTs on the instance's core_config_data (settings reads), of them (lock) with FOR UPDATE inside a write's transaction;");
            output.WriteLine("  physical = connections the server accepted ('Connect'); logical = MySqlConnection opens that reached the server: a new");
            output.WriteLine("  connection or a pooled one reset for reuse (each sends 'SET NAMES utf8mb4'); " + (shared ? "physical per instance: the shared pool's total / instances." : "each instance has its own pool."));
            output.WriteLine("  whole run: reads, phys, logic as above, summed; reset = rise of the server's Com_admin_commands (COM_RESET_CONNECTION, ping), which");
            output.WriteLine("  should be logic - phys; other = other SELECTs (flag table); write = INSERT/UPDATE/DELETE/REPLACE; begin = transactions started;");
            output.WriteLine("  stmts = every statement but the driver's SET NAMES; unatt = logical opens no instance's table or database names; ms = the command, log on.");
            output.WriteLine("  before it: reads/phys/logic of the same pwsh while it imported the module and connected the instances (not part of the command).");
            foreach (string warning in warnings)
            {
                output.WriteLine(warning);
            }
        }

        private sealed class Layout
        {
            public List<string> Instances { get; } = new List<string>();

            public Dictionary<string, string> ByPrefix { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

            public Dictionary<string, string> ByDatabase { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>Fresh instances for one run: a table prefix each, and a database each unless shared; gateway URLs pointing at the emulator.</summary>
        private static Layout WriteInstances(MariaDbServer server, int run, string shops, int count, bool shared, EmulatorProcess emulator)
        {
            var layout = new Layout();
            string runText = run.ToString(CultureInfo.InvariantCulture);
            if (shared)
            {
                server.Sql("CREATE DATABASE cs" + runText + " CHARACTER SET utf8mb4");
            }

            const int PerBatch = 50;   // one mariadb client call per batch
            for (int first = 0; first < count; first += PerBatch)
            {
                var sql = new StringBuilder();
                for (int i = first; i < Math.Min(count, first + PerBatch); i++)
                {
                    string index = i.ToString("D4", CultureInfo.InvariantCulture);
                    string prefix = "cs" + runText + "i" + index + "_";
                    string database = shared ? "cs" + runText : "cs" + runText + "_" + index;
                    string name = "shop" + index;
                    layout.Instances.Add(name);
                    layout.ByPrefix[prefix] = name;
                    if (!shared)
                    {
                        layout.ByDatabase[database] = name;
                        sql.Append("CREATE DATABASE ").Append(database).Append(" CHARACTER SET utf8mb4;");
                    }

                    sql.Append("USE ").Append(database).Append(';');
                    sql.Append(MagentoDatabase.TablesSql(prefix));
                    sql.Append("INSERT INTO ").Append(prefix).Append("core_config_data (scope, scope_id, path, value) VALUES ")
                        .Append("('default', 0, 'services_connector/production_gateway_url', '").Append(emulator.ProductionUri).Append("'), ")
                        .Append("('default', 0, 'services_connector/sandbox_gateway_url', '").Append(emulator.SandboxUri).Append("');");
                    new SampleInstance { TablePrefix = prefix, FilesImported = false }
                        .UseDatabase(server, database)
                        .WriteTo(Path.Combine(shops, name));
                }

                server.Sql(sql.ToString());
            }

            return layout;
        }

        private sealed record LogEntry(long Thread, string Type, string Argument);

        /// <summary>What the server saw in one stretch of a run: the general log, and the rise of two of its counters.</summary>
        private sealed record Window(List<LogEntry> Log, long Connections, long AdminCommands);

        private sealed record RunResult(Window Connect, Window Command, int Connected, double Milliseconds);

        /// <summary>
        /// Runs one command in a new pwsh. With a server, the script's -Handshake brackets two stretches of it, each with
        /// the general log emptied and turned on at its start, turned off and read back at its end: the import of the
        /// module and the connect of the instances, then the command.
        /// </summary>
        private static RunResult RunPwsh(string shops, EmulatorProcess emulator, string command, MariaDbServer? server)
        {
            string script = Path.Combine(AppContext.BaseDirectory, "Invoke-DatabaseReadsCommand.ps1");
            var arguments = new List<string>
            {
                "-NoProfile", "-NonInteractive", "-File", script,
                "-Module", Module, "-Root", shops,
                "-ProductionApiKey", emulator.ProductionKey.ApiKey, "-ProductionKeyPath", emulator.ProductionKey.Path,
                "-SandboxApiKey", emulator.SandboxKey.ApiKey, "-SandboxKeyPath", emulator.SandboxKey.Path,
                "-Command", command,
            };
            if (server != null)
            {
                arguments.Add("-Handshake");
            }

            ProcessStartInfo start = Pwsh.StartInfo(arguments.ToArray());
            start.RedirectStandardInput = true;
            using Process pwsh = Process.Start(start) ?? throw new InvalidOperationException("pwsh did not start");
            var stderr = pwsh.StandardError.ReadToEndAsync();
            var stdout = new StringBuilder();
            void WaitFor(string marker, string where)
            {
                string? line;
                while ((line = pwsh.StandardOutput.ReadLine()) != null)
                {
                    if (line.Trim() == marker)
                    {
                        return;
                    }

                    stdout.AppendLine(line);
                }

                throw Failed(pwsh, stdout, stderr, where);
            }

            void Go()
            {
                pwsh.StandardInput.WriteLine("go");
                pwsh.StandardInput.Flush();
            }

            var empty = new Window(new List<LogEntry>(), 0, 0);
            Window connect = empty, measured = empty;
            double milliseconds = 0;
            try
            {
                if (server != null)
                {
                    WaitFor("cs-bench: start", "at its start");
                    var counters = StartWindow(server);
                    Go();
                    WaitFor("cs-bench: ready", "before the command");
                    connect = EndWindow(server, counters);
                    counters = StartWindow(server);
                    var watch = Stopwatch.StartNew();
                    Go();
                    try
                    {
                        WaitFor("cs-bench: done", "in the command");
                    }
                    finally
                    {
                        watch.Stop();
                        milliseconds = watch.Elapsed.TotalMilliseconds;
                        Thread.Sleep(300);   // anything the pool does as the command's connections go back to it
                        measured = EndWindow(server, counters);
                    }

                    Go();
                }

                stdout.Append(pwsh.StandardOutput.ReadToEnd());
                pwsh.WaitForExit();
                if (pwsh.ExitCode != 0)
                {
                    throw Failed(pwsh, stdout, stderr, "(exit code " + pwsh.ExitCode + ")");
                }
            }
            finally
            {
                if (!pwsh.HasExited)
                {
                    pwsh.Kill(entireProcessTree: true);
                    pwsh.WaitForExit(10000);
                }
            }

            string json = stdout.ToString().Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("{", StringComparison.Ordinal));
            using JsonDocument result = JsonDocument.Parse(json);
            return new RunResult(connect, measured, result.RootElement.GetProperty("connected").GetInt32(), milliseconds);
        }

        /// <summary>Empties the general log and turns it on; returns the counters as they are then.</summary>
        private static (long Connections, long AdminCommands) StartWindow(MariaDbServer server) =>
            Counters(server.Sql("TRUNCATE TABLE mysql.general_log; SET GLOBAL general_log = 1; " + CountersSql));

        /// <summary>Turns the general log off and reads it back, with the rise of the counters (less this client's own connection).</summary>
        private static Window EndWindow(MariaDbServer server, (long Connections, long AdminCommands) before)
        {
            string rows = server.Sql("SET GLOBAL general_log = 0; " + CountersSql + "; SELECT thread_id, command_type, CONVERT(argument USING utf8mb4) FROM mysql.general_log");
            string[] lines = rows.Split('\n', 3);
            var after = Counters(lines[0] + "\n" + lines[1]);
            return new Window(Parse(lines.Length > 2 ? lines[2] : string.Empty), after.Connections - before.Connections - 1, after.AdminCommands - before.AdminCommands);
        }

        /// <summary>In the driver's own statements (the mariadb client drops comments, so it is a column alias).</summary>
        private const string DriverMark = "cs_bench_driver";

        private const string CountersSql = "SELECT VARIABLE_NAME AS " + DriverMark + ", VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('CONNECTIONS', 'COM_ADMIN_COMMANDS') ORDER BY VARIABLE_NAME";

        private static (long Connections, long AdminCommands) Counters(string rows)
        {
            var values = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split('\t'))
                .ToDictionary(f => f[0].Trim().ToUpperInvariant(), f => long.Parse(f[1].Trim(), CultureInfo.InvariantCulture));
            return (values["CONNECTIONS"], values["COM_ADMIN_COMMANDS"]);
        }

        private static InvalidOperationException Failed(Process pwsh, StringBuilder stdout, System.Threading.Tasks.Task<string> stderr, string where)
        {
            if (!pwsh.HasExited)
            {
                pwsh.Kill(entireProcessTree: true);
            }

            pwsh.WaitForExit(10000);
            return new InvalidOperationException("The command failed " + where + ":" + Environment.NewLine + stdout + stderr.Result);
        }

        /// <summary>The rows of 'mariadb --batch': tab-separated, with \t, \n, \\ and \0 escaped.</summary>
        private static List<LogEntry> Parse(string rows)
        {
            var log = new List<LogEntry>();
            foreach (string row in rows.Split('\n'))
            {
                if (row.Length == 0)
                {
                    continue;
                }

                string[] fields = row.Split('\t');
                if (fields.Length < 3 || !long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long thread))
                {
                    throw new InvalidOperationException("Unexpected row of mysql.general_log: " + row);
                }

                log.Add(new LogEntry(thread, Unescape(fields[1]), Unescape(string.Join("\t", fields.Skip(2)))));
            }

            return log;
        }

        private static string Unescape(string text)
        {
            if (text.IndexOf('\\') < 0)
            {
                return text;
            }

            var result = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\\' && i + 1 < text.Length)
                {
                    char next = text[++i];
                    result.Append(next switch { 'n' => '\n', 't' => '\t', '0' => '\0', _ => next });
                }
                else
                {
                    result.Append(text[i]);
                }
            }

            return result.ToString();
        }

        private sealed class InstanceCounts
        {
            public int Reads;
            public int LockedReads;
            public int Physical;
            public int Logical;
        }

        private sealed class Counts
        {
            public Dictionary<string, InstanceCounts> PerInstance { get; } = new Dictionary<string, InstanceCounts>();

            public int Physical;
            public int Logical;
            public int Statements;
            public int Reads;
            public int OtherSelects;
            public int Writes;
            public int Begins;
            public int UnattributedSessions;
        }

        /// <summary>One logical open (or what a connection did before the first one the log saw) and the statements in it.</summary>
        private sealed class Session
        {
            public bool Physical;
            public bool Opened;
            public bool SetNames;
            public string? Database;
            public List<string> Statements { get; } = new List<string>();
        }

        /// <summary>MySqlConnector's 'SET NAMES utf8mb4', sent after each handshake and with each reset of a pooled connection.</summary>
        private static bool IsDriverSetNames(string statement) =>
            Regex.IsMatch(statement, @"^\s*SET\s+NAMES\s+utf8mb4\s*;?\s*$", RegexOptions.IgnoreCase);

        private static Counts Analyze(List<LogEntry> log, Layout layout)
        {
            var counts = new Counts();
            foreach (string instance in layout.Instances)
            {
                counts.PerInstance[instance] = new InstanceCounts();
            }

            foreach (var thread in log.GroupBy(e => e.Thread))
            {
                // The driver's own connections (that read the counters and turn the log off) are not the command's.
                if (thread.Any(e => e.Argument.Contains(DriverMark, StringComparison.Ordinal) || e.Argument.Contains("general_log", StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                var sessions = new List<Session>();
                Session? current = null;
                string? database = null;
                foreach (LogEntry entry in thread)
                {
                    switch (entry.Type)
                    {
                        case "Connect":
                            database = ConnectDatabase.Match(entry.Argument) is { Success: true } m ? m.Groups[1].Value : null;
                            current = new Session { Physical = true, Opened = true, Database = database };
                            sessions.Add(current);
                            break;
                        case "Reset connection":
                        case "Change user":
                            current = new Session { Opened = true, Database = database };
                            sessions.Add(current);
                            break;
                        case "Init DB":
                            database = entry.Argument.Trim();
                            if (current != null)
                            {
                                current.Database = database;
                            }

                            break;
                        case "Query":
                        case "Execute":
                            if (IsDriverSetNames(entry.Argument))
                            {
                                // Right after a handshake it belongs to that connect; otherwise it is the reset of a reuse.
                                if (current is { Physical: true, SetNames: false } && current.Statements.Count == 0)
                                {
                                    current.SetNames = true;
                                }
                                else
                                {
                                    current = new Session { Opened = true, SetNames = true, Database = database };
                                    sessions.Add(current);
                                }

                                break;
                            }

                            if (current == null)
                            {
                                current = new Session { Database = database };
                                sessions.Add(current);
                            }

                            current.Statements.AddRange(StatementStart.Split(entry.Argument).Select(t => t.Trim()).Where(t => t.Length > 0));
                            break;
                    }
                }

                foreach (Session session in sessions)
                {
                    string? owner = session.Statements.Select(t => PrefixPattern.Match(t)).Where(m => m.Success && layout.ByPrefix.ContainsKey(m.Value)).Select(m => layout.ByPrefix[m.Value]).FirstOrDefault();
                    if (owner == null && session.Database != null)
                    {
                        layout.ByDatabase.TryGetValue(session.Database, out owner);
                    }

                    counts.Physical += session.Physical ? 1 : 0;
                    counts.Logical += session.Opened ? 1 : 0;

                    if (owner != null)
                    {
                        InstanceCounts mine = counts.PerInstance[owner];
                        mine.Physical += session.Physical ? 1 : 0;
                        mine.Logical += session.Opened ? 1 : 0;
                    }
                    else if (session.Opened)
                    {
                        counts.UnattributedSessions++;
                    }

                    foreach (string statement in session.Statements)
                    {
                        counts.Statements++;
                        string verb = Regex.Match(statement, @"^\W*(\w+)").Groups[1].Value.ToUpperInvariant();
                        if (verb == "SELECT" && statement.Contains("core_config_data", StringComparison.OrdinalIgnoreCase))
                        {
                            counts.Reads++;
                            Match table = PrefixPattern.Match(statement);
                            string? reader = table.Success && layout.ByPrefix.TryGetValue(table.Value, out string? byTable) ? byTable : owner;
                            if (reader != null)
                            {
                                counts.PerInstance[reader].Reads++;
                                counts.PerInstance[reader].LockedReads += Regex.IsMatch(statement, @"\bFOR\s+UPDATE\b", RegexOptions.IgnoreCase) ? 1 : 0;
                            }
                        }
                        else if (verb == "SELECT")
                        {
                            counts.OtherSelects++;
                        }
                        else if (verb is "INSERT" or "UPDATE" or "DELETE" or "REPLACE")
                        {
                            counts.Writes++;
                        }
                        else if (verb == "BEGIN" || Regex.IsMatch(statement, @"^\W*START\s+TRANSACTION\b", RegexOptions.IgnoreCase))
                        {
                            counts.Begins++;
                        }
                    }
                }
            }

            return counts;
        }
    }
}
