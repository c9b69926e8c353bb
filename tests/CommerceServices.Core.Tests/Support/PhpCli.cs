using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace CommerceServices.Core.Tests.Support
{
    /// <summary>
    /// Runs PHP's CLI, the reference peer that proves our output matches what Magento (PHP with
    /// OpenSSL) produces. The test run installs php-cli; a missing PHP is a failure, not a skip.
    /// </summary>
    internal static class PhpCli
    {
        public static string Run(string script, params string[] args) => Run(script, null, new string[0], args);

        /// <summary>
        /// Runs <paramref name="script"/> with exactly <paramref name="environment"/> as its process environment, the
        /// variables in the given order, and each of <paramref name="iniSettings"/> passed as php -d (e.g. "variables_order=EGPCS").
        /// </summary>
        public static string RunWithEnvironment(string script, IEnumerable<KeyValuePair<string, string>> environment, IEnumerable<string> iniSettings, params string[] args) =>
            Run(script, environment, iniSettings, args);

        private static string Run(string script, IEnumerable<KeyValuePair<string, string>>? environment, IEnumerable<string> iniSettings, string[] args)
        {
            var start = new ProcessStartInfo("php")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (environment != null)
            {
                // The child's environment block is built from this dictionary in insertion order.
                start.Environment.Clear();
                foreach (KeyValuePair<string, string> variable in environment)
                {
                    start.Environment.Add(variable.Key, variable.Value);
                }
            }

            foreach (string setting in iniSettings)
            {
                start.ArgumentList.Add("-d");
                start.ArgumentList.Add(setting);
            }

            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Php", script));
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("php did not start");
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new InvalidOperationException("PHP CLI is needed as the reference peer: install php-cli (the README's test command does).", ex);
            }

            using (process)
            {
                string output = process.StandardOutput.ReadToEnd();
                string error = process.StandardError.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException("php " + script + " exited " + process.ExitCode + ": " + error);
                }

                return output;
            }
        }
    }
}
