using System;
using System.Collections.Generic;

namespace CommerceServices.DataExport
{
    /// <summary>An option of saas:resync that the chosen feed does not take (--by-ids for categories, …).</summary>
    public sealed class ExportFeedOptionNotSupportedException : ArgumentException
    {
        public ExportFeedOptionNotSupportedException(string feed, string option, string message, string paramName)
            : base(message, paramName)
        {
            Feed = feed;
            Option = option;
        }

        /// <summary>The --feed name.</summary>
        public string Feed { get; }

        /// <summary>The option as saas:resync spells it, e.g. --by-ids.</summary>
        public string Option { get; }
    }

    /// <summary>A feed whose exporter (or saas:resync itself) is not enabled on the instance.</summary>
    public sealed class ExportFeedNotInstalledException : InvalidOperationException
    {
        public ExportFeedNotInstalledException(string feed, IReadOnlyList<string> missingModules, string message)
            : base(message)
        {
            Feed = feed;
            MissingModules = missingModules;
        }

        /// <summary>The --feed name.</summary>
        public string Feed { get; }

        /// <summary>The modules that are not enabled in app/etc/config.php.</summary>
        public IReadOnlyList<string> MissingModules { get; }
    }

    /// <summary>saas:resync cannot run from here (no PHP, no bin/magento, or not the owner of the files); it says why and what to run instead.</summary>
    public sealed class DataExportResyncNotRunnableException : InvalidOperationException
    {
        public DataExportResyncNotRunnableException(string reason, string manualCommand, string message)
            : base(message)
        {
            Reason = reason;
            ManualCommand = manualCommand;
        }

        /// <summary>Why it cannot run here.</summary>
        public string Reason { get; }

        /// <summary>What to run on the host instead: cd '&lt;root&gt;' &amp;&amp; bin/magento saas:resync ….</summary>
        public string ManualCommand { get; }
    }

    /// <summary>saas:resync ran and exited with a code other than 0.</summary>
    public sealed class DataExportResyncFailedException : InvalidOperationException
    {
        public DataExportResyncFailedException(DataExportResyncResult result, string message)
            : base(message)
        {
            Result = result;
        }

        /// <summary>The run: exit code, last output lines, duration.</summary>
        public DataExportResyncResult Result { get; }
    }
}
