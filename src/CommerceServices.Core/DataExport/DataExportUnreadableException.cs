using System;

namespace CommerceServices.DataExport
{
    /// <summary>The instance's database was reached, but its export tables could not be read (a missing privilege, a damaged table).</summary>
    public sealed class DataExportUnreadableException : Exception
    {
        internal DataExportUnreadableException(string instancePath, Exception inner)
            : base("The export tables of " + instancePath + " could not be read: " + inner.Message + " Check that the database user of app/etc/env.php may read them (SELECT on the feed tables, indexer_state, mview_state, cron_schedule and flag).", inner)
        {
            InstancePath = instancePath;
        }

        public string InstancePath { get; }
    }
}
