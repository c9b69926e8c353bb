using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Instances;
using CommerceServices.Php;
using CommerceServices.Stores;
using CommerceServices.Testing;
using Xunit;
using Xunit.Abstractions;

namespace CommerceServices.Core.Tests.Stores
{
    /// <summary>
    /// Writes killed with SIGKILL at random moments, over and over: right after each kill env.php must
    /// read and the two values each write changes together must be both old or both new; the next
    /// write (the "next run") must succeed, and then Magento's configuration hash must match the
    /// files, and no temporary file or pending backup may be left. The writer is a child
    /// process (this test assembly started with a startup hook) that writes in a loop until killed.
    /// </summary>
    [Collection(MariaDbCollection.Name)]
    public sealed class KillLoopTests : IDisposable
    {
        internal const string InstanceVariable = "COMMERCESERVICES_KILL_LOOP_INSTANCE";
        internal const string StoreVariable = "COMMERCESERVICES_KILL_LOOP_STORE";
        private const string Prefix = "kl_";
        private readonly MariaDbServer server;
        private readonly TempFolder folder = new TempFolder();
        private readonly ITestOutputHelper output;

        public KillLoopTests(MariaDbFixture fixture, ITestOutputHelper output)
        {
            server = fixture.Server;
            this.output = output;
        }

        public void Dispose() => folder.Dispose();

        [Theory]
        [InlineData(ConfigStore.EnvPhp, true, 90)]
        [InlineData(ConfigStore.EnvPhp, false, 60)]
        [InlineData(ConfigStore.Database, true, 60)]
        public async Task AWriteKilledAnywhereLeavesNothingTheNextWriteCannotFinish(ConfigStore store, bool installed, int kills)
        {
            string database = MagentoDatabase.Create(server, Prefix);
            string root = new SampleInstance { TablePrefix = Prefix, Installed = installed }.UseDatabase(server, database).WriteTo(Path.Combine(folder.Path, "shop"));
            string etc = Path.Combine(root, "app", "etc");
            var random = new Random(20261201 + kills);
            int apartAfterKill = 0;
            int pendingAfterKill = 0;
            int writesSeen = 0;

            // The first write stores the hash of the files, as a real installation has it.
            await WriteAsync(root, store, "first");
            for (int i = 0; i < kills; i++)
            {
                writesSeen += KillAWritingChild(root, store, random.Next(0, 400));

                // Right after the kill: env.php whole (old or new, never torn), and the two values written together
                // either both old or both new (never half a pair).
                Assert.NotNull(PhpConfigReader.ReadFile(Path.Combine(etc, "env.php")));
                (string? id, string? name) = await ReadPairAsync(root, store);
                Assert.True(id == name, "kill " + i + " left half a pair: " + id + " / " + name);
                apartAfterKill += installed && store == ConfigStore.EnvPhp && StoredHash(database) != FilesHash(root) ? 1 : 0;
                pendingAfterKill += Directory.EnumerateFiles(etc, "*.pending").Count() + Directory.EnumerateFiles(etc, ".*.tmp").Count();

                // The next run.
                await WriteAsync(root, store, "after-kill-" + i);

                Assert.NotNull(PhpConfigReader.ReadFile(Path.Combine(etc, "env.php")));
                if (installed && store == ConfigStore.EnvPhp)
                {
                    Assert.Equal(FilesHash(root), StoredHash(database));
                }

                Assert.Empty(Directory.EnumerateFiles(etc, ".*.tmp"));
                Assert.Empty(Directory.EnumerateFiles(etc, "*.pending"));
                string backups = Path.Combine(root, "var", "commerceservices", "backups");
                Assert.Empty(Directory.Exists(backups) ? Directory.EnumerateFiles(backups, "*.pending") : Enumerable.Empty<string>());
                Assert.True(Directory.EnumerateFiles(etc, "env.php.commerceservices-*.bak").Count() <= ConfigBackups.KeptPerInstance);
            }

            output.WriteLine(store + (installed ? ", installed" : ", not installed") + ": " + kills + " kills, " + writesSeen + " writes finished by the children, "
                + apartAfterKill + " kills left env.php and its hash apart, " + pendingAfterKill + " left a temporary file or pending backup; all settled by the next write.");
        }

        /// <summary>Writes <paramref name="value"/> as both the data space id and its name, in one write.</summary>
        private static async Task WriteAsync(string root, ConfigStore store, string value)
        {
            CommerceInstance instance = CommerceInstanceReader.Open(root, store);
            await SettingsStores.WriteAsync(instance, new[] { new ConfigChange(ConnectorPaths.DataSpaceId, value), new ConfigChange(ConnectorPaths.DataSpaceName, value) }, deferConfigImport: false, CancellationToken.None);
        }

        private static async Task<(string? Id, string? Name)> ReadPairAsync(string root, ConfigStore store)
        {
            CommerceInstance instance = CommerceInstanceReader.Open(root, store);
            IReadOnlyList<ConnectorSetting> settings = await ConnectorConfigReader.ReadAsync(instance, new[] { ConnectorPaths.DataSpaceId, ConnectorPaths.DataSpaceName }, CancellationToken.None);
            return (settings.Single(s => s.Path == ConnectorPaths.DataSpaceId).Value, settings.Single(s => s.Path == ConnectorPaths.DataSpaceName).Value);
        }

        private string StoredHash(string database)
        {
            string json = server.Sql("SELECT flag_data FROM " + Prefix + "flag WHERE flag_code = 'config_hash'", database).Trim();
            return json.Length == 0 ? string.Empty : System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("system").GetString()!;
        }

        private static string FilesHash(string root)
        {
            string etc = Path.Combine(root, "app", "etc");
            PhpArray merged = PhpArray.ReplaceRecursive(PhpConfigReader.ReadFile(Path.Combine(etc, "config.php")), PhpConfigReader.ReadFile(Path.Combine(etc, "env.php")));
            return PhpJson.Sha1OfJson(merged["system"] ?? new PhpArray());
        }

        /// <summary>
        /// Starts a child that writes in a loop, waits until it has finished its first write (however long a loaded
        /// machine takes to start it), kills it <paramref name="milliseconds"/> later, somewhere in a later write, and
        /// returns how many writes it finished.
        /// </summary>
        private static int KillAWritingChild(string root, ConfigStore store, int milliseconds)
        {
            using Process child = ChildProcess.Start(new Dictionary<string, string> { [InstanceVariable] = root, [StoreVariable] = store.ToString() });
            int written = 0;
            using var firstWrite = new ManualResetEventSlim();
            var errors = new System.Text.StringBuilder();
            child.OutputDataReceived += (_, e) =>
            {
                if (e.Data == "written")
                {
                    Interlocked.Increment(ref written);
                    firstWrite.Set();
                }
            };
            child.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            bool started = firstWrite.Wait(TimeSpan.FromSeconds(120)) || child.HasExited;
            Thread.Sleep(milliseconds);
            if (!child.HasExited)
            {
                child.Kill();
            }

            child.WaitForExit();
            Assert.True(started && Volatile.Read(ref written) > 0, "The writing child finished no write (exit " + (child.HasExited ? child.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-") + "): " + errors);
            return written;
        }

        /// <summary>The child: writes a new data space name, again and again, until it is killed.</summary>
        internal static void RunChild(string root, ConfigStore store)
        {
            for (int i = 0; ; i++)
            {
                WriteAsync(root, store, "child-" + Environment.ProcessId + "-" + i).GetAwaiter().GetResult();
                Console.Out.WriteLine("written");
                Console.Out.Flush();
            }
        }
    }
}
