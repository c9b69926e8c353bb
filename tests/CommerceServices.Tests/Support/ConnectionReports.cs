namespace CommerceServices.Tests.Support
{
    /// <summary>What the tests read from a Test-CommerceConnection report as the engine returns it.</summary>
    public static class ConnectionReports
    {
        /// <summary>The check named <paramref name="name"/> of <paramref name="report"/> (exactly one).</summary>
        public static PSObject Check(PSObject report, string name) =>
            ((IEnumerable<object>)report.Properties["Checks"].Value).Select(PSObject.AsPSObject).Single(c => (string)c.Properties["Name"].Value == name);
    }
}
