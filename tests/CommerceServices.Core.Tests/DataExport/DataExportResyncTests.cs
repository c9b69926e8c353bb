using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.DataExport;
using CommerceServices.Instances;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.DataExport
{
    /// <summary>saas:resync as DataExportResync words it, checks it and runs it, against a bin/magento of PHP (FakeBinMagento).</summary>
    public sealed class DataExportResyncTests : IDisposable
    {
        private static readonly string[] ExporterModules = { "Magento_DataExporter", "Magento_CatalogDataExporter", "Magento_ProductPriceDataExporter", DataExportResync.ResyncModule };

        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        /// <summary>A sample instance under <paramref name="name"/> with the catalog and price exporters enabled.</summary>
        private CommerceInstance Instance(string name = "shop", string[]? modules = null) =>
            CommerceInstanceReader.Open(new SampleInstance { EnabledModules = modules ?? ExporterModules }.WriteTo(Path.Combine(folder.Path, name)));

        private static ExportFeed Feed(string name) => ExportFeeds.Find(name) ?? throw new InvalidOperationException("No feed " + name);

        [Theory]
        [InlineData("products", false, false, null, null, null, "bin/magento saas:resync --feed=products")]
        [InlineData("productattributes", true, false, null, null, null, "bin/magento saas:resync --feed=productAttributes --no-reindex")]
        [InlineData("prices", false, true, 4, null, null, "bin/magento saas:resync --feed=prices --dry-run --thread-count=4")]
        [InlineData("scopesWebsite", true, true, 2, 500, null, "bin/magento saas:resync --feed=scopesWebsite --no-reindex --dry-run --thread-count=2 --batch-size=500")]
        [InlineData("products", false, false, null, 100, "SKU-1|sku_2|24-MB01", "bin/magento saas:resync --feed=products --batch-size=100 --by-ids=SKU-1,sku_2,24-MB01")]
        [InlineData("variants", false, false, null, null, "Blue shirt|O'Neil", "bin/magento saas:resync --feed=variants --by-ids='Blue shirt,O'\\''Neil'")]
        [InlineData("prices", false, false, null, null, "a$b|`c`", "bin/magento saas:resync --feed=prices --by-ids='a$b,`c`'")]
        public void TheCommandIsWhatAPersonTypesWithValuesQuotedForTheShell(string feed, bool noReindex, bool dryRun, int? threads, int? batch, string? ids, string expected)
        {
            var options = new DataExportResyncOptions { NoReindex = noReindex, DryRun = dryRun, ThreadCount = threads, BatchSize = batch, ByIds = ids?.Split('|') };

            var resync = new DataExportResync(Instance(), Feed(feed), options);

            Assert.Equal(expected, resync.Command);
            Assert.Equal("cd '" + resync.Instance.Path + "' && " + expected, resync.ManualCommand);
            Assert.Equal("saas:resync", resync.Arguments[0]);
            Assert.Equal("--feed=" + Feed(feed).Name, resync.Arguments[1]);
            if (ids != null)
            {
                Assert.Equal("--by-ids=" + ids.Replace('|', ','), resync.Arguments.Last());
            }

            // A POSIX shell reads the command back into the very arguments bin/magento is given.
            Assert.Equal(new[] { "bin/magento" }.Concat(resync.Arguments), ShellWords(resync.Command));
        }

        private static string[] ShellWords(string command)
        {
            var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("printf '%s\\0' " + command);
            using Process shell = Process.Start(start)!;
            string output = shell.StandardOutput.ReadToEnd();
            shell.WaitForExit();
            return output.TrimEnd('\0').Split('\0');
        }

        [Fact]
        public void TheWayToARootWithAQuoteInItsNameIsQuotedToo()
        {
            var resync = new DataExportResync(Instance("it's a shop"), Feed("products"));

            Assert.Equal("cd '" + folder.Path + "/it'\\''s a shop' && bin/magento saas:resync --feed=products", resync.ManualCommand);
        }

        [Theory]
        [InlineData("categories")]
        [InlineData("orders")]
        [InlineData("scopesWebsite")]
        public void ByIdsIsRefusedForAFeedThatDoesNotTakeThemNamingTheFeedsThatDo(string feed)
        {
            var error = Assert.Throws<ExportFeedOptionNotSupportedException>(() => new DataExportResync(Instance(), Feed(feed), new DataExportResyncOptions { ByIds = new[] { "1" } }));

            Assert.Equal(feed, error.Feed);
            Assert.Equal("--by-ids", error.Option);
            Assert.Contains("products, productAttributes, productOverrides, prices, variants, inventoryStockStatus, categoryPermissions", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void CountsBelowOneAndIdsSaasResyncWouldMisreadAreRefused()
        {
            CommerceInstance instance = Instance();

            Assert.Throws<ArgumentOutOfRangeException>(() => new DataExportResync(instance, Feed("products"), new DataExportResyncOptions { ThreadCount = 0 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => new DataExportResync(instance, Feed("products"), new DataExportResyncOptions { BatchSize = -5 }));
            Assert.Contains("comma", Assert.Throws<ArgumentException>(() => new DataExportResync(instance, Feed("products"), new DataExportResyncOptions { ByIds = new[] { "a,b" } })).Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => new DataExportResync(instance, Feed("products"), new DataExportResyncOptions { ByIds = new[] { "a", " " } }));
        }

        [Fact]
        public async Task RunsTheInstancesBinMagentoWithEachArgumentAsItIsAndHandsOverEveryLineAsItComes()
        {
            CommerceInstance instance = Instance();
            FakeBinMagento.WriteTo(instance.Path);
            var options = new DataExportResyncOptions { DryRun = true, ThreadCount = 3, ByIds = new[] { "Blue shirt", "O'Neil \"quoted\"", "back\\slash" } };
            var resync = new DataExportResync(instance, Feed("products"), options);
            var lines = new List<string>();

            DataExportResyncResult result = await resync.RunAsync(lines.Add, CancellationToken.None);

            Assert.Equal(new[] { "saas:resync", "--feed=products", "--dry-run", "--thread-count=3", "--by-ids=Blue shirt,O'Neil \"quoted\",back\\slash" }, Assert.Single(FakeBinMagento.Calls(instance.Path)));
            Assert.Equal(instance.Path, Assert.Single(FakeBinMagento.WorkingFolders(instance.Path)));
            var stdout = new[] { FakeBinMagento.FirstLine }.Concat(FakeBinMagento.ProgressLines).Append(FakeBinMagento.LastLine).ToArray();
            Assert.Equal(stdout, lines.Where(l => l != FakeBinMagento.ErrorLine));
            Assert.Contains(FakeBinMagento.ErrorLine, lines);
            Assert.Equal(lines, result.Output);
            Assert.Equal(0, result.ExitCode);
            Assert.True(result.Succeeded);
            Assert.True(result.DryRun);
            Assert.Equal("products", result.Feed);
            Assert.Same(instance, result.Instance);
            Assert.Equal(resync.Command, result.Command);
            Assert.StartsWith("'" + resync.Command + "' on " + instance.Path + " succeeded in ", result.ToString(), StringComparison.Ordinal);
            Assert.EndsWith("(dry run: nothing was sent)", result.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task ANonZeroExitCodeIsAResultAndItsFailureQuotesTheLastLinesAndTheCommandToRunByHand()
        {
            CommerceInstance instance = Instance();
            FakeBinMagento.WriteTo(instance.Path, exitCode: 3);
            var resync = new DataExportResync(instance, Feed("prices"), new DataExportResyncOptions { NoReindex = true });

            DataExportResyncResult result = await resync.RunAsync(null, CancellationToken.None);
            DataExportResyncFailedException failure = resync.FailureOf(result);

            Assert.Equal(3, result.ExitCode);
            Assert.False(result.Succeeded);
            Assert.Contains("failed with exit code 3 after ", result.ToString(), StringComparison.Ordinal);
            Assert.Same(result, failure.Result);
            Assert.Contains("'bin/magento saas:resync --feed=prices --no-reindex' failed on " + instance.Path + " with exit code 3.", failure.Message, StringComparison.Ordinal);
            Assert.Contains(FakeBinMagento.LastLine, failure.Message, StringComparison.Ordinal);
            Assert.EndsWith(resync.ManualCommand, failure.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task TheExitCodeComesFromTheProcessWhateverSetsIt()
        {
            // The fake reads its exit code from the environment this process hands down when no file gives one.
            CommerceInstance instance = Instance();
            FakeBinMagento.WriteTo(instance.Path);
            Environment.SetEnvironmentVariable(FakeBinMagento.ExitCodeVariable, "7");
            try
            {
                DataExportResyncResult result = await new DataExportResync(instance, Feed("products")).RunAsync(null, CancellationToken.None);

                Assert.Equal(7, result.ExitCode);
            }
            finally
            {
                Environment.SetEnvironmentVariable(FakeBinMagento.ExitCodeVariable, null);
            }
        }

        [Fact]
        public async Task AResultKeepsTheLastFiftyLines()
        {
            CommerceInstance instance = Instance();
            Directory.CreateDirectory(Path.Combine(instance.Path, "bin"));
            File.WriteAllText(Path.Combine(instance.Path, "bin", "magento"), "<?php\nfor ($i = 1; $i <= 120; $i++) { echo \"line $i\\n\\n\"; }\n");

            DataExportResyncResult result = await new DataExportResync(instance, Feed("products")).RunAsync(null, CancellationToken.None);

            Assert.Equal(Enumerable.Range(71, 50).Select(i => "line " + i), result.Output);
        }

        [Fact]
        public async Task CancellingKillsTheProcessAndWhatItStarted()
        {
            CommerceInstance instance = Instance();
            FakeBinMagento.WriteTo(instance.Path, sleepSeconds: 600);
            using var cancel = new CancellationTokenSource();
            var lines = new List<string>();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DataExportResync(instance, Feed("products")).RunAsync(
                line =>
                {
                    lines.Add(line);
                    if (line == FakeBinMagento.ProgressLines[0])
                    {
                        cancel.Cancel();
                    }
                },
                cancel.Token));

            var (process, child) = FakeBinMagento.ProcessIds(instance.Path);
            Assert.NotNull(child);
            Assert.True(Ends(process), "bin/magento (pid " + process + ") still runs");
            Assert.True(Ends(child!.Value), "the process bin/magento started (pid " + child + ") still runs");
            Assert.False(FakeBinMagento.Slept(instance.Path));
            Assert.Equal(new[] { FakeBinMagento.FirstLine, FakeBinMagento.ProgressLines[0] }, lines);
        }

        /// <summary>Whether the process ends (or has ended): gone or a zombie within a minute of being killed.</summary>
        private static bool Ends(int pid)
        {
            var wait = Stopwatch.StartNew();
            while (wait.Elapsed < TimeSpan.FromMinutes(1))
            {
                string stat = "/proc/" + pid + "/stat";
                if (!File.Exists(stat))
                {
                    return true;
                }

                try
                {
                    string text = File.ReadAllText(stat);
                    if (text.Substring(text.LastIndexOf(')') + 2, 1) == "Z")
                    {
                        return true;
                    }
                }
                catch (IOException)
                {
                    return true;
                }

                Thread.Sleep(50);
            }

            return false;
        }

        [Fact]
        public async Task WithoutBinMagentoItSaysWhyAndWhatToRunOnTheHost()
        {
            CommerceInstance instance = Instance();
            var resync = new DataExportResync(instance, Feed("products"), new DataExportResyncOptions { DryRun = true });

            var refusal = Assert.IsType<DataExportResyncNotRunnableException>(resync.Refusal());
            var thrown = await Assert.ThrowsAsync<DataExportResyncNotRunnableException>(() => resync.RunAsync(null, CancellationToken.None));

            Assert.Equal("there is no bin/magento in " + instance.Path + " (only the instance's configuration files are here, not its code)", resync.WhyNotRunnableHere());
            Assert.Equal(resync.WhyNotRunnableHere(), refusal.Reason);
            Assert.Equal("cd '" + instance.Path + "' && bin/magento saas:resync --feed=products --dry-run", refusal.ManualCommand);
            Assert.Equal(
                "'bin/magento saas:resync --feed=products --dry-run' cannot run on " + instance.Path + " from here: " + refusal.Reason + ". Run on the host, as the owner of the files: " + refusal.ManualCommand,
                refusal.Message);
            Assert.Equal(refusal.Message, thrown.Message);
        }

        [Fact]
        public void ItDoesNotRunAsAnotherUserThanTheOwnerOfTheFiles()
        {
            CommerceInstance instance = Instance();
            FakeBinMagento.WriteTo(instance.Path);
            var resync = new DataExportResync(instance, Feed("products"));
            Assert.Null(resync.Refusal());

            // Only root can hand the files to another user; as root, bin/magento must then not run (it would leave root-owned files).
            if (!Chown("12345", Path.Combine(instance.Path, "app", "etc", "env.php")))
            {
                return;
            }

            var refusal = Assert.IsType<DataExportResyncNotRunnableException>(resync.Refusal());
            Assert.Contains("this process runs as root (uid 0), but the instance's files belong to uid 12345", refusal.Reason, StringComparison.Ordinal);
            Assert.Empty(FakeBinMagento.Calls(instance.Path));
        }

        private static bool Chown(string owner, string path)
        {
            using var process = Process.Start(new ProcessStartInfo("chown", owner + " " + path) { RedirectStandardError = true, UseShellExecute = false })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }

        [Fact]
        public async Task AFeedWhoseExporterIsNotEnabledIsRefusedNamingTheModulesAndWhatToDo()
        {
            CommerceInstance instance = Instance(modules: new[] { "Magento_DataExporter", "Magento_CatalogDataExporter" });
            FakeBinMagento.WriteTo(instance.Path);
            var prices = new DataExportResync(instance, Feed("prices"));

            var refusal = Assert.IsType<ExportFeedNotInstalledException>(prices.Refusal());
            await Assert.ThrowsAsync<ExportFeedNotInstalledException>(() => prices.RunAsync(null, CancellationToken.None));

            Assert.Equal(new[] { "Magento_ProductPriceDataExporter", DataExportResync.ResyncModule }, refusal.MissingModules);
            Assert.Contains("composer require magento/saas-export", refusal.Message, StringComparison.Ordinal);
            Assert.Contains("bin/magento module:enable Magento_ProductPriceDataExporter Magento_SaaSCommon", refusal.Message, StringComparison.Ordinal);
            Assert.Contains("bin/magento setup:upgrade", refusal.Message, StringComparison.Ordinal);
            Assert.Empty(FakeBinMagento.Calls(instance.Path));
        }

        [Theory]
        [InlineData("Progress 1/3, processed 100, synced 100", 33)]
        [InlineData(" 250/1000 [=======>--------------------]  25%", 25)]
        [InlineData("Sent 99.5% of the feed", 99)]
        [InlineData("3/3", 100)]
        [InlineData("Started at 2026/05/14 10:11", null)]
        [InlineData("Batch 12/4 is over", null)]
        [InlineData("Executing resync", null)]
        public void APercentIsReadFromWhatALineSaysOfItsProgress(string line, int? percent)
        {
            Assert.Equal(percent, DataExportResync.PercentOf(line));
        }
    }
}
