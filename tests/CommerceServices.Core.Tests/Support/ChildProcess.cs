using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace CommerceServices.Core.Tests.Support
{
    /// <summary>
    /// Starts this test assembly as a child process ("dotnet exec" with DOTNET_STARTUP_HOOKS naming it),
    /// so the StartupHook runs one of the tests' child modes, chosen by an environment variable, in a
    /// process that may crash or be killed without taking the test run with it.
    /// </summary>
    internal static class ChildProcess
    {
        /// <summary>Starts the child with standard output and error redirected and <paramref name="environment"/> set.</summary>
        public static Process Start(IEnumerable<KeyValuePair<string, string>> environment)
        {
            string assembly = typeof(ChildProcess).Assembly.Location;
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(assembly);
            start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
            foreach (KeyValuePair<string, string> variable in environment)
            {
                start.Environment[variable.Key] = variable.Value;
            }

            return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        }
    }
}
