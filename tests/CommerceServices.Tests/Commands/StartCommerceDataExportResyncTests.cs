using System.Management.Automation.Runspaces;
using System.Threading;

namespace CommerceServices.Tests.Commands
{
    /// <summary>Start-CommerceDataExportResync in the engine, against sample instances whose bin/magento is <see cref="FakeBinMagento"/>.</summary>
    public sealed class StartCommerceDataExportResyncTests : IDisposable
    {
        private static readonly string[] CatalogModules = { "Magento_DataExporter", "Magento_CatalogDataExporter", "Magento_SaaSCommon" };

        private static readonly string[] ExporterModules = CatalogModules.Concat(new[] { "Magento_ProductPriceDataExporter", "Magento_ScopesDataExporter" }).ToArray();

        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        /// <summary>Writes the instance ./<paramref name="name"/> with <paramref name="modules"/> enabled and, unless told otherwise, the fake bin/magento; returns its root.</summary>
        private string Shop(string name = "shop", string[]? modules = null, bool binMagento = true)
        {
            string root = new SampleInstance { EnabledModules = modules ?? ExporterModules }.WriteTo(Path.Combine(folder.Path, name));
            if (binMagento)
            {
                FakeBinMagento.WriteTo(root);
            }

            return root;
        }

        private ScriptResult Run(string script) => PowerShellRunner.Run(script, location: folder.Path);

        /// <summary>A DataExportResyncResult written to the output (the engine tests use no product type).</summary>
        private static PSObject Result(object output)
        {
            PSObject result = PSObject.AsPSObject(output);
            Assert.Equal("CommerceServices.DataExport.DataExportResyncResult", result.TypeNames[0]);
            return result;
        }

        private static object Property(object owner, string name) => PSObject.AsPSObject(owner).Properties[name].Value;

        /// <summary>The root of the instance an error names as its target.</summary>
        private static string TargetPath(ErrorRecord error)
        {
            Assert.Equal("CommerceServices.Instances.CommerceInstance", PSObject.AsPSObject(error.TargetObject).TypeNames[0]);
            return (string)Property(error.TargetObject, "Path");
        }

        private const string FeedNames = "products, productAttributes, categories, productOverrides, prices, variants, inventoryStockStatus, categoryPermissions, scopesWebsite, scopesCustomerGroup, orders, reviews, ratingMetadata";

        [Theory]
        [InlineData("-Feed products", "saas:resync|--feed=products")]
        [InlineData("productattributes -NoReindex -DryRun", "saas:resync|--feed=productAttributes|--no-reindex|--dry-run")]
        [InlineData("-Feed prices -ThreadCount 4 -BatchSize 250", "saas:resync|--feed=prices|--thread-count=4|--batch-size=250")]
        [InlineData("-Feed products -ById 'SKU 1', \"O'Neil\"", "saas:resync|--feed=products|--by-ids=SKU 1,O'Neil")]
        [InlineData("-Feed scopesWebsite -DryRun:$false -NoReindex", "saas:resync|--feed=scopesWebsite|--no-reindex")]
        public void TheOptionsReachBinMagentoAsSaasResyncArguments(string parameters, string expected)
        {
            string root = Shop();

            ScriptResult run = Run("Connect-CommerceInstance ./shop -WarningAction SilentlyContinue; Start-CommerceDataExportResync " + parameters);

            Assert.Empty(run.Errors);
            Assert.Equal(expected.Split('|'), Assert.Single(FakeBinMagento.Calls(root)));
            Assert.Equal(root, Assert.Single(FakeBinMagento.WorkingFolders(root)));
            PSObject result = Result(Assert.Single(run.Output));
            Assert.Equal(true, Property(result, "Succeeded"));
            Assert.Equal(root, Property(Property(result, "Instance"), "Path"));
        }

        [Fact]
        public void EachOutputLineIsProgressAndVerboseAndTheResultFollows()
        {
            string root = Shop();

            ScriptResult run = Run("Connect-CommerceInstance ./shop -WarningAction SilentlyContinue; Start-CommerceDataExportResync products -Verbose");

            Assert.Empty(run.Errors);
            string activity = "Resyncing products of " + root;
            Assert.All(run.Progress, p => Assert.Equal(activity, p.Activity));
            var statuses = run.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).Select(p => p.StatusDescription).ToList();
            var stdout = new[] { FakeBinMagento.FirstLine }.Concat(FakeBinMagento.ProgressLines).Append(FakeBinMagento.LastLine).ToArray();
            Assert.Equal(stdout, statuses.Where(s => s != FakeBinMagento.ErrorLine));
            Assert.Contains(FakeBinMagento.ErrorLine, statuses);
            Assert.Equal(
                new[] { 33, 66, 100 },
                run.Progress.Where(p => FakeBinMagento.ProgressLines.Contains(p.StatusDescription)).Select(p => p.PercentComplete));
            Assert.Equal(-1, run.Progress.First().PercentComplete);
            Assert.Equal(ProgressRecordType.Completed, run.Progress.Last().RecordType);
            Assert.Single(run.Progress, p => p.RecordType == ProgressRecordType.Completed);
            var verbose = run.Verbose.Select(v => v.Message).ToList();
            Assert.Equal("Performing the operation \"Run 'bin/magento saas:resync --feed=products'\" on target \"" + root + "\".", verbose[0]);
            Assert.Equal("Running 'bin/magento saas:resync --feed=products' in " + root + ".", verbose[1]);
            Assert.Equal(statuses, verbose.Skip(2));
            PSObject result = Result(Assert.Single(run.Output));
            Assert.Equal("bin/magento saas:resync --feed=products", Property(result, "Command"));
            Assert.Equal(statuses, (string[])Property(result, "Output"));
            var order = run.Records.Select(r => r.Stream).ToList();
            Assert.True(order.LastIndexOf(PSStream.Progress) < order.IndexOf(PSStream.Output), "the result comes after the progress");
        }

        [Fact]
        public void WhatIfRunsNothingAndSaysTheCommand()
        {
            string root = Shop();

            ScriptResult run = Run("Connect-CommerceInstance ./shop -WarningAction SilentlyContinue; Start-CommerceDataExportResync products, prices -DryRun -WhatIf");

            Assert.Empty(run.Errors);
            Assert.Empty(run.Output);
            Assert.Empty(run.Progress);
            Assert.Empty(FakeBinMagento.Calls(root));
        }

        [Fact]
        public void ConfirmationNamesTheInstanceAndTheExactCommand()
        {
            string root = Shop();
            string? asked = null;

            ScriptResult run = PowerShellRunner.Run(
                "Connect-CommerceInstance ./shop -WarningAction SilentlyContinue; Start-CommerceDataExportResync products -ById 'a b' -Confirm",
                location: folder.Path,
                answer: (message, choices) =>
                {
                    asked = message;
                    return choices.ToList().FindIndex(c => c.Label.Replace("&", string.Empty, StringComparison.Ordinal).StartsWith("No", StringComparison.Ordinal));
                });

            Assert.Empty(run.Errors);
            Assert.NotNull(asked);
            Assert.Contains("bin/magento saas:resync --feed=products --by-ids='a b'", asked, StringComparison.Ordinal);
            Assert.Contains(root, asked, StringComparison.Ordinal);
            Assert.Empty(FakeBinMagento.Calls(root));
        }

        [Fact]
        public void WhereItCannotRunItSaysWhyAndTheCommandToRunOnTheHost()
        {
            string root = Shop(binMagento: false);

            ScriptResult run = Run("Connect-CommerceInstance ./shop -WarningAction SilentlyContinue; Start-CommerceDataExportResync products, prices -DryRun; 'went on'");

            Assert.Equal(new[] { "DataExportResyncNotRunnableHere", "DataExportResyncNotRunnableHere" }, run.Errors.Select(Id));
            ErrorRecord error = run.Errors[0];
            Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
            Assert.Equal(root, TargetPath(error));
            string manual = "cd '" + root + "' && bin/magento saas:resync --feed=products --dry-run";
            Assert.Equal(manual, error.ErrorDetails.RecommendedAction);
            Assert.Contains("there is no bin/magento in " + root, error.Exception.Message, StringComparison.Ordinal);
            Assert.EndsWith("Run on the host, as the owner of the files: " + manual, error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal("cd '" + root + "' && bin/magento saas:resync --feed=prices --dry-run", run.Errors[1].ErrorDetails.RecommendedAction);
            Assert.Equal(new object[] { "went on" }, run.Output);
        }

        [Fact]
        public void ANonZeroExitCodeIsANonTerminatingErrorWithTheLastLinesAndTheCommand()
        {
            string root = Shop();
            FakeBinMagento.SetExitCode(root, 4);

            ScriptResult run = Run("Connect-CommerceInstance ./shop -WarningAction SilentlyContinue; Start-CommerceDataExportResync products, prices -NoReindex");

            Assert.Equal(new[] { "DataExportResyncFailed", "DataExportResyncFailed" }, run.Errors.Select(Id));
            ErrorRecord error = run.Errors[0];
            Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
            Assert.Equal(root, TargetPath(error));
            Assert.Contains("'bin/magento saas:resync --feed=products --no-reindex' failed on " + root + " with exit code 4.", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains(FakeBinMagento.LastLine, error.Exception.Message, StringComparison.Ordinal);
            Assert.EndsWith("cd '" + root + "' && bin/magento saas:resync --feed=products --no-reindex", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal("CommerceServices.DataExport.DataExportResyncFailedException", error.Exception.GetType().FullName);
            Assert.Equal(4, Property(Property(error.Exception, "Result"), "ExitCode"));
            Assert.Equal(2, FakeBinMagento.Calls(root).Count);
            Assert.Empty(run.Output);
            Assert.Equal(ProgressRecordType.Completed, run.Progress.Last().RecordType);
        }

        [Fact]
        public void AnUnknownFeedStopsTheCommandListingTheFeeds()
        {
            string root = Shop();

            ScriptResult run = Run("Connect-CommerceInstance ./shop -WarningAction SilentlyContinue; try { Start-CommerceDataExportResync products, product -ErrorAction SilentlyContinue } catch { $_ }");

            ErrorRecord error = Assert.IsType<ErrorRecord>(Assert.Single(run.Output));
            Assert.Equal("DataExportFeedUnknown", Id(error));
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal("product", error.TargetObject);
            Assert.Contains(FeedNames, error.Exception.Message, StringComparison.Ordinal);
            Assert.Empty(FakeBinMagento.Calls(root));
        }

        [Fact]
        public void ByIdForAFeedThatDoesNotTakeIdsStopsTheCommand()
        {
            string root = Shop();

            ScriptResult run = Run("Connect-CommerceInstance ./shop -WarningAction SilentlyContinue; try { Start-CommerceDataExportResync products, categories -ById 24-MB01 -ErrorAction SilentlyContinue } catch { $_ }");

            ErrorRecord error = Assert.IsType<ErrorRecord>(Assert.Single(run.Output));
            Assert.Equal("DataExportByIdsNotSupported", Id(error));
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("products, productAttributes, productOverrides, prices, variants, inventoryStockStatus, categoryPermissions", error.Exception.Message, StringComparison.Ordinal);
            Assert.Empty(FakeBinMagento.Calls(root));
        }

        [Fact]
        public void FeedsRunInTheOrderNamedEachOnceWhateverTheCase()
        {
            string root = Shop(modules: ExporterModules);

            ScriptResult run = Run("Connect-CommerceInstance ./shop -WarningAction SilentlyContinue; Start-CommerceDataExportResync prices, PRODUCTS, Prices -Confirm:$false");

            Assert.Empty(run.Errors);
            Assert.Equal(new[] { "--feed=prices", "--feed=products" }, FakeBinMagento.Calls(root).Select(call => call[1]));
            Assert.Equal(new[] { "prices", "products" }, run.Output.Select(o => Property(Result(o), "Feed")));
        }

        [Fact]
        public void AFeedWhoseExporterIsNotEnabledIsANonTerminatingErrorAndTheOtherFeedsRun()
        {
            string root = Shop(modules: CatalogModules);

            ScriptResult run = Run("Connect-CommerceInstance ./shop -WarningAction SilentlyContinue; Start-CommerceDataExportResync prices, products");

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("DataExportFeedNotInstalled", Id(error));
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(root, TargetPath(error));
            Assert.Contains("Magento_ProductPriceDataExporter is not enabled", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("composer require magento/saas-export", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("module:enable Magento_ProductPriceDataExporter", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("setup:upgrade", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(new[] { "saas:resync", "--feed=products" }, Assert.Single(FakeBinMagento.Calls(root)));
            Assert.Equal("products", Property(Result(Assert.Single(run.Output)), "Feed"));
        }

        [Fact]
        public void ObjectsWithFeedAndInstanceBindBothByPropertyName()
        {
            string first = Shop("first");
            string second = Shop("second");

            ScriptResult run = Run(
                "$first = Connect-CommerceInstance ./first -PassThru -WarningAction SilentlyContinue; $second = Connect-CommerceInstance ./second -PassThru -WarningAction SilentlyContinue\n"
                + "[pscustomobject]@{ Feed = 'products'; Instance = $first }, [pscustomobject]@{ Feed = 'prices'; Instance = $second } | Start-CommerceDataExportResync -DryRun\n"
                + "$first | Start-CommerceDataExportResync -Feed categories");

            Assert.Empty(run.Errors);
            Assert.Equal(new[] { new[] { "saas:resync", "--feed=products", "--dry-run" }, new[] { "saas:resync", "--feed=categories" } }, FakeBinMagento.Calls(first));
            Assert.Equal(new[] { new[] { "saas:resync", "--feed=prices", "--dry-run" } }, FakeBinMagento.Calls(second));
            Assert.Equal(new[] { first, second, first }, run.Output.Select(r => Property(Property(Result(r), "Instance"), "Path")));
        }

        [Fact]
        public void TheTableShowsFeedExitCodeDurationAndCommandOnAnEightyColumnTerminalWrappingLongCommands()
        {
            string root = Shop(modules: ExporterModules.Append("Magento_InventoryDataExporter").ToArray());

            ScriptResult run = PowerShellRunner.Run(
                "Connect-CommerceInstance ./shop -WarningAction SilentlyContinue; Start-CommerceDataExportResync inventoryStockStatus, products -DryRun -ThreadCount 12 -BatchSize 1000 -ProgressAction SilentlyContinue",
                location: folder.Path,
                formatOutput: true,
                width: 80);

            Assert.Empty(run.Errors);
            string[] lines = run.HostText.Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToArray();
            Assert.All(lines, l => Assert.True(l.Length < 80, "wider than 79 columns: " + l));
            Assert.Contains(lines, l => l.Trim() == "Instance: " + root);
            Assert.Contains(lines, l => l.StartsWith("Feed ", StringComparison.Ordinal) && l.Contains(" ExitCode Duration Command", StringComparison.Ordinal));
            Assert.True(lines.Any(l => l.StartsWith("inventoryStockStatus        0 00:00:0", StringComparison.Ordinal) && l.Contains(" bin/magento saas:resync --feed=", StringComparison.Ordinal)), run.HostText);
            Assert.True(lines.Any(l => l.StartsWith("products                    0 00:00:0", StringComparison.Ordinal)), run.HostText);
            Assert.DoesNotContain("…", run.HostText, StringComparison.Ordinal);
            Assert.Contains("1000", run.HostText, StringComparison.Ordinal);
        }

        [Fact]
        public void FeedNamesComplete()
        {
            ScriptResult run = Run("(TabExpansion2 -inputScript 'Start-CommerceDataExportResync -Feed prod' -cursorColumn 40).CompletionMatches.CompletionText");

            Assert.Equal(new object[] { "products", "productAttributes", "productOverrides" }, run.Output);
        }

        [Fact]
        public void StoppingThePipelineKillsBinMagento()
        {
            string root = Shop();
            FakeBinMagento.WriteTo(root, sleepSeconds: 600);
            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { ModuleLocation.ManifestPath });
            using Runspace runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            runspace.SessionStateProxy.Path.SetLocation(folder.Path);
            using PowerShell ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript("Connect-CommerceInstance ./shop -WarningAction SilentlyContinue; Start-CommerceDataExportResync products");
            using var firstProgressLine = new ManualResetEventSlim();
            ps.Streams.Progress.DataAdded += (sender, e) =>
            {
                if (((PSDataCollection<ProgressRecord>)sender!)[e.Index].StatusDescription == FakeBinMagento.ProgressLines[0])
                {
                    firstProgressLine.Set();
                }
            };

            IAsyncResult running = ps.BeginInvoke();
            Assert.True(firstProgressLine.Wait(TimeSpan.FromMinutes(1)), "bin/magento wrote no progress line");
            ps.Stop();

            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
            var (process, child) = FakeBinMagento.ProcessIds(root);
            Assert.True(Ends(process), "bin/magento (pid " + process + ") still runs");
            Assert.True(Ends(child!.Value), "the process bin/magento started (pid " + child + ") still runs");
            Assert.False(FakeBinMagento.Slept(root));
        }

        /// <summary>Whether the process ends (or has ended): gone or a zombie within a minute of being stopped.</summary>
        private static bool Ends(int pid)
        {
            var wait = System.Diagnostics.Stopwatch.StartNew();
            while (wait.Elapsed < TimeSpan.FromMinutes(1))
            {
                string stat = "/proc/" + pid + "/stat";
                try
                {
                    string text = File.ReadAllText(stat);
                    if (text.Substring(text.LastIndexOf(')') + 2, 1) == "Z")
                    {
                        return true;
                    }
                }
                catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException || ex is IOException)
                {
                    return true;
                }

                Thread.Sleep(50);
            }

            return false;
        }
    }
}
