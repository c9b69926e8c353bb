using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using static CommerceServices.Tests.Support.ConnectionReports;

namespace CommerceServices.Tests.Commands
{
    /// <summary>Test-CommerceConnection against MariaDB, the emulator and sample instances.</summary>
    public sealed class TestCommerceConnectionTests : ShopTests
    {
        public TestCommerceConnectionTests(MariaDbFixture fixture)
            : base(fixture)
        {
        }

        private Dictionary<string, object?> Keys(string mageId) => new()
        {
            ["production"] = Emulator.IssueKey(mageId, "AdobeCommerce", "Production").BaseObject,
            ["sandbox"] = Emulator.IssueKey(mageId, "AdobeCommerce", "Sandbox").BaseObject,
        };

        private const string Provision =
            @"$production | Set-CommerceApiKey
              $sandbox | Set-CommerceApiKey
              $null = New-SaasProject -Name 'Storefront'
              Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false
";

        private static string Status(PSObject report, string name) => Check(report, name).Properties["Status"].Value.ToString()!;

        [Fact]
        public void AFreshInstanceIsNotConnectedAndSaysWhy()
        {
            Shop("shop");

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop; Test-CommerceConnection");

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

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop\n" + Provision + "Test-CommerceConnection; Test-CommerceConnection -Quiet", Keys("MAGE-OK"));

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

        [Fact]
        public void ChangesMagentoHasNotImportedFailTheConfigImportCheck()
        {
            // Magento refuses every request while config.php and env.php hold changes it has not imported.
            Shop("edited", new SampleInstance { EnvPhpSystem = "'web' => ['unsecure' => ['base_url' => 'https://shop.test/']]" });
            new SampleInstance { Installed = false }.WriteTo(InstancePath("new"));
            const string Test = "Connect-CommerceInstance ./edited; Connect-CommerceInstance ./new; Get-CommerceInstance | Test-CommerceConnection -Offline";

            ScriptResult imported = Emulator.Run(Test);
            string env = Path.Combine(Emulator.Folder.Path, "edited", "app", "etc", "env.php");
            File.WriteAllText(env, File.ReadAllText(env).Replace("https://shop.test/", "https://edited.test/", StringComparison.Ordinal));
            ScriptResult edited = Emulator.Run(Test);

            Assert.Empty(imported.Errors);
            Assert.Equal("Pass", Status(PSObject.AsPSObject(imported.Output[0]), "ConfigImport"));
            Assert.Equal("Pass", Status(PSObject.AsPSObject(imported.Output[1]), "ConfigImport"));
            PSObject check = Check(PSObject.AsPSObject(edited.Output[0]), "ConfigImport");
            Assert.Equal("Fail", check.Properties["Status"].Value.ToString());
            Assert.Contains("Magento refuses every request", (string)check.Properties["Message"].Value, StringComparison.Ordinal);
            Assert.Contains("bin/magento app:config:import", (string)check.Properties["Remedy"].Value, StringComparison.Ordinal);
            Assert.Contains("ConfigImport", (string[])PSObject.AsPSObject(edited.Output[0]).Properties["Failed"].Value);
        }

        /// <summary>A sample instance whose settings all go to env.php, its gateways locked there too.</summary>
        private string FilesOnlyShop(string name, SampleInstance sample)
        {
            sample.EnvPhpSystem = "'services_connector' => ['production_gateway_url' => '" + Emulator.ProductionUri + "', 'sandbox_gateway_url' => '" + Emulator.SandboxUri + "']";
            sample.WriteTo(InstancePath(name));
            return name;
        }

        [Fact]
        public void AnInstanceNotInstalledYetIsProvisionedAndConnectedThroughItsFiles()
        {
            FilesOnlyShop("new", new SampleInstance { Installed = false });

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./new -ConfigStore EnvPhp\n" + Provision + "Test-CommerceConnection", Keys("MAGE-NEW"));

            Assert.Empty(run.Errors);
            Assert.Empty(run.Warnings);
            PSObject report = PSObject.AsPSObject(Assert.Single(run.Output));
            Assert.Equal(true, report.Properties["IsConnected"].Value);
            Assert.Equal("Warning", Status(report, "Database"));
            Assert.Contains("not installed here yet", (string)Check(report, "Database").Properties["Message"].Value, StringComparison.Ordinal);
            Assert.Equal("Pass", Status(report, "SaasIdentifierOnline"));
        }

        [Fact]
        public void AnUnreachableDatabaseOnlyWarnsWhenEverySettingThatCountsIsLockedInTheFiles()
        {
            FilesOnlyShop("locked", new SampleInstance { DatabaseHost = "127.0.0.1:9" });
            FilesOnlyShop("unknown", new SampleInstance { DatabaseHost = "127.0.0.1:9" });

            const string Defer = "$PSDefaultParameterValues['Set-Commerce*:DeferConfigImport'] = $true\n";
            var keys = Keys("MAGE-DB");
            ScriptResult keysRun = Emulator.Run(
                "Connect-CommerceInstance ./locked -ConfigStore EnvPhp\n" + Defer
                + "Set-CommerceGatewayEnvironment Production; $production | Set-CommerceApiKey; $sandbox | Set-CommerceApiKey; $null = New-SaasProject -Name 'Storefront'\n"
                + "Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false",
                keys);
            // Its current data space is not known here, so it might be a Production one (R8): not in the session that changed the keys.
            ScriptResult run = Emulator.Run(
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
            Assert.Equal("Pass", Status(locked, "GatewayEnvironment"));
            Assert.Equal("Skipped", Status(locked, "ShadowedValues"));
            PSObject unknown = PSObject.AsPSObject(run.Output[1]);
            Assert.Equal(false, unknown.Properties["IsConnected"].Value);
            Assert.Equal(new[] { "Database" }, (string[])unknown.Properties["Failed"].Value);
            Assert.Contains("services_connector/services_id/project_id", (string)Check(unknown, "Database").Properties["Message"].Value, StringComparison.Ordinal);
            foreach (string name in new[] { "GatewayEnvironment", "ProductionKeyPair", "SandboxKeyPair", "ProductionKeyOnline", "SaasIdentifier", "SaasIdentifierOnline", "ProductionDataSpaceRole", "ShadowedValues" })
            {
                Assert.Equal("Skipped", Status(unknown, name));
            }
        }

        [Fact]
        public void EachCheckFailsForItsOwnCauseAndSaysWhatToDo()
        {
            Shop("modules", new SampleInstance { ConnectorEnabled = false });
            SampleShop badKey = Shop("bad-key");
            badKey.Set("services_connector/services_connector_integration/production_api_key", "a1b2c3d4e5f60718293a4b5c6d7e8f90");
            badKey.Set("services_connector/services_connector_integration/production_private_key", "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----");
            SampleShop indentedKey = Shop("indented-key");
            indentedKey.Set("services_connector/services_connector_integration/production_api_key", "a1b2c3d4e5f60718293a4b5c6d7e8f90");
            indentedKey.Set("services_connector/services_connector_integration/production_private_key", string.Concat(TestKeys.Pkcs8Pem(TestKeys.Main).TrimEnd('\n').Split('\n').Select(line => "    " + line + "\n")));
            var provisioned = new Dictionary<string, SampleShop>();
            foreach (string name in new[] { "dead-gateway", "plain-http", "gone", "other-project", "open-source", "shadowed" })
            {
                provisioned[name] = Shop(name, new SampleInstance
                {
                    AdobeCommerce = name != "open-source",
                    EnvPhpSystem = name == "shadowed" ? "'services_connector' => ['services_id' => ['ims_organization_id' => null]]" : null,
                });
                ScriptResult setUp = Emulator.Run("Connect-CommerceInstance ./" + name + "\n" + Provision + "$null = New-SaasProject -Name 'Second'", Keys("MAGE-" + name.ToUpperInvariant()));
                Assert.Empty(setUp.Errors);
            }

            provisioned["dead-gateway"].Set("services_connector/production_gateway_url", "http://127.0.0.1:9/");
            provisioned["plain-http"].Set("services_connector/sandbox_gateway_url", "http://gateway.example.com/");
            provisioned["gone"].Set("services_connector/services_id/environment_id", Guid.NewGuid().ToString());
            ScriptResult second = Emulator.Run("Connect-CommerceInstance ./other-project; (Get-SaasProject -Name 'Second').ProjectId");
            provisioned["other-project"].Set("services_connector/services_id/project_id", (string)Assert.Single(second.Output));
            provisioned["shadowed"].Set("services_connector/services_id/ims_organization_id", "0123456789ABCDEF01234567@AdobeOrg");

            ScriptResult run = Emulator.Run(
                "foreach ($name in 'modules', 'bad-key', 'indented-key', 'dead-gateway', 'plain-http', 'gone', 'other-project', 'open-source', 'shadowed') { Connect-CommerceInstance \"./$name\" -WarningAction SilentlyContinue }\n"
                + "Get-CommerceInstance | Test-CommerceConnection -TimeoutSec 5");

            Assert.Empty(run.Errors);
            var reports = run.Output.Select(PSObject.AsPSObject).ToDictionary(r => (string)PSObject.AsPSObject(r.Properties["Instance"].Value).Properties["Name"].Value);
            void Expect(string instance, string check, string status, string message)
            {
                PSObject found = Check(reports[instance], check);
                Assert.Equal((check, status), (check, found.Properties["Status"].Value.ToString()));
                Assert.Contains(message, (string)found.Properties["Message"].Value, StringComparison.Ordinal);
                if (status == "Fail" || status == "Warning")
                {
                    Assert.False(string.IsNullOrEmpty((string?)found.Properties["Remedy"].Value), instance + " " + check + " has no remedy");
                }
            }

            Expect("modules", "ConnectorModules", "Fail", "(R12)");
            Expect("bad-key", "ProductionKeyPair", "Fail", "is not usable");
            Expect("bad-key", "ProductionKeyOnline", "Skipped", "not usable");
            Expect("indented-key", "ProductionKeyPair", "Fail", "passes it to OpenSSL as stored, so it cannot sign (NotReadableByConnector)");
            Expect("dead-gateway", "ProductionKeyOnline", "Fail", "could not be checked");
            Expect("dead-gateway", "SandboxKeyOnline", "Pass", "accepts the key pair");
            Expect("dead-gateway", "SaasIdentifierOnline", "Fail", "could not be checked");
            Expect("plain-http", "SandboxKeyOnline", "Fail", "gateway URL the instance is configured for is not usable");
            Expect("plain-http", "ProductionKeyOnline", "Pass", "accepts the key pair");
            Expect("gone", "SaasIdentifierOnline", "Fail", "does not exist for the instance's keys");
            Expect("other-project", "SaasIdentifierOnline", "Fail", "not to the configured project");
            Expect("open-source", "Edition", "Warning", "(R5)");
            Expect("shadowed", "ShadowedValues", "Warning", "services_connector/services_id/ims_organization_id (EnvPhp over Database)");
            Expect("shadowed", "Edition", "Pass", "fit AdobeCommerce");
            foreach (string name in new[] { "modules", "bad-key", "indented-key", "dead-gateway", "plain-http", "gone", "other-project" })
            {
                Assert.Equal(false, reports[name].Properties["IsConnected"].Value);
            }

            Assert.Equal(true, reports["open-source"].Properties["IsConnected"].Value);
            Assert.Equal(true, reports["shadowed"].Properties["IsConnected"].Value);
        }

        [Fact]
        public void WebsiteAndStoreValuesAndVariablesNotInCapitalsAreShadowedValuesWarnings()
        {
            const string Website = "'websites' => ['base' => ['services_connector' => ['services_id' => ['project_id' => 'website-project']]]]";
            Shop("scoped", new SampleInstance { EnvPhpScopedSystem = Website });
            new SampleInstance { DatabaseHost = "127.0.0.1:9", EnvPhpScopedSystem = Website }.WriteTo(InstancePath("scoped-offline"));

            // Environment variables are process-wide: names no other test reads, removed at the end.
            const string LowerCase = "CONFIG__default__services_connector__api_portal_url";
            const string Store = "CONFIG__stores__default__services_connector__api_portal_url";
            ScriptResult run;
            try
            {
                Environment.SetEnvironmentVariable(LowerCase, "https://portal.example/");
                Environment.SetEnvironmentVariable(Store, "https://store-portal.example/");
                run = Emulator.Run(
                    "foreach ($name in 'scoped', 'scoped-offline') { Connect-CommerceInstance \"./$name\" -WarningAction SilentlyContinue }\n"
                    + "Get-CommerceInstance | Test-CommerceConnection -Offline -WarningAction SilentlyContinue");
            }
            finally
            {
                Environment.SetEnvironmentVariable(LowerCase, null);
                Environment.SetEnvironmentVariable(Store, null);
            }

            Assert.Empty(run.Errors);
            var reports = run.Output.Select(PSObject.AsPSObject).ToDictionary(r => (string)PSObject.AsPSObject(r.Properties["Instance"].Value).Properties["Name"].Value);
            PSObject withDatabase = Check(reports["scoped"], "ShadowedValues");
            string message = (string)withDatabase.Properties["Message"].Value;
            string remedy = (string)withDatabase.Properties["Remedy"].Value;
            Assert.Equal("Warning", withDatabase.Properties["Status"].Value.ToString());
            Assert.Contains("Set for a website or store view, where Magento uses that value instead of the default-scope one", message, StringComparison.Ordinal);
            Assert.Contains("services_connector/services_id/project_id (websites/base in app/etc/env.php)", message, StringComparison.Ordinal);
            Assert.Contains("services_connector/api_portal_url (stores/default in " + Store + ")", message, StringComparison.Ordinal);
            Assert.Contains("Set by an environment variable not all in capitals, which Magento uses but its Admin does not show as locked", message, StringComparison.Ordinal);
            Assert.Contains("services_connector/api_portal_url (" + LowerCase + ")", message, StringComparison.Ordinal);
            Assert.Contains("CONFIG__WEBSITES__ and CONFIG__STORES__ variables, or system/websites and system/stores", remedy, StringComparison.Ordinal);
            Assert.Contains("CONFIG__DEFAULT__SERVICES_CONNECTOR__API_PORTAL_URL", remedy, StringComparison.Ordinal);
            Assert.DoesNotContain("cannot be seen without the database", message, StringComparison.Ordinal);

            // Without the database the files and variables still tell.
            PSObject withoutDatabase = Check(reports["scoped-offline"], "ShadowedValues");
            Assert.Equal("Warning", withoutDatabase.Properties["Status"].Value.ToString());
            Assert.Contains("services_connector/services_id/project_id (websites/base in app/etc/env.php)", (string)withoutDatabase.Properties["Message"].Value, StringComparison.Ordinal);
            Assert.Contains("cannot be seen without the database", (string)withoutDatabase.Properties["Message"].Value, StringComparison.Ordinal);
        }

        [Fact]
        public void RegeneratedKeysFailTheOnlineCheckAndOfflineSkipsIt()
        {
            Shop("shop");
            var keys = Keys("MAGE-ROT");
            Emulator.Run("Connect-CommerceInstance ./shop\n" + Provision, keys);
            Emulator.IssueKey("MAGE-ROT", "AdobeCommerce", "Production");

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop; Test-CommerceConnection; Test-CommerceConnection -Offline", keys);

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

            ScriptResult run = Emulator.Run(
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
        public void AGatewayThatNeverAnswersHoldsUpOnlyItsOwnInstance()
        {
            // A gateway that accepts connections and never answers; it notes when the client gives up.
            var blackHole = new TcpListener(IPAddress.Loopback, 0);
            blackHole.Start();
            var gaveUp = new List<long>();
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    TcpClient client;
                    try
                    {
                        client = await blackHole.AcceptTcpClientAsync();
                    }
                    catch (Exception)
                    {
                        return;
                    }

                    _ = Task.Run(async () =>
                    {
                        using (client)
                        {
                            var buffer = new byte[4096];
                            try
                            {
                                while (await client.GetStream().ReadAsync(buffer) > 0)
                                {
                                }
                            }
                            catch (IOException)
                            {
                            }

                            lock (gaveUp)
                            {
                                gaveUp.Add(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                            }
                        }
                    });
                }
            });

            try
            {
                var names = new[] { "stuck", "f1", "f2", "f3" };
                var shops = names.ToDictionary(n => n, n => Shop(n));
                Emulator.Run("foreach ($name in 'stuck', 'f1', 'f2', 'f3') { Connect-CommerceInstance \"./$name\"; $production | Set-CommerceApiKey -SkipOnlineCheck; $sandbox | Set-CommerceApiKey -SkipOnlineCheck }", Keys("MAGE-STUCK"));
                shops["stuck"].Set("services_connector/production_gateway_url", "http://127.0.0.1:" + ((IPEndPoint)blackHole.LocalEndpoint).Port + "/");
                Emulator.ClearRequests();

                ScriptResult run = Emulator.Run(
                    "foreach ($name in 'stuck', 'f1', 'f2', 'f3') { Connect-CommerceInstance \"./$name\" }\n"
                    + "Get-CommerceInstance | Test-CommerceConnection -TimeoutSec 2 | ForEach-Object { '{0}:{1}' -f $_.Instance.Name, ($_.Checks | Where-Object Name -eq 'ProductionKeyOnline').Status }\n"
                    + "($emulator.Requests | Where-Object { $_.Path -like '*ping' -and $_.Environment -eq 'Production' } | ForEach-Object { $_.Time.ToUnixTimeMilliseconds() }) -join ','");

                Assert.Empty(run.Errors);
                Assert.Equal(new object[] { "stuck:Fail", "f1:Pass", "f2:Pass", "f3:Pass" }, run.Output.Take(4).ToArray());
                long[] fastPings = ((string)run.Output.Last()).Split(',').Select(long.Parse).ToArray();
                Assert.Equal(3, fastPings.Length);
                long firstGiveUp;
                lock (gaveUp)
                {
                    Assert.NotEmpty(gaveUp);
                    firstGiveUp = gaveUp.Min();
                }

                // The other instances were answered while the stuck one was still waiting for its gateway.
                Assert.True(fastPings.Max() < firstGiveUp, "fast pings at " + string.Join(", ", fastPings) + ", the stuck request was given up at " + firstGiveUp);
            }
            finally
            {
                blackHole.Stop();
            }
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
            Emulator.Run("foreach ($name in 'n1','n2','n3','n4') { Connect-CommerceInstance \"./$name\"; $production | Set-CommerceApiKey -SkipOnlineCheck; $sandbox | Set-CommerceApiKey -SkipOnlineCheck }", keys);
            Emulator.ClearRequests();
            Emulator.Run("$f = [CommerceServices.Emulator.EmulatorFault]::new('Latency', 0); $f.PathPattern = 'ping$'; $f.Environment = 'Production'; $f.Delay = [TimeSpan]::FromSeconds(2); $null = $emulator.AddFault($f)");

            ScriptResult run = Emulator.Run("foreach ($name in 'n1','n2','n3','n4') { Connect-CommerceInstance \"./$name\" }; Get-CommerceInstance | Test-CommerceConnection -ThrottleLimit 4 -Quiet; ($emulator.Requests | Where-Object { $_.Path -like '*ping' -and $_.Environment -eq 'Production' } | ForEach-Object { $_.Time.ToUnixTimeMilliseconds() }) -join ','");

            Assert.Empty(run.Errors);
            long[] arrivals = ((string)run.Output.Last()).Split(',').Select(long.Parse).OrderBy(t => t).ToArray();
            Assert.Equal(4, arrivals.Length);

            // Each ping is held for 2 s; tested one after another, the fourth would arrive at least 6 s after the first.
            // All four arriving within one hold of each other means they were in flight together.
            Assert.True(arrivals[^1] - arrivals[0] < 2000, "pings arrived " + string.Join(", ", arrivals.Select(a => a - arrivals[0])) + " ms apart");
        }
    }
}
