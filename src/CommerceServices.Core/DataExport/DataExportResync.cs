using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Instances;

namespace CommerceServices.DataExport
{
    /// <summary>
    /// One run of 'bin/magento saas:resync' for one feed on one instance (shared/reference/data-export.md §3): the
    /// exact command, whether it can run from here and why not, and running it with its output line by line.
    /// </summary>
    public sealed class DataExportResync
    {
        /// <summary>The module that brings saas:resync (magento/module-saas-common).</summary>
        public const string ResyncModule = "Magento_SaaSCommon";

        /// <summary>How many of the last output lines a result keeps.</summary>
        public const int OutputTailLines = 50;

        // The lines of the output a failure's message quotes.
        private const int FailureMessageLines = 10;

        // How long the output pipes may stay open after the process tree was killed (a grandchild that escaped the kill).
        private static readonly TimeSpan PipesAfterKill = TimeSpan.FromSeconds(10);

        private static readonly Regex Percent = new Regex(@"(?<!\d)(\d{1,3}(?:\.\d+)?)\s*%", RegexOptions.CultureInvariant);

        private static readonly Regex Fraction = new Regex(@"(?<![\d/])(\d+)\s*/\s*(\d+)(?![\d/])", RegexOptions.CultureInvariant);

        /// <summary>The resync of <paramref name="feed"/> on <paramref name="instance"/>; the options are checked first (<see cref="Validate"/>).</summary>
        public DataExportResync(CommerceInstance instance, ExportFeed feed, DataExportResyncOptions? options = null)
        {
            Instance = instance ?? throw new ArgumentNullException(nameof(instance));
            Feed = feed ?? throw new ArgumentNullException(nameof(feed));
            Options = options ?? new DataExportResyncOptions();
            Validate(Feed, Options);
            Arguments = ArgumentsOf(Feed, Options);
            Command = "bin/magento " + string.Join(" ", Arguments.Select(PosixShell.Quote));
        }

        public CommerceInstance Instance { get; }

        public ExportFeed Feed { get; }

        public DataExportResyncOptions Options { get; }

        /// <summary>What bin/magento is given, one argument each: saas:resync, --feed=products, ….</summary>
        public IReadOnlyList<string> Arguments { get; }

        /// <summary>The command as a person types it in the instance's root (values quoted for a POSIX shell where they need it).</summary>
        public string Command { get; }

        /// <summary>The command with the way to the instance's root, for a person on the host: cd '&lt;root&gt;' &amp;&amp; bin/magento saas:resync ….</summary>
        public string ManualCommand => "cd " + PosixShell.QuoteAlways(Instance.Path) + " && " + Command;

        /// <summary>
        /// Refuses options saas:resync would refuse or misread: --by-ids for a feed that does not take it
        /// (<see cref="ExportFeedOptionNotSupportedException"/>), ids that are empty or hold a comma, thread counts
        /// and batch sizes below 1.
        /// </summary>
        public static void Validate(ExportFeed feed, DataExportResyncOptions options)
        {
            if (feed == null)
            {
                throw new ArgumentNullException(nameof(feed));
            }

            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            if (options.ThreadCount < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options.ThreadCount), options.ThreadCount, "--thread-count must be 1 or more.");
            }

            if (options.BatchSize < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options.BatchSize), options.BatchSize, "--batch-size must be 1 or more.");
            }

            if (options.ByIds == null || options.ByIds.Length == 0)
            {
                return;
            }

            if (!feed.SupportsByIds)
            {
                throw new ExportFeedOptionNotSupportedException(
                    feed.Name,
                    "--by-ids",
                    "saas:resync --by-ids does not take the " + feed.Name + " feed; it takes " + string.Join(", ", ExportFeeds.All.Where(f => f.SupportsByIds).Select(f => f.Name))
                        + ". Resync " + feed.Name + " without ids, or choose one of those feeds.",
                    nameof(options.ByIds));
            }

            foreach (string? id in options.ByIds)
            {
                if (string.IsNullOrWhiteSpace(id) || id!.IndexOf(',') >= 0)
                {
                    throw new ArgumentException(
                        "The id '" + id + "' cannot be passed to saas:resync --by-ids, which takes ids separated by commas: give each id on its own, none empty and none holding a comma.",
                        nameof(options.ByIds));
                }
            }
        }

        /// <summary>The arguments of bin/magento for <paramref name="feed"/> and <paramref name="options"/>, in saas:resync's order.</summary>
        private static IReadOnlyList<string> ArgumentsOf(ExportFeed feed, DataExportResyncOptions options)
        {
            var arguments = new List<string> { "saas:resync", "--feed=" + feed.Name };
            if (options.NoReindex)
            {
                arguments.Add("--no-reindex");
            }

            if (options.DryRun)
            {
                arguments.Add("--dry-run");
            }

            if (options.ThreadCount.HasValue)
            {
                arguments.Add("--thread-count=" + options.ThreadCount.Value.ToString(CultureInfo.InvariantCulture));
            }

            if (options.BatchSize.HasValue)
            {
                arguments.Add("--batch-size=" + options.BatchSize.Value.ToString(CultureInfo.InvariantCulture));
            }

            if (options.ByIds != null && options.ByIds.Length > 0)
            {
                arguments.Add("--by-ids=" + string.Join(",", options.ByIds));
            }

            return arguments;
        }

        /// <summary>
        /// The modules the feed needs that are not enabled on the instance (app/etc/config.php): the feed's exporter
        /// and the module that brings saas:resync. Empty when the feed can be resynced there.
        /// </summary>
        public IReadOnlyList<string> MissingModules() =>
            new[] { Feed.Module, ResyncModule }.Where(module => !Instance.IsModuleEnabled(module)).ToList();

        /// <summary>
        /// Why saas:resync cannot run from here, in words for the person who runs it: PHP missing, no bin/magento,
        /// or this process is not the owner of the instance's files. Null when it can.
        /// </summary>
        public string? WhyNotRunnableHere() => BinMagento.WhyNotRunnable(Instance);

        /// <summary>
        /// What stands against running the resync from here, as the exception <see cref="RunAsync"/> would throw:
        /// <see cref="ExportFeedNotInstalledException"/> or <see cref="DataExportResyncNotRunnableException"/>; null
        /// when nothing does.
        /// </summary>
        public InvalidOperationException? Refusal()
        {
            IReadOnlyList<string> missing = MissingModules();
            if (missing.Count > 0)
            {
                return new ExportFeedNotInstalledException(
                    Feed.Name,
                    missing,
                    "The " + Feed.Name + " feed cannot be resynced on " + Instance.Path + ": " + string.Join(" and ", missing) + (missing.Count == 1 ? " is" : " are")
                        + " not enabled there (app/etc/config.php). Install the SaaS data export on the instance ('composer require magento/saas-export'), enable "
                        + (missing.Count == 1 ? "it" : "them") + " ('bin/magento module:enable " + string.Join(" ", missing) + "') and run 'bin/magento setup:upgrade'; then resync again.");
            }

            string? reason = WhyNotRunnableHere();
            if (reason != null)
            {
                return new DataExportResyncNotRunnableException(
                    reason,
                    ManualCommand,
                    "'" + Command + "' cannot run on " + Instance.Path + " from here: " + reason + ". Run on the host, as the owner of the files: " + ManualCommand);
            }

            return null;
        }

        /// <summary>
        /// Runs 'php bin/magento saas:resync …' in the instance's root and hands each line it writes (output and
        /// errors, blank lines left out) to <paramref name="outputLine"/>, one at a time. Cancelling kills the process
        /// and every process it started, then throws <see cref="OperationCanceledException"/>. A non-zero exit code is
        /// a result, not an exception (<see cref="DataExportResyncResult.Succeeded"/>, <see cref="FailureOf"/>).
        /// </summary>
        /// <exception cref="InvalidOperationException">What <see cref="Refusal"/> names; or PHP did not start.</exception>
        public async Task<DataExportResyncResult> RunAsync(Action<string>? outputLine, CancellationToken cancellationToken)
        {
            InvalidOperationException? refusal = Refusal();
            if (refusal != null)
            {
                throw refusal;
            }

            cancellationToken.ThrowIfCancellationRequested();
            ProcessStartInfo start = BinMagento.StartInfo(Instance, Arguments);
            start.RedirectStandardInput = true;
            var tail = new Queue<string>();
            var gate = new object();
            void Take(string line)
            {
                if (line.Trim().Length == 0)
                {
                    return;
                }

                lock (gate)
                {
                    tail.Enqueue(line);
                    if (tail.Count > OutputTailLines)
                    {
                        tail.Dequeue();
                    }

                    outputLine?.Invoke(line);
                }
            }

            Stopwatch watch = Stopwatch.StartNew();
            using (Process process = Process.Start(start) ?? throw new InvalidOperationException("PHP did not start for '" + Command + "' on " + Instance.Path + "."))
            {
                // A question (saas:resync asks one for --cleanup-feed) reads the end of its input instead of waiting for a console.
                process.StandardInput.Close();
                Task pipes = Task.WhenAll(PumpAsync(process.StandardOutput, Take), PumpAsync(process.StandardError, Take));
                var stopped = new TaskCompletionSource<Exception?>();
                using (cancellationToken.Register(() =>
                {
                    try
                    {
                        BinMagento.KillTree(process);
                    }
                    catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is NotSupportedException || ex is System.Reflection.TargetInvocationException)
                    {
                        stopped.TrySetResult(ex);
                        return;
                    }

                    stopped.TrySetResult(null);
                }))
                {
                    Task ended = await Task.WhenAny(pipes, stopped.Task).ConfigureAwait(false);
                    if (ended == stopped.Task && stopped.Task.Result is Exception killFailure)
                    {
                        throw new InvalidOperationException(
                            "'" + Command + "' (process " + process.Id + ") on " + Instance.Path + " was cancelled but could not be stopped; stop it on the host (kill " + process.Id + ").",
                            killFailure);
                    }

                    if (cancellationToken.IsCancellationRequested)
                    {
                        // The pipes close with the killed tree; a grandchild that escaped the kill may hold them open, so they get a while, not forever.
                        await Task.WhenAny(pipes, Task.Delay(PipesAfterKill)).ConfigureAwait(false);
                        throw new OperationCanceledException("'" + Command + "' on " + Instance.Path + " was cancelled; its process was stopped.", cancellationToken);
                    }

                    await pipes.ConfigureAwait(false);
                }

                process.WaitForExit();
                watch.Stop();
                string[] output;
                lock (gate)
                {
                    output = tail.ToArray();
                }

                return new DataExportResyncResult(Instance, Feed.Name, Command, Options.DryRun, process.ExitCode, output, watch.Elapsed);
            }
        }

        private static async Task PumpAsync(StreamReader reader, Action<string> take)
        {
            string? line;
            while ((line = await reader.ReadLineAsync().ConfigureAwait(false)) != null)
            {
                take(line);
            }
        }

        /// <summary>The failure of a run that did not succeed: exit code, its last lines, and the command to run again by hand.</summary>
        public DataExportResyncFailedException FailureOf(DataExportResyncResult result)
        {
            if (result == null)
            {
                throw new ArgumentNullException(nameof(result));
            }

            var message = new StringBuilder("'" + result.Command + "' failed on " + Instance.Path + " with exit code " + result.ExitCode.ToString(CultureInfo.InvariantCulture) + ".");
            string[] last = result.Output.Skip(Math.Max(0, result.Output.Length - FailureMessageLines)).ToArray();
            message.Append(last.Length == 0 ? " It wrote nothing." : " Its last lines:" + string.Concat(last.Select(line => Environment.NewLine + "  " + line)) + Environment.NewLine);
            message.Append(" Fix what it reports (the exporter's log is var/log/commerce-data-export-errors.log), then run it again; by hand on the host, as the owner of the files: " + ManualCommand);
            return new DataExportResyncFailedException(result, message.ToString());
        }

        /// <summary>
        /// How far a line of saas:resync's output says it got, 0 to 100: from "N%" or, failing that, "i/N" (i not
        /// above N); null when the line says neither.
        /// </summary>
        public static int? PercentOf(string line)
        {
            if (line == null)
            {
                return null;
            }

            Match percent = Percent.Match(line);
            if (percent.Success && double.TryParse(percent.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value <= 100)
            {
                return (int)value;
            }

            foreach (Match fraction in Fraction.Matches(line))
            {
                if (long.TryParse(fraction.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long done)
                    && long.TryParse(fraction.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long total)
                    && total > 0 && done <= total)
                {
                    return (int)(done * 100 / total);
                }
            }

            return null;
        }
    }
}
