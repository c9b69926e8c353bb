namespace CommerceServices.Tests.Support
{
    /// <summary>
    /// A gateway emulator started with Start-CommerceServicesEmulator (real HTTP on 127.0.0.1),
    /// a private key folder, and helpers to run scripts that see both as $emulator and the
    /// current location. Stopped and deleted on Dispose.
    /// </summary>
    public sealed class EmulatorFixture : IDisposable
    {
        public EmulatorFixture()
        {
            Folder = new TempFolder();
            ScriptResult started = PowerShellRunner.Run("Start-CommerceServicesEmulator");
            Assert.Empty(started.Errors);
            Emulator = PSObject.AsPSObject(Assert.Single(started.Output));
        }

        public TempFolder Folder { get; }

        /// <summary>The GatewayEmulator object; scripts see it as $emulator.</summary>
        public PSObject Emulator { get; }

        public Uri ProductionUri => (Uri)Emulator.Properties["ProductionUri"].Value;

        public Uri SandboxUri => (Uri)Emulator.Properties["SandboxUri"].Value;

        /// <summary>Runs a script in a fresh runspace with $emulator defined, in the key folder.</summary>
        public ScriptResult Run(string script, Dictionary<string, object?>? variables = null, bool formatOutput = false, Func<string, System.Collections.ObjectModel.Collection<System.Management.Automation.Host.ChoiceDescription>, int>? answer = null)
        {
            var all = new Dictionary<string, object?>(variables ?? new()) { ["emulator"] = Emulator.BaseObject };
            return PowerShellRunner.Run(script, all, Folder.Path, formatOutput, answer);
        }

        /// <summary>Issues a key pair for an account through New-CommerceServicesEmulatorKey; returns the key file object.</summary>
        public PSObject IssueKey(string mageId, string edition = "AdobeCommerce", string environment = "Production")
        {
            ScriptResult result = Run(
                "New-CommerceServicesEmulatorKey -Emulator $emulator -MageId $mageId -Edition $edition -Environment $environment -Directory ./keys",
                new() { ["mageId"] = mageId, ["edition"] = edition, ["environment"] = environment });
            Assert.Empty(result.Errors);
            return PSObject.AsPSObject(Assert.Single(result.Output));
        }

        /// <summary>The requests the emulator received, as (method, path, status) texts.</summary>
        public IReadOnlyList<string> Requests() =>
            Run("$emulator.Requests | ForEach-Object { '{0} {1} {2}' -f $_.Method, $_.Path, $_.Status }").Output.Cast<string>().ToList();

        public void ClearRequests() => Run("$emulator.ClearRequests()");

        public void Dispose()
        {
            Run("$emulator.Stop()");
            Folder.Dispose();
        }
    }
}
