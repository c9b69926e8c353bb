using System;
using CommerceServices.Core.Tests.Support;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using CommerceServices.Php;
using CommerceServices.Testing;
using Xunit;
using Xunit.Abstractions;

namespace CommerceServices.Core.Tests.Php
{
    /// <summary>
    /// Fuzzes <see cref="PhpConfigReader"/> with 20,000 mutated copies of the fixtures (bit flips, truncations,
    /// duplicated, removed, swapped and inserted tokens, deep nesting), seeded so every run reads the same
    /// inputs. The reader runs in a child process (this test assembly, started with a startup hook), so a
    /// crash such as a stack overflow fails this test and names the input instead of killing the test run.
    /// Each input must give a <see cref="PhpArray"/> or a <see cref="PhpConfigParseException"/>, nothing else,
    /// and what it reads must be written back by <see cref="MagentoPhpFormatter"/> (both layouts) and read again
    /// to the same value. PHP includes every input made of literals (one PHP process per core): where PHP
    /// returns an array, we read the same bytes or refuse it for a documented reason; where we read an array,
    /// PHP reads the same.
    /// </summary>
    public class PhpConfigReaderFuzzTests
    {
        internal const string DirectoryVariable = "COMMERCESERVICES_READER_FUZZ_DIR";
        private const int Seed = 20261201;
        private const int InputCount = 20_000;

        /// <summary>Refusals where PHP reads an array and we do not, each for a documented reason (construct prefix).</summary>
        private static readonly string[] DocumentedRefusals =
        {
            // PhpConfigReader.MaxNestingDepth: PHP reads up to 3,331 levels of 'k' => [.
            "nesting deeper than",

            // PHP compiles code after the return without running it; the reader does not compile PHP.
            "code after the return statement",

            // PHP's arithmetic on a string, boolean or null (-'5' is -5, -true is -1, -'x' a TypeError).
            "sign before a string",
            "sign before a boolean",
            "sign before a null",

            // PHP prints text before '<?php' (a Magento configuration file prints nothing).
            "text before '<?php'",
        };

        private static readonly string[] Insertions =
        {
            ",", "=>", "[", "]", "(", ")", ";", "'", "\"", "\\", "$a", "<<<EOT\n", "\nEOT", "/*", "*/", "#", "//", "?>", "-", "+",
            ".", "1e20", "\u0663", "\"\\u{D800}\"", "\"\\xFF\\xC3\\xA9\\377\"", "\"\\u{1F600}\"", "0x", "0x1F", "0b101", "0o17", "017", "089", "PHP_INT_MAX",
            "9223372036854775807", "9223372036854775808", "-5 =>", "1e20 =>", "INF", "NAN", "array(", "\"\\x41\\101\\u{41}\\e\\$\"",
            "<<<'EOT'\nx\nEOT\n", "1_000", ".5", "1.", "\r", "\t", "\f", "\0", "true", "NULL", "-0", "'\\''", "#[", "declare(strict_types=1);",
            "return", "...", "getenv('X')", "\\PDO::X", "abcdef0123456789abcdef0123456789", "'a' => ", "[[[[", "]]]]", "\u00A0", "\u00E9",
        };

        private static readonly Regex Token = new Regex(
            @"'(?:[^'\\]|\\.)*'|""(?:[^""\\]|\\.)*""|\d[\w.]*|[A-Za-z_\\][\w\\]*|=>|/\*.*?\*/|//[^\n]*|\s+|.",
            RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private readonly ITestOutputHelper output;

        public PhpConfigReaderFuzzTests(ITestOutputHelper output)
        {
            this.output = output;
        }

        [Fact]
        public void EveryMutatedFileIsAnArrayOrAParseErrorAndPhpAgrees()
        {
            var clock = Stopwatch.StartNew();
            List<string> inputs = Generate();
            Assert.Equal(InputCount, inputs.Count);
            using var folder = new TempFolder();
            var files = new List<string>();
            for (int i = 0; i < inputs.Count; i++)
            {
                string file = Path.Combine(folder.Path, i.ToString("D5") + ".php");
                File.WriteAllText(file, inputs[i], new UTF8Encoding(false));
                files.Add(file);
            }

            long generated = clock.ElapsedMilliseconds;

            // 1. Our reader, in a child process.
            Dictionary<int, (string Kind, string Detail)> ours = RunChild(folder.Path, inputs.Count);
            var unexpected = ours.Where(o => o.Value.Kind != "array" && o.Value.Kind != "parse").ToList();
            int arrays = ours.Count(o => o.Value.Kind == "array");
            int parseErrors = ours.Count(o => o.Value.Kind == "parse");
            output.WriteLine($"{inputs.Count} inputs (seed {Seed}, generated in {generated} ms): {arrays} read as arrays, {parseErrors} parse errors, {unexpected.Count} other outcomes; {clock.ElapsedMilliseconds - generated} ms.");
            long read = clock.ElapsedMilliseconds;
            Assert.True(unexpected.Count == 0, "Not an array or a parse error:\n" + string.Join("\n", unexpected.Take(10).Select(o => "input " + o.Key + ": " + o.Value.Kind + " " + o.Value.Detail + "\n" + Excerpt(inputs[o.Key]))));

            // 2. PHP on every input, in one PHP process per core.
            // A fatal compile error ends PHP's process: PHP does not read that file.
            Dictionary<int, string[]> php = PhpBatch.Run("fuzz-include.php", files, folder.Path, died: new[] { "fatal" });
            int agreed = 0, bothRefused = 0, notLiteral = 0, notUtf8 = 0;
            var documented = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var disagreements = new List<string>();
            for (int i = 0; i < inputs.Count; i++)
            {
                (string kind, string detail) = ours[i];
                string status = php[i][0];
                string phpDetail = php[i].Length > 1 ? php[i][1] : string.Empty;
                bool phpArray = status == "array" || status == "array-with-output" || status == "array-deep";
                string? reason = kind == "parse" ? DocumentedRefusals.FirstOrDefault(r => detail.StartsWith(r, StringComparison.Ordinal)) : null;
                if (status == "not-literal")
                {
                    // Not run by PHP: a name, variable, call or operator, which the reader must refuse as well.
                    notLiteral++;
                    if (kind == "array")
                    {
                        disagreements.Add("input " + i + ": PHP's tokens show a name or operator that is not a literal, and we read an array\n" + detail + "\n" + Excerpt(inputs[i]));
                    }
                }
                else if (status == "array-deep" && kind == "array")
                {
                    disagreements.Add("input " + i + ": PHP reads an array nested too deep to compare, and so do we\n" + Excerpt(inputs[i]));
                }
                else if (phpArray && kind == "array")
                {
                    // Compared byte for byte: PHP's var_export bytes and ours (PhpBytes), including bytes that are not UTF-8
                    // ("\xFF" and "\u{D800}" escapes), which both decode to the same text only when the bytes are the same.
                    string expected = PhpBytes.Decode(Convert.FromBase64String(phpDetail));
                    notUtf8 += PhpBytes.IsUtf8(expected) ? 0 : 1;
                    if (expected == detail)
                    {
                        agreed++;
                    }
                    else
                    {
                        disagreements.Add("input " + i + ": PHP reads\n" + expected + "\nwe read\n" + detail + "\n" + Excerpt(inputs[i]));
                    }
                }
                else if (phpArray && reason != null)
                {
                    documented[reason] = documented.TryGetValue(reason, out int n) ? n + 1 : 1;
                }
                else if (phpArray)
                {
                    disagreements.Add("input " + i + ": PHP reads an array, we refuse it (" + detail + ")\n" + Excerpt(inputs[i]));
                }
                else if (kind == "array")
                {
                    disagreements.Add("input " + i + ": PHP does not read an array (" + status + " " + phpDetail + "), we read\n" + detail + "\n" + Excerpt(inputs[i]));
                }
                else
                {
                    bothRefused++;
                }
            }

            output.WriteLine(
                $"PHP on all {inputs.Count}: {agreed} read identically ({notUtf8} of them holding bytes that are not UTF-8), {bothRefused} refused by both, "
                + $"{documented.Values.Sum()} documented refusals ({string.Join(", ", documented.Select(d => d.Value + " " + d.Key))}), "
                + $"{notLiteral} not plain literals (not run by PHP, refused by us); {disagreements.Count} disagreements; "
                + $"{clock.ElapsedMilliseconds - read} ms; {clock.ElapsedMilliseconds} ms in all.");
            Assert.True(disagreements.Count == 0, string.Join("\n----\n", disagreements.Take(5)));
            Assert.True(agreed >= 2_000, "Too few inputs compared with PHP: " + agreed);
        }

        /// <summary>The inputs, deterministic for <see cref="Seed"/>.</summary>
        private static List<string> Generate()
        {
            string fixtures = Path.Combine(AppContext.BaseDirectory, "Php", "Fixtures");
            List<string> sources = Directory.GetFiles(fixtures, "*.php").OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToList();
            var random = new Random(Seed);
            var inputs = new List<string>();
            for (int i = 0; i < InputCount; i++)
            {
                string text = sources[random.Next(sources.Count)];
                int mutations = random.Next(4) == 0 ? 2 : 1;
                for (int m = 0; m < mutations; m++)
                {
                    text = Mutate(text, random, last: m == mutations - 1);
                }

                inputs.Add(text);
            }

            return inputs;
        }

        private static string Mutate(string text, Random random, bool last)
        {
            List<string> tokens = Token.Matches(text).Cast<Match>().Select(t => t.Value).ToList();
            List<int> solid = Enumerable.Range(0, tokens.Count).Where(t => !string.IsNullOrWhiteSpace(tokens[t])).ToList();
            int at = solid.Count == 0 ? 0 : solid[random.Next(solid.Count)];
            // Deep nesting only as the last mutation, so no other tokenizes its (large) text.
            switch (random.Next(last ? 8 : 7))
            {
                case 0:
                    {
                        // Flip one of the low seven bits of one to four characters.
                        char[] chars = text.ToCharArray();
                        for (int f = random.Next(1, 5); f > 0 && chars.Length > 0; f--)
                        {
                            int p = random.Next(chars.Length);
                            chars[p] = (char)(chars[p] ^ (1 << random.Next(7)));
                        }

                        return new string(chars);
                    }

                case 1:
                    return text.Substring(0, random.Next(text.Length + 1));
                case 2:
                    tokens.Insert(at, tokens.Count > 0 ? tokens[at] : string.Empty);
                    break;
                case 3:
                    if (tokens.Count > 0)
                    {
                        tokens.RemoveAt(at);
                    }

                    break;
                case 4:
                    if (at + 1 < tokens.Count)
                    {
                        (tokens[at], tokens[at + 1]) = (tokens[at + 1], tokens[at]);
                    }

                    break;
                case 5:
                case 6:
                    tokens.Insert(Math.Min(at + random.Next(2), tokens.Count), Insertions[random.Next(Insertions.Length)]);
                    break;
                default:
                    {
                        // Deep nesting around a literal: often near the limit, sometimes far beyond it (12,000 levels: beyond
                        // PHP's parser too, which gives up near 10,000; the reader's tests go to 100,000).
                        List<int> literals = Enumerable.Range(0, tokens.Count).Where(t => tokens[t].StartsWith("'", StringComparison.Ordinal) || char.IsDigit(tokens[t][0])).ToList();
                        if (literals.Count == 0)
                        {
                            break;
                        }

                        int literal = literals[random.Next(literals.Count)];
                        int[] depths = { random.Next(1, 40), PhpConfigReader.MaxNestingDepth - 8 + random.Next(16), 3_000 + random.Next(600), 12_000 };
                        int depth = depths[random.Next(depths.Length)];
                        string open = random.Next(2) == 0 ? "[" : "['k' => ";
                        tokens[literal] = new StringBuilder().Insert(0, open, depth).Append(tokens[literal]).Append(']', depth).ToString();
                        break;
                    }
            }

            return string.Concat(tokens);
        }

        private static string Excerpt(string input) => input.Length <= 600 ? input : input.Substring(0, 600) + "...";

        /// <summary>
        /// Runs the reader over the inputs in a child process and returns each input's outcome; a child that dies
        /// fails the test naming the input it was reading.
        /// </summary>
        private static Dictionary<int, (string Kind, string Detail)> RunChild(string folder, int count)
        {
            using Process process = ChildProcess.Start(new Dictionary<string, string> { [DirectoryVariable] = folder });
            var errorText = process.StandardError.ReadToEndAsync();
            var outcomes = new Dictionary<int, (string, string)>();
            int started = -1;
            string? line;
            while ((line = process.StandardOutput.ReadLine()) != null)
            {
                string[] parts = line.Split('\t');
                int index = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
                if (parts[1] == "start")
                {
                    started = index;
                }
                else
                {
                    outcomes[index] = (parts[1], PhpBytes.Decode(Convert.FromBase64String(parts[2])));
                }
            }

            process.WaitForExit();
            string error = errorText.Result;
            Assert.True(process.ExitCode == 0 && outcomes.Count == count, "The reader's process ended with exit code " + process.ExitCode + " while reading input " + started + " (" + outcomes.Count + " of " + count + " done): " + (error.Length > 2000 ? error.Substring(0, 2000) : error));
            return outcomes;
        }

        /// <summary>The child: reads every input, on a thread with a 1 MB stack, and prints its outcome.</summary>
        internal static void RunChild(string folder)
        {
            var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
            var thread = new Thread(
                () =>
                {
                    string[] files = Directory.GetFiles(folder, "*.php").OrderBy(f => f, StringComparer.Ordinal).ToArray();
                    for (int i = 0; i < files.Length; i++)
                    {
                        stdout.Write(i + "\tstart\n");
                        stdout.Flush();
                        (string kind, string detail) = ReadOne(files[i]);
                        stdout.Write(i + "\t" + kind + "\t" + Convert.ToBase64String(Bytes(detail)) + "\n");
                    }

                    stdout.Flush();
                },
                1024 * 1024);
            thread.Start();
            thread.Join();
        }

        /// <summary>The bytes of an outcome: those of what was read (PhpBytes), or of a message as UTF-8.</summary>
        private static byte[] Bytes(string detail)
        {
            try
            {
                return PhpBytes.Encode(detail);
            }
            catch (ArgumentException)
            {
                return Encoding.UTF8.GetBytes(detail);
            }
        }

        private static (string Kind, string Detail) ReadOne(string file)
        {
            PhpArray config;
            try
            {
                config = PhpConfigReader.ReadFile(file);
            }
            catch (PhpConfigParseException ex)
            {
                return ("parse", ex.Construct);
            }
            catch (Exception ex)
            {
                return ("exception", ex.GetType().FullName + ": " + ex.Message);
            }

            try
            {
                string read = PhpVarExport.Export(config);

                // What we read, written back in both layouts, reads back the same. (A NUL is written as
                // var_export writes it, ' . "\0" . ', a concatenation the reader refuses; not compared.)
                if (read.IndexOf("\"\\0\"", StringComparison.Ordinal) < 0)
                {
                    var comments = new PhpArray();
                    comments[config.Keys.Count > 0 ? config.Keys[0] : "db"] = "fuzz";
                    foreach (string written in new[] { MagentoPhpFormatter.Format(config), MagentoPhpFormatter.Format(config, comments) })
                    {
                        string again = PhpVarExport.Export(PhpConfigReader.Read(written, "written.php"));
                        if (again != read)
                        {
                            return ("round-trip", "written and read again:\n" + again + "\nread first:\n" + read);
                        }
                    }
                }

                return ("array", read);
            }
            catch (Exception ex)
            {
                return ("writer-exception", ex.GetType().FullName + ": " + ex.Message);
            }
        }
    }
}

/// <summary>
/// The child processes of the fuzz and kill-loop tests: started as "dotnet exec" of this assembly with
/// DOTNET_STARTUP_HOOKS naming it, they run the reader over a folder of inputs (fuzz), or write an
/// instance's settings until killed (kill loop), and exit before the assembly's (empty) entry point.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        string? instance = Environment.GetEnvironmentVariable(CommerceServices.Core.Tests.Stores.KillLoopTests.InstanceVariable);
        if (instance != null)
        {
            CommerceServices.Core.Tests.Stores.KillLoopTests.RunChild(instance, Enum.Parse<CommerceServices.Instances.ConfigStore>(Environment.GetEnvironmentVariable(CommerceServices.Core.Tests.Stores.KillLoopTests.StoreVariable)!));
        }

        string? keyFolder = Environment.GetEnvironmentVariable(CommerceServices.Core.Tests.Keys.PrivateKeyReaderFuzzTests.DirectoryVariable);
        if (keyFolder != null)
        {
            CommerceServices.Core.Tests.Keys.PrivateKeyReaderFuzzTests.RunChild(keyFolder);
            Environment.Exit(0);
        }

        string? folder = Environment.GetEnvironmentVariable(CommerceServices.Core.Tests.Php.PhpConfigReaderFuzzTests.DirectoryVariable);
        if (folder == null)
        {
            return;
        }

        CommerceServices.Core.Tests.Php.PhpConfigReaderFuzzTests.RunChild(folder);
        Environment.Exit(0);
    }
}
