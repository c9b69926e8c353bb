using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace CommerceServices.Testing
{
    /// <summary>
    /// A bin/magento for sample instances: a PHP script that records each call (its arguments and working folder)
    /// in var/fake-bin-magento/calls.jsonl, writes progress lines as saas:resync does, flushing each, a notice on
    /// stderr, and exits with the code of var/fake-bin-magento/exit-code (else $FAKE_BIN_MAGENTO_EXIT_CODE, else 0).
    /// With var/fake-bin-magento/sleep it starts a child process (sleep) that shares its stderr, writes its first progress
    /// line and waits for the child: a stuck run whose pipes stay open until the whole tree is stopped.
    /// </summary>
    public static class FakeBinMagento
    {
        /// <summary>The environment variable that gives the exit code when no exit-code file does.</summary>
        public const string ExitCodeVariable = "FAKE_BIN_MAGENTO_EXIT_CODE";

        /// <summary>The progress lines it writes, in order, between its first and last line.</summary>
        public static readonly string[] ProgressLines =
        {
            "Progress 1/3, processed 100, synced 100",
            "Progress 2/3, processed 200, synced 200",
            "Progress 3/3, processed 300, synced 300",
        };

        /// <summary>Its first line.</summary>
        public const string FirstLine = "Executing resync";

        /// <summary>The line it writes on stderr.</summary>
        public const string ErrorLine = "Notice: written to stderr";

        /// <summary>Its last line.</summary>
        public const string LastLine = "Resync finished";

        private const string Script = @"#!/usr/bin/env php
<?php
$state = __DIR__ . '/../var/fake-bin-magento';
@mkdir($state, 0777, true);
file_put_contents($state . '/calls.jsonl', json_encode(['argv' => array_slice($argv, 1), 'cwd' => getcwd()]) . ""\n"", FILE_APPEND | LOCK_EX);
file_put_contents($state . '/pid', (string)getmypid());
function say($line) { echo $line, ""\n""; flush(); }
say('" + FirstLine + @"');
$child = null;
if (is_file($state . '/sleep')) {
    $seconds = trim(file_get_contents($state . '/sleep'));
    $child = proc_open(['sleep', $seconds], [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => STDERR], $pipes);
    file_put_contents($state . '/child-pid', (string)proc_get_status($child)['pid']);
}
$lines = ['PROGRESS'];
foreach ($lines as $i => $line) {
    say($line);
    if ($i === 0 && $child !== null) {
        proc_close($child);
        file_put_contents($state . '/slept', 'yes');
    }
}
fwrite(STDERR, '" + ErrorLine + @"' . ""\n"");
fflush(STDERR);
say('" + LastLine + @"');
$code = getenv('" + ExitCodeVariable + @"');
if (is_file($state . '/exit-code')) {
    $code = trim(file_get_contents($state . '/exit-code'));
}
exit((int)$code);
";

        /// <summary>Writes bin/magento into the instance <paramref name="root"/> (replacing one that is there) and returns its path.</summary>
        public static string WriteTo(string root, int? exitCode = null, int? sleepSeconds = null)
        {
            string bin = Path.Combine(root, "bin");
            Directory.CreateDirectory(bin);
            string path = Path.Combine(bin, "magento");
            File.WriteAllText(path, Script.Replace("'PROGRESS'", string.Join(", ", ProgressLines.Select(l => "'" + l + "'")), StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal));
            Directory.CreateDirectory(State(root));
            if (exitCode.HasValue)
            {
                SetExitCode(root, exitCode.Value);
            }

            if (sleepSeconds.HasValue)
            {
                File.WriteAllText(Path.Combine(State(root), "sleep"), sleepSeconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return path;
        }

        /// <summary>Makes the next calls exit with <paramref name="exitCode"/>.</summary>
        public static void SetExitCode(string root, int exitCode) =>
            File.WriteAllText(Path.Combine(State(root), "exit-code"), exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));

        /// <summary>The arguments of every call so far, oldest first (without the script's own name).</summary>
        public static IReadOnlyList<string[]> Calls(string root) => Records(root).Select(r => r.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray()).ToList();

        /// <summary>The working folder of every call so far.</summary>
        public static IReadOnlyList<string> WorkingFolders(string root) => Records(root).Select(r => r.GetProperty("cwd").GetString()!).ToList();

        /// <summary>The process id of the last call, and that of the child its sleep runs in (null when it did not sleep).</summary>
        public static (int Process, int? Child) ProcessIds(string root)
        {
            string child = Path.Combine(State(root), "child-pid");
            return (int.Parse(File.ReadAllText(Path.Combine(State(root), "pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture),
                File.Exists(child) ? int.Parse(File.ReadAllText(child).Trim(), System.Globalization.CultureInfo.InvariantCulture) : null);
        }

        /// <summary>Whether a call got through its sleep.</summary>
        public static bool Slept(string root) => File.Exists(Path.Combine(State(root), "slept"));

        private static IEnumerable<JsonElement> Records(string root)
        {
            string calls = Path.Combine(State(root), "calls.jsonl");
            return File.Exists(calls)
                ? File.ReadAllLines(calls).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList()
                : Enumerable.Empty<JsonElement>();
        }

        private static string State(string root) => Path.Combine(root, "var", "fake-bin-magento");
    }
}
