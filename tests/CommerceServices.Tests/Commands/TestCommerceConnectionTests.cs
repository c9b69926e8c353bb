using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CommerceServices.Testing;
using CommerceServices.Tests.Support;
using Xunit;

namespace CommerceServices.Tests.Commands
{
    /// <summary>Test-CommerceConnection against MariaDB, the emulator and sample instances.</summary>
    [Collection(MariaDbCollection.Name)]
    public sealed class TestCommerceConnectionTests : IDisposable
    {
        private const string Prefix = "mg_";
        private readonly MariaDbServer server;
        private readonly EmulatorFixture emulator = new EmulatorFixture();

        public TestCommerceConnectionTests(MariaDbFixture fixture) => server = fixture.Server;

        public void Dispose() => emulator.Dispose();

        /// <summary>A sample instance with its own database, configured for the emulator's gateways.</summary>
        private string Shop(string name)
        {
            string database = MagentoDatabase.Create(server, Prefix);
            new SampleInstance { TablePrefix = Prefix }.UseDatabase(server, database).WriteTo(Path.Combine(emulator.Folder.Path, name));
            MagentoDatabase.SetValue(server, database, Prefix, "services_connector/production_gateway_url", emulator.ProductionUri.ToString());
            MagentoDatabase.SetValue(server, database, Prefix, "services_connector/sandbox_gateway_url", emulator.SandboxUri.ToString());
            return name;
        }

        private Dictionary<string, object?> Keys(string mageId) => new()
        {
            ["production"] = emulator.IssueKey(mageId, "AdobeCommerce", "Production").BaseObject,
            ["sandbox"] = emulator.IssueKey(mageId, "AdobeCommerce", "Sandbox").BaseObject,
        };

        private const string Provision =
            @"$production | Set-CommerceApiKey
              $sandbox | Set-CommerceApiKey
              $null = New-SaasProject -Name 'Storefront'
              Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false
";

        private static PSObject Check(PSObject report, string name) =>
            ((IEnumerable<object>)report.Properties["Checks"].Value).Select(PSObject.AsPSObject).Single(c => (string)c.Properties["Name"].Value == name);

        private static string Status(PSObject report, string name) => Check(report, name).Properties["Status"].Value.ToString()!;

        [Fact]
        public void AFreshInstanceIsNotConnectedAndSaysWhy()
        {
            Shop("shop");

            ScriptResult run = emulator.Run("Connect-CommerceInstance ./shop; Test-CommerceConnection");

            Assert.Empty(run.Errors);
            PSObject report = PSObject.AsPSObject(Assert.Single(run.Output));
            Assert.Equal(false, report.Properties["IsConnected"].Value);
            Assert.Equal(new[] { "ProductionKeyPair", "SandboxKeyPair", "SaasIdentifier" }, (string[])report.Properties["Failed"].Value);
            Assert.Equal("Pass", Status(report, "ConnectorModules"));
            Assert.Equal("Skipped", Status(report, "ProductionKeyOnline"));
            Assert.Contains("Set-CommerceApiKey", (string)Check(report, "ProductionKeyPair").Properties["Remedy"].Value, StringComparison.Ordinal);
        }

        [Fact]
        public void AProvisionedInstanceIsConnectedAndEveryCheckPasses()
        {
            Shop("shop");

            ScriptResult run = emulator.Run("Connect-CommerceInstance ./shop\n" + Provision + "Test-CommerceConnection; Test-CommerceConnection -Quiet", Keys("MAGE-OK"));

            Assert.Empty(run.Errors);
            PSObject report = PSObject.AsPSObject(run.Output[0]);
            Assert.Equal(true, report.Properties["IsConnected"].Value);
            Assert.Equal(("Storefront", "Testing 1", "Testing"), ((string)report.Properties["ProjectName"].Value, (string)report.Properties["DataSpaceName"].Value, (string)report.Properties["DataSpaceType"].Value));
            foreach (string name in new[] { "ProductionKeyPair", "SandboxKeyPair", "ProductionKeyOnline", "SandboxKeyOnline", "SaasIdentifier", "SaasIdentifierOnline", "Edition", "SharedDataSpace", "Database" })
            {
                Assert.Equal("Pass", Status(report, name));
            }

            Assert.Equal(true, run.Output[1]);
        }

        /// <summary>A sample instance whose settings all go to env.php, its gateways locked there too.</summary>
        private string FilesOnlyShop(string name, SampleInstance sample)
        {
            sample.EnvPhpSystem = "'services_connector' => ['production_gateway_url' => '" + emulator.ProductionUri + "', 'sandbox_gateway_url' => '" + emulator.SandboxUri + "']";
            sample.WriteTo(Path.Combine(emulator.Folder.Path, name));
            return name;
        }

        [Fact]
        public void AnInstanceThatNamesNoDatabaseIsProvisionedAndConnectedThroughItsFiles()
        {
            FilesOnlyShop("new", new SampleInstance { NamesDatabase = false });

            ScriptResult run = emulator.Run("Connect-CommerceInstance ./new -ConfigStore EnvPhp\n" + Provision + "Test-CommerceConnection", Keys("MAGE-NEW"));

            Assert.Empty(run.Errors);
            Assert.Empty(run.Warnings);
            PSObject report = PSObject.AsPSObject(Assert.Single(run.Output));
            Assert.Equal(true, report.Properties["IsConnected"].Value);
            Assert.Equal("Warning", Status(report, "Database"));
            Assert.Contains("names no database", (string)Check(report, "Database").Properties["Message"].Value, StringComparison.Ordinal);
            Assert.Equal("Pass", Status(report, "SaasIdentifierOnline"));
        }

        [Fact]
        public void AnUnreachableDatabaseOnlyWarnsWhenEverySettingThatCountsIsLockedInTheFiles()
        {
            FilesOnlyShop("locked", new SampleInstance { DatabaseHost = "127.0.0.1:9" });
            FilesOnlyShop("unknown", new SampleInstance { DatabaseHost = "127.0.0.1:9" });

            const string Defer = "$PSDefaultParameterValues['Set-Commerce*:DeferConfigImport'] = $true\n";
            var keys = Keys("MAGE-DB");
            ScriptResult keysRun = emulator.Run(
                "Connect-CommerceInstance ./locked -ConfigStore EnvPhp\n" + Defer
                + "Set-CommerceGatewayEnvironment Production; $production | Set-CommerceApiKey; $sandbox | Set-CommerceApiKey; $null = New-SaasProject -Name 'Storefront'\n"
                + "Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false",
                keys);
            // Its current data space is not known here, so it might be a Production one (R8): not in the session that changed the keys.
            ScriptResult run = emulator.Run(
                "Connect-CommerceInstance ./locked -ConfigStore EnvPhp\n" + Defer
                + "Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false\n"
                + "Connect-CommerceInstance ./unknown\n"
                + "Get-CommerceInstance | Test-CommerceConnection",
                keys);

            Assert.Equal(new[] { "ProductionIdentifierAfterKeyChange,CommerceServices.PowerShell.Commands.SetCommerceDataSpaceCommand" }, keysRun.ErrorIds);
            Assert.Contains(keysRun.Warnings, w => w.Message.Contains("app:config:import", StringComparison.Ordinal));
            Assert.Contains(run.Warnings, w => w.Message.Contains("is not known here", StringComparison.Ordinal));
            Assert.Empty(run.Errors);
            PSObject locked = PSObject.AsPSObject(run.Output[0]);
            Assert.Equal(true, locked.Properties["IsConnected"].Value);
            Assert.Equal("Warning", Status(locked, "Database"));
            Assert.Equal("Pass", Status(locked, "ProductionKeyOnline"));
            PSObject unknown = PSObject.AsPSObject(run.Output[1]);
            Assert.Equal(false, unknown.Properties["IsConnected"].Value);
            Assert.Equal(new[] { "Database" }, (string[])unknown.Properties["Failed"].Value);
            Assert.Contains("services_connector/services_id/project_id", (string)Check(unknown, "Database").Properties["Message"].Value, StringComparison.Ordinal);
            foreach (string name in new[] { "ProductionKeyPair", "SandboxKeyPair", "ProductionKeyOnline", "SaasIdentifier", "SaasIdentifierOnline", "ProductionDataSpaceRole" })
            {
                Assert.Equal("Skipped", Status(unknown, name));
            }
        }

        [Fact]
        public void RegeneratedKeysFailTheOnlineCheckAndOfflineSkipsIt()
        {
            Shop("shop");
            var keys = Keys("MAGE-ROT");
            emulator.Run("Connect-CommerceInstance ./shop\n" + Provision, keys);
            emulator.IssueKey("MAGE-ROT", "AdobeCommerce", "Production");

            ScriptResult run = emulator.Run("Connect-CommerceInstance ./shop; Test-CommerceConnection; Test-CommerceConnection -Offline", keys);

            PSObject online = PSObject.AsPSObject(run.Output[0]);
            Assert.Equal("Fail", Status(online, "ProductionKeyOnline"));
            Assert.Contains("R3", (string)Check(online, "ProductionKeyOnline").Properties["Remedy"].Value, StringComparison.Ordinal);
            PSObject offline = PSObject.AsPSObject(run.Output[1]);
            Assert.Equal(true, offline.Properties["IsConnected"].Value);
            Assert.Equal("Skipped", Status(offline, "ProductionKeyOnline"));
        }

        [Fact]
        public void TwoInstancesOnOneDataSpaceBothFailInInputOrder()
        {
            Shop("a");
            Shop("b");
            Shop("c");
            var keys = Keys("MAGE-R6");

            ScriptResult run = emulator.Run(
                @"foreach ($name in 'a', 'b') { Connect-CommerceInstance ""./$name""; $production | Set-CommerceApiKey; $sandbox | Set-CommerceApiKey }
                  Connect-CommerceInstance ./a; $null = New-SaasProject -Name 'P'
                  foreach ($name in 'a', 'b') { Connect-CommerceInstance ""./$name""; Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false -Force }
                  Connect-CommerceInstance ./c
                  Get-CommerceInstance | Test-CommerceConnection -ThrottleLimit 3 | ForEach-Object { '{0}:{1}' -f $_.Instance.Name, ($_.Failed -join ',') }",
                keys);

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "a:SharedDataSpace", "b:SharedDataSpace", "c:ProductionKeyPair,SandboxKeyPair,SaasIdentifier" }, run.Output);
            Assert.Contains(run.Progress, p => p.StatusDescription == "3 of 3 instances tested");
        }

        [Fact]
        public void InstancesAreTestedConcurrently()
        {
            var names = new[] { "n1", "n2", "n3", "n4" };
            foreach (string name in names)
            {
                Shop(name);
            }

            var keys = Keys("MAGE-PAR");
            emulator.Run("foreach ($name in 'n1','n2','n3','n4') { Connect-CommerceInstance \"./$name\"; $production | Set-CommerceApiKey -SkipOnlineCheck; $sandbox | Set-CommerceApiKey -SkipOnlineCheck }", keys);
            emulator.ClearRequests();
            emulator.Run("$f = [CommerceServices.Emulator.EmulatorFault]::new('Latency', 0); $f.PathPattern = 'ping$'; $f.Delay = [TimeSpan]::FromSeconds(2); $null = $emulator.AddFault($f)");

            ScriptResult run = emulator.Run("foreach ($name in 'n1','n2','n3','n4') { Connect-CommerceInstance \"./$name\" }; Get-CommerceInstance | Test-CommerceConnection -ThrottleLimit 4 -Quiet; ($emulator.Requests | Where-Object Path -like '*ping' | ForEach-Object { $_.Time.ToUnixTimeMilliseconds() }) -join ','");

            Assert.Empty(run.Errors);
            long[] arrivals = ((string)run.Output.Last()).Split(',').Select(long.Parse).OrderBy(t => t).ToArray();
            Assert.Equal(4, arrivals.Length);

            // Each ping is held for 2 s; tested one after another, the fourth would arrive at least 6 s after the first.
            // All four arriving within one hold of each other means they were in flight together.
            Assert.True(arrivals[^1] - arrivals[0] < 2000, "pings arrived " + string.Join(", ", arrivals.Select(a => a - arrivals[0])) + " ms apart");
        }
    }
}
