using System.Collections.Generic;
using System.Linq;
using CommerceServices.Instances;

namespace CommerceServices.Diagnostics
{
    /// <summary>The outcome of one check.</summary>
    public enum CheckStatus
    {
        Pass,
        Warning,
        Fail,
        Skipped,
    }

    /// <summary>What a check is about.</summary>
    public enum CheckArea
    {
        /// <summary>The connection itself (R10): modules, keys, the SaaS identifier and the guard rails.</summary>
        Connection,

        /// <summary>Whether the connected instance exports its data (R15).</summary>
        DataExport,
    }

    /// <summary>One check of an instance's connection, with what to do when it does not pass.</summary>
    public sealed class ConnectionCheck
    {
        internal ConnectionCheck(string name, CheckStatus status, string message, string? remedy = null, CheckArea area = CheckArea.Connection)
        {
            Name = name;
            Status = status;
            Message = message;
            Remedy = remedy;
            Area = area;
        }

        /// <summary>A stable name, e.g. ProductionKeyPair.</summary>
        public string Name { get; }

        public CheckStatus Status { get; }

        public string Message { get; }

        /// <summary>What a sysadmin can do about it; null when the check passes.</summary>
        public string? Remedy { get; }

        public CheckArea Area { get; }

        public override string ToString() => Name + ": " + Status + " - " + Message;
    }

    /// <summary>
    /// "Is this instance connected, and if not, why?": the answer for one instance (R10: both key
    /// pairs present and working, a project and a data space chosen), with every check behind it.
    /// </summary>
    public sealed class CommerceConnectionReport
    {
        internal CommerceConnectionReport(CommerceInstance instance, IReadOnlyList<ConnectionCheck> checks, GatewayEnvironment environment, string? projectName, string? dataSpaceName, string? dataSpaceType, string? dataSpaceId)
        {
            Instance = instance;
            Checks = checks;
            Environment = environment;
            ProjectName = projectName;
            DataSpaceName = dataSpaceName;
            DataSpaceType = dataSpaceType;
            DataSpaceId = dataSpaceId;
        }

        public CommerceInstance Instance { get; }

        /// <summary>True when no check of the connection itself failed (the data export checks do not count: see <see cref="IsDataFlowing"/>).</summary>
        public bool IsConnected => Checks.All(c => c.Area != CheckArea.Connection || c.Status != CheckStatus.Fail);

        /// <summary>
        /// True when the instance exports its data (R15): the data export checks ran and none failed. False when one
        /// failed, when no export module is enabled, or when the database that holds the export could not be read.
        /// </summary>
        public bool IsDataFlowing =>
            Checks.Any(c => c.Area == CheckArea.DataExport && c.Status != CheckStatus.Skipped)
            && Checks.All(c => c.Area != CheckArea.DataExport || c.Status != CheckStatus.Fail);

        /// <summary>The active gateway environment (magento_saas/environment).</summary>
        public GatewayEnvironment Environment { get; }

        public string? ProjectName { get; }

        public string? DataSpaceName { get; }

        public string? DataSpaceType { get; }

        /// <summary>The chosen data space's id (R6: each instance needs its own).</summary>
        public string? DataSpaceId { get; }

        public IReadOnlyList<ConnectionCheck> Checks { get; internal set; }

        /// <summary>The names of the checks that failed.</summary>
        public string[] Failed => Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name).ToArray();

        public override string ToString()
        {
            string[] connection = Checks.Where(c => c.Area == CheckArea.Connection && c.Status == CheckStatus.Fail).Select(c => c.Name).ToArray();
            string[] export = Checks.Where(c => c.Area == CheckArea.DataExport && c.Status == CheckStatus.Fail).Select(c => c.Name).ToArray();
            return Instance.Path + (IsConnected ? " is connected" : " is not connected: " + string.Join(", ", connection))
                + (export.Length > 0 ? "; data export fails: " + string.Join(", ", export) : IsDataFlowing ? "; data flows" : string.Empty);
        }
    }
}
