using System;
using System.Globalization;
using CommerceServices.Instances;

namespace CommerceServices.DataExport
{
    /// <summary>How one saas:resync run on an instance ended: the command, its exit code and its last output lines.</summary>
    public sealed class DataExportResyncResult
    {
        internal DataExportResyncResult(CommerceInstance instance, string feed, string command, bool dryRun, int exitCode, string[] output, TimeSpan duration)
        {
            Instance = instance;
            Feed = feed;
            Command = command;
            DryRun = dryRun;
            ExitCode = exitCode;
            Output = output;
            Duration = duration;
        }

        /// <summary>The instance the command ran on (in its root).</summary>
        public CommerceInstance Instance { get; }

        /// <summary>The --feed name, e.g. products.</summary>
        public string Feed { get; }

        /// <summary>The command as a person runs it in the instance's root, e.g. bin/magento saas:resync --feed=products --dry-run.</summary>
        public string Command { get; }

        /// <summary>Whether it ran with --dry-run (nothing was sent).</summary>
        public bool DryRun { get; }

        /// <summary>The exit code of bin/magento: 0 when it succeeded.</summary>
        public int ExitCode { get; }

        /// <summary>Whether bin/magento exited with 0.</summary>
        public bool Succeeded => ExitCode == 0;

        /// <summary>The last lines it wrote (output and errors, in the order they came; blank lines left out).</summary>
        public string[] Output { get; }

        /// <summary>How long it ran.</summary>
        public TimeSpan Duration { get; }

        /// <summary>What ran where, and how it ended.</summary>
        public override string ToString() =>
            "'" + Command + "' on " + Instance.Path + (Succeeded ? " succeeded" : " failed with exit code " + ExitCode.ToString(CultureInfo.InvariantCulture))
            + (Succeeded ? " in " : " after ") + Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" + (DryRun ? " (dry run: nothing was sent)" : string.Empty);
    }
}
