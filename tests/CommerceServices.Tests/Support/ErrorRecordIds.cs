namespace CommerceServices.Tests.Support
{
    /// <summary>Error ids as the tests compare them (every test file has it: see GlobalUsings.cs).</summary>
    public static class ErrorRecordIds
    {
        /// <summary>The error id a cmdlet gave, without the command name PowerShell appends.</summary>
        public static string Id(ErrorRecord error) => error.FullyQualifiedErrorId.Split(',')[0];
    }
}
