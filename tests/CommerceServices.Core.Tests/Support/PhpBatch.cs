using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace CommerceServices.Core.Tests.Support
{
    /// <summary>
    /// Runs a PHP script of this test assembly (in Php/) over many inputs at once, for the fuzz tests: the
    /// inputs are shared out over one PHP process per core, each given a list file (one input a line) and the
    /// index to start from. The script prints "&lt;index&gt;\tstart" before each input and
    /// "&lt;index&gt;\t&lt;field&gt;\t&lt;field&gt;..." after it. A process that dies on an input (a fatal error,
    /// which PHP cannot catch) is started again after that input, whose fields are then <c>died</c>.
    /// </summary>
    internal static class PhpBatch
    {
        /// <summary>The fields printed for each input, by its index in <paramref name="lines"/>.</summary>
        public static Dictionary<int, string[]> Run(string script, IReadOnlyList<string> lines, string folder, string[] died, params string[] arguments)
        {
            int shards = Math.Max(1, Environment.ProcessorCount);
            var results = new Dictionary<int, string[]>[shards];
            Parallel.For(0, shards, new ParallelOptions { MaxDegreeOfParallelism = shards }, shard =>
            {
                List<int> mine = Enumerable.Range(0, lines.Count).Where(i => i % shards == shard).ToList();
                string list = Path.Combine(folder, "php-list-" + shard + ".txt");
                File.WriteAllLines(list, mine.Select(i => lines[i]));
                Dictionary<int, string[]> outcomes = RunProcesses(script, list, mine.Count, died, arguments);
                results[shard] = outcomes.ToDictionary(o => mine[o.Key], o => o.Value);
            });
            var all = results.SelectMany(r => r).ToDictionary(r => r.Key, r => r.Value);
            Assert.Equal(lines.Count, all.Count);
            return all;
        }

        private static Dictionary<int, string[]> RunProcesses(string script, string list, int count, string[] died, string[] arguments)
        {
            var outcomes = new Dictionary<int, string[]>();
            int next = 0;
            while (next < count)
            {
                var start = new ProcessStartInfo("php")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Php", script));
                start.ArgumentList.Add(list);
                start.ArgumentList.Add(next.ToString(CultureInfo.InvariantCulture));
                foreach (string argument in arguments)
                {
                    start.ArgumentList.Add(argument);
                }

                using Process process = Process.Start(start) ?? throw new InvalidOperationException("php did not start");
                var errorText = process.StandardError.ReadToEndAsync();
                int started = next;
                string? line;
                while ((line = process.StandardOutput.ReadLine()) != null)
                {
                    string[] parts = line.Split('\t');
                    int index = int.Parse(parts[0], CultureInfo.InvariantCulture);
                    if (parts[1] == "start")
                    {
                        started = index;
                    }
                    else
                    {
                        outcomes[index] = parts.Skip(1).ToArray();
                        next = index + 1;
                    }
                }

                process.WaitForExit();
                if (next < count && !outcomes.ContainsKey(started))
                {
                    outcomes[started] = died;
                    next = started + 1;
                }
                else if (next < count)
                {
                    throw new InvalidOperationException(script + " ended with exit code " + process.ExitCode + " after input " + (next - 1) + ": " + errorText.Result);
                }
            }

            return outcomes;
        }
    }
}
