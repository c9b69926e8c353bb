using System;
using System.Diagnostics;
using System.IO;

namespace CommerceServices.Tests.Support
{
    /// <summary>Runs the script host (the README's first command) as its own process.</summary>
    public static class ScriptHostProcess
    {
        public static string Run(params string[] args) => Run(out _, args);

        public static string Run(out int exitCode, params string[] args)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CommerceServices.ScriptHost.dll"));
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using Process process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            exitCode = process.ExitCode;
            if (exitCode != 0 && args.Length > 0 && args[0] == "--measure-import")
            {
                throw new InvalidOperationException("script host failed: " + output + error.Result);
            }

            return output + error.Result;
        }
    }
}
