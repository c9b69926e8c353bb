namespace CommerceServices.Tests.Commands
{
    /// <summary>The emulator as a Pester user drives it: start, issue keys, stop.</summary>
    public class EmulatorCommandsTests
    {
        [Fact]
        public void StartIssueKeysAndStop()
        {
            using var folder = new TempFolder();
            ScriptResult run = PowerShellRunner.Run(
                @"$e = Start-CommerceServicesEmulator
                  $keys = New-CommerceServicesEmulatorKey -Emulator $e -MageId 'MAGE1' -Edition MagentoOpenSource -Environment Production, Sandbox -Directory ./keys
                  $keys
                  ,@($keys | Test-CommerceApiKey -Online)
                  Stop-CommerceServicesEmulator -Emulator $e
                  $e.IsRunning",
                location: folder.Path);

            Assert.Empty(run.Errors);
            PSObject[] keys = run.Output.Take(2).Select(PSObject.AsPSObject).ToArray();
            Assert.Equal(new[] { "Production", "Sandbox" }, keys.Select(k => (string)k.Properties["Environment"].Value));
            foreach (PSObject key in keys)
            {
                string path = (string)key.Properties["PrivateKeyPath"].Value;
                Assert.StartsWith(Path.Combine(folder.Path, "keys"), path, StringComparison.Ordinal);
                Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(path), StringComparison.Ordinal);
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                }
            }

            Assert.All((object[])run.Output[2], r => Assert.Equal(true, PSObject.AsPSObject(r).Properties["Online"].Value));
            Assert.Equal(false, run.Output[3]);
        }

        [Fact]
        public void StopWithoutArgumentsStopsOnlyThisRunspacesEmulators()
        {
            ScriptResult other = PowerShellRunner.Run("Start-CommerceServicesEmulator");
            object otherEmulator = Assert.Single(other.Output);

            ScriptResult run = PowerShellRunner.Run(
                "$a = Start-CommerceServicesEmulator; $b = Start-CommerceServicesEmulator; Stop-CommerceServicesEmulator; $a.IsRunning; $b.IsRunning; $other.IsRunning; $other.Stop()",
                new() { ["other"] = otherEmulator });

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { false, false, true }, run.Output);
        }

        [Fact]
        public void StopWithWhatIfStopsNothingAndALaterStopStillWorks()
        {
            ScriptResult run = PowerShellRunner.Run("$a = Start-CommerceServicesEmulator; Stop-CommerceServicesEmulator -WhatIf; $a.IsRunning; Stop-CommerceServicesEmulator; $a.IsRunning");

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { true, false }, run.Output);
        }

        [Fact]
        public void AnUnwritableKeyFolderFailsBeforeThePreviousKeyIsRevoked()
        {
            using var folder = new TempFolder();
            folder.Write("blocked", "a file where the key folder should be");
            ScriptResult run = PowerShellRunner.Run(
                @"$e = Start-CommerceServicesEmulator
                  $first = New-CommerceServicesEmulatorKey -Emulator $e -MageId 'M/../../x' -Directory ./keys
                  New-CommerceServicesEmulatorKey -Emulator $e -MageId 'M/../../x' -Directory ./blocked
                  [System.IO.Path]::GetFileName($first.PrivateKeyPath)
                  ($first | Test-CommerceApiKey -Online).Online
                  $e.Stop()",
                location: folder.Path);

            Assert.Equal("EmulatorKeyFileNotWritten", Id(Assert.Single(run.Errors)));
            Assert.Equal(new object[] { "M_______x-production.pem", true }, run.Output);
        }

        [Fact]
        public void WhatIfStartsNothingAndIssuesNothing()
        {
            using var folder = new TempFolder();
            ScriptResult run = PowerShellRunner.Run(
                "Start-CommerceServicesEmulator -WhatIf; $e = Start-CommerceServicesEmulator; New-CommerceServicesEmulatorKey -Emulator $e -MageId M -Directory ./k -WhatIf; [System.IO.Directory]::Exists([System.IO.Path]::Combine($PWD, 'k')); $e.Stop()",
                location: folder.Path);

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { false }, run.Output);
        }

        [Fact]
        public void AStateFileKeepsAccountsAndProjectsAcrossRestarts()
        {
            using var folder = new TempFolder();
            ScriptResult run = PowerShellRunner.Run(
                @"$e = Start-CommerceServicesEmulator -StatePath ./state.json
                  $key = New-CommerceServicesEmulatorKey -Emulator $e -MageId 'MAGE-P' -Directory ./keys
                  $null = $key | New-SaasProject -Name 'Kept'
                  Stop-CommerceServicesEmulator -Emulator $e
                  $e = Start-CommerceServicesEmulator -StatePath ./state.json
                  (Get-SaasProject -ApiKey $key.ApiKey -PrivateKeyPath $key.PrivateKeyPath -GatewayUri $e.ProductionUri).Name
                  Stop-CommerceServicesEmulator -Emulator $e",
                location: folder.Path);

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "Kept" }, run.Output);
        }

        [Fact]
        public void TheEditionOfAnAccountCannotChange()
        {
            using var folder = new TempFolder();
            ScriptResult run = PowerShellRunner.Run(
                "$e = Start-CommerceServicesEmulator; $null = New-CommerceServicesEmulatorKey -Emulator $e -MageId M -Edition MagentoOpenSource; New-CommerceServicesEmulatorKey -Emulator $e -MageId M -Edition AdobeCommerce; $e.Stop()",
                location: folder.Path);

            Assert.Equal("EmulatorAccountEditionMismatch", Id(Assert.Single(run.Errors)));
        }

        [Fact]
        public void TheBuiltEmulatorManifestIsValidAndVersionedLikeTheModule()
        {
            ScriptResult run = PowerShellRunner.Run(
                "(Test-ModuleManifest -Path $emulator).Version -eq (Test-ModuleManifest -Path $module).Version",
                new() { ["emulator"] = CommerceServices.Testing.ModuleLocation.EmulatorManifestPath, ["module"] = PowerShellRunner.ManifestPath });

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { true }, run.Output);
        }
    }
}
