using System;
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
        public static string Run(string script, params string[] args)
        {
            var start = new ProcessStartInfo("php")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
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
