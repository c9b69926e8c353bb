namespace CommerceServices.Tests.Commands
{
    /// <summary>Set-CommerceApiKey against a real MariaDB and the gateway emulator.</summary>
    [Collection(MariaDbCollection.Name)]
    public sealed class SetCommerceApiKeyTests : IDisposable
    {
        private const string Prefix = "mg_";
        private readonly MariaDbServer server;
        private readonly EmulatorFixture emulator = new EmulatorFixture();
        private readonly string database;
        private readonly Dictionary<string, object?> variables;

        public SetCommerceApiKeyTests(MariaDbFixture fixture)
        {
            server = fixture.Server;
            database = MagentoDatabase.Create(server, Prefix);
            variables = new() { ["key"] = emulator.IssueKey("MAGE-SET").BaseObject };
        }

        public void Dispose() => emulator.Dispose();

        private string Shop(SampleInstance? sample = null) =>
            (sample ?? new SampleInstance { TablePrefix = Prefix }).UseDatabase(server, database).WriteTo(Path.Combine(emulator.Folder.Path, "shop"));

        private string Rows() => server.Sql("SELECT path, value FROM " + Prefix + "core_config_data WHERE path LIKE 'services_connector/%' ORDER BY path", database);

        [Fact]
        public void StoresAGatewayAcceptedPairEncryptedAndDescribesIt()
        {
            string shop = Shop();

            ScriptResult run = emulator.Run("Connect-CommerceInstance ./shop; $key | Set-CommerceApiKey -PassThru", variables);

            Assert.Empty(run.Errors);
            PSObject stored = PSObject.AsPSObject(Assert.Single(run.Output));
            Assert.Equal(true, stored.Properties["IsSet"].Value);
            Assert.Equal(true, stored.Properties["IsEncrypted"].Value);
            Assert.Equal("Database", stored.Properties["PrivateKeyLayer"].Value.ToString());
            Assert.Contains("/merchant-registry/v1/ping", string.Join("\n", emulator.Requests()), StringComparison.Ordinal);
            Assert.Matches(@"production_api_key\t0:3:", Rows());
            Assert.Single(Directory.GetFiles(Path.Combine(shop, "var", "commerceservices", "backups")));
        }

        [Fact]
        public void WhatIfChangesNoRowAndNoFile()
        {
            string shop = Shop();
            string before = Rows();

            ScriptResult run = emulator.Run("Connect-CommerceInstance ./shop; $key | Set-CommerceApiKey -WhatIf", variables, formatOutput: true);

            Assert.Empty(run.Errors);
            Assert.Contains("What if: Performing the operation \"Store the Production API key pair SHA256:", run.HostText, StringComparison.Ordinal);
            Assert.Equal(before, Rows());
            Assert.False(Directory.Exists(Path.Combine(shop, "var")));
        }

        [Fact]
        public void ARevokedPairIsNotStoredUnlessTheOnlineCheckIsSkipped()
        {
            Shop();
            emulator.IssueKey("MAGE-SET");

            ScriptResult refused = emulator.Run("Connect-CommerceInstance ./shop; $key | Set-CommerceApiKey", variables);
            Assert.Equal("ApiKeyRejected", Id(Assert.Single(refused.Errors)));
            Assert.Equal(string.Empty, Rows());

            ScriptResult forced = emulator.Run("Connect-CommerceInstance ./shop; $key | Set-CommerceApiKey -SkipOnlineCheck", variables);
            Assert.Empty(forced.Errors);
            Assert.Contains("production_private_key", Rows(), StringComparison.Ordinal);
        }

        [Fact]
        public void AValueLockedInEnvPhpIsNamedAndNothingChanges()
        {
            Shop(new SampleInstance
            {
                TablePrefix = Prefix,
                EnvPhpSystem = "'services_connector' => ['services_connector_integration' => ['production_private_key' => 'locked']]",
            });

            ScriptResult run = emulator.Run("Connect-CommerceInstance ./shop; $key | Set-CommerceApiKey", variables);

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("ConfigValueShadowed", Id(error));
            Assert.Contains("app/etc/env.php", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(string.Empty, Rows());
        }

        [Fact]
        public void TheEnvPhpStoreLocksThePairInEnvPhpAndLeavesTheDatabaseAlone()
        {
            string shop = Shop();

            ScriptResult run = emulator.Run("Connect-CommerceInstance ./shop -ConfigStore EnvPhp; ($key | Set-CommerceApiKey -PassThru).PrivateKeyLayer; (Get-CommerceServicesConfig -Path '*production_api_key').IsLocked", variables);

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "EnvPhp", true }, run.Output.Select(o => o is PSObject p ? p.BaseObject : o).Select(o => o is bool ? o : o.ToString()).ToArray());
            Assert.Equal(string.Empty, Rows());
            Assert.Contains("'production_private_key' => '0:3:", File.ReadAllText(Path.Combine(shop, "app", "etc", "env.php")), StringComparison.Ordinal);
            Assert.Matches("\\{\"system\":\"[0-9a-f]{40}\"\\}", server.Sql("SELECT flag_data FROM " + Prefix + "flag WHERE flag_code = 'config_hash'", database));
        }

        [Fact]
        public void PassThruDescribesAPairWrittenToEnvPhpWhenTheDatabaseIsUnreachable()
        {
            string shop = new SampleInstance { TablePrefix = Prefix, DatabaseHost = "127.0.0.1:9" }.WriteTo(Path.Combine(emulator.Folder.Path, "shop"));

            ScriptResult run = emulator.Run("Connect-CommerceInstance ./shop -ConfigStore EnvPhp; $key | Set-CommerceApiKey -DeferConfigImport -PassThru -WarningAction SilentlyContinue | ForEach-Object { '{0} {1} {2}' -f $_.IsSet, $_.IsEncrypted, $_.PrivateKeyLayer }", variables);

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "True True EnvPhp" }, run.Output);
            Assert.Contains("'production_private_key' => '0:3:", File.ReadAllText(Path.Combine(shop, "app", "etc", "env.php")), StringComparison.Ordinal);
        }

        [Fact]
        public void WhatIfLeavesEnvPhpUntouched()
        {
            string shop = Shop();
            string env = Path.Combine(shop, "app", "etc", "env.php");
            string before = File.ReadAllText(env);

            ScriptResult run = emulator.Run("Connect-CommerceInstance ./shop -ConfigStore EnvPhp; $key | Set-CommerceApiKey -WhatIf", variables);

            Assert.Empty(run.Errors);
            Assert.Equal(before, File.ReadAllText(env));
        }

        [Fact]
        public void NothingSecretAppearsOnAnyStream()
        {
            Shop();
            string pem = File.ReadAllText((string)PSObject.AsPSObject(variables["key"]).Properties["PrivateKeyPath"].Value);

            ScriptResult run = emulator.Run(
                "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; Connect-CommerceInstance ./shop; $key | Set-CommerceApiKey -PassThru; Get-CommerceApiKey; Get-CommerceServicesConfig",
                variables,
                formatOutput: true);

            Assert.Empty(run.Errors);
            string everything = run.AllText();
            string body = TestKeys.Body(pem);
            for (int i = 32; i + 12 <= body.Length; i += 3)
            {
                Assert.DoesNotContain(body.Substring(i, 12), everything, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(MariaDbServer.Password, everything, StringComparison.Ordinal);
            Assert.DoesNotContain((string)PSObject.AsPSObject(variables["key"]).Properties["ApiKey"].Value, everything.Replace("ApiKey = " + (string)PSObject.AsPSObject(variables["key"]).Properties["ApiKey"].Value, string.Empty), StringComparison.Ordinal);
        }

        private string FleetShop(string name, string? envPhpSystem = null)
        {
            string ownDatabase = MagentoDatabase.Create(server, Prefix);
            new SampleInstance { TablePrefix = Prefix, EnvPhpSystem = envPhpSystem }.UseDatabase(server, ownDatabase).WriteTo(Path.Combine(emulator.Folder.Path, name));
            return ownDatabase;
        }

        private string RowsOf(string ownDatabase) => server.Sql("SELECT path FROM " + Prefix + "core_config_data WHERE path LIKE 'services_connector/%' ORDER BY path", ownDatabase);

        private static string? InstanceName(ErrorRecord error) => PSObject.AsPSObject(error.TargetObject).Properties["Name"]?.Value as string;

        private const string ConnectFleet = "foreach ($name in 'a', 'b', 'c') { Connect-CommerceInstance \"./$name\" }; $pair = $key | Import-CommerceApiKey\n";

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void AFleetRotationChecksThePairOnceAndAFailingInstanceStopsNoOther(int throttleLimit)
        {
            string a = FleetShop("a");
            string b = FleetShop("b", "'services_connector' => ['services_connector_integration' => ['production_private_key' => 'locked']]");
            string c = FleetShop("c");
            emulator.ClearRequests();

            ScriptResult run = emulator.Run(ConnectFleet + "Get-CommerceInstance | Set-CommerceApiKey -ApiKey $pair -GatewayUri $key.GatewayUri -ThrottleLimit " + throttleLimit + " -PassThru | ForEach-Object { $_.Instance.Name }", variables);

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("ConfigValueShadowed", Id(error));
            Assert.Equal("b", InstanceName(error));

            // One at a time, in input order; several at once, in the order they finish.
            Assert.Equal(new[] { "a", "c" }, throttleLimit == 1 ? run.Output.Select(o => o.ToString()) : run.Output.Select(o => o.ToString()).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Single(emulator.Requests(), r => r.Contains("/ping", StringComparison.Ordinal));
            Assert.Contains("production_private_key", RowsOf(a), StringComparison.Ordinal);
            Assert.Equal(string.Empty, RowsOf(b));
            Assert.Contains("production_private_key", RowsOf(c), StringComparison.Ordinal);
        }

        [Fact]
        public void ARefusedPairIsAskedForOnceAndNoInstanceOfTheFleetChanges()
        {
            string[] databases = { FleetShop("a"), FleetShop("b"), FleetShop("c") };
            emulator.IssueKey("MAGE-SET");
            emulator.ClearRequests();

            ScriptResult run = emulator.Run(ConnectFleet + "Get-CommerceInstance | Set-CommerceApiKey -ApiKey $pair -GatewayUri $key.GatewayUri", variables);

            Assert.Equal(new[] { "ApiKeyRejected", "ApiKeyRejected", "ApiKeyRejected" }, run.Errors.Select(Id).ToArray());
            Assert.Equal(new[] { "a", "b", "c" }, run.Errors.Select(InstanceName).ToArray());
            Assert.Single(emulator.Requests(), r => r.Contains("/ping", StringComparison.Ordinal));
            Assert.All(databases, d => Assert.Equal(string.Empty, RowsOf(d)));
        }

        [Fact]
        public void WithoutGatewayUriEachInstancesOwnGatewayIsAskedBeforeAnyIsWritten()
        {
            // a and c use the emulator that issued the pair; b uses another gateway, which does not know it.
            using var other = new EmulatorFixture();
            string[] databases = { FleetShop("a"), FleetShop("b"), FleetShop("c") };
            Uri[] gateways = { emulator.ProductionUri, other.ProductionUri, emulator.ProductionUri };
            for (int i = 0; i < 3; i++)
            {
                MagentoDatabase.SetValue(server, databases[i], Prefix, "services_connector/production_gateway_url", gateways[i].ToString());
            }

            emulator.ClearRequests();

            ScriptResult run = emulator.Run(ConnectFleet + "Get-CommerceInstance | Set-CommerceApiKey -ApiKey $pair", variables);

            Assert.Equal(new[] { "ApiKeyRejected", "ApiKeyRejected", "ApiKeyRejected" }, run.Errors.Select(Id).ToArray());
            Assert.Equal(new[] { "a", "b", "c" }, run.Errors.Select(InstanceName).ToArray());
            Assert.Contains(other.ProductionUri.ToString(), run.Errors[0].Exception.Message, StringComparison.Ordinal);
            Assert.Single(emulator.Requests(), r => r.Contains("/ping", StringComparison.Ordinal));
            Assert.Single(other.Requests(), r => r.Contains("/ping", StringComparison.Ordinal));

            // Nothing but the gateway URL each was given: no key stored anywhere, not even on a.
            Assert.All(databases, d => Assert.Equal("services_connector/production_gateway_url", RowsOf(d).Trim()));
        }

        [Fact]
        public void APipelineRowWithoutAKeyOrWithABadGatewayFailsAloneAndTheOthersAreStored()
        {
            Shop();

            ScriptResult run = emulator.Run(
                @"Connect-CommerceInstance ./shop
                  @(
                      [pscustomobject]@{ PrivateKeyPath = $key.PrivateKeyPath }
                      [pscustomobject]@{ ApiKey = $key.ApiKey; PrivateKeyPath = $key.PrivateKeyPath; GatewayUri = 'http://gateway.example.com/' }
                      $key
                  ) | Set-CommerceApiKey -PassThru | ForEach-Object { $_.Fingerprint.Length }",
                variables);

            Assert.Equal(new[] { "ApiKeyMissing", "InvalidGatewayUri" }, run.Errors.Select(Id).ToArray());
            Assert.Equal(new object[] { 64 }, run.Output);
            Assert.Contains("production_private_key", Rows(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void WhatIfOverAFleetNamesEveryInstanceAndChangesNone(int throttleLimit)
        {
            string[] databases = { FleetShop("a"), FleetShop("b"), FleetShop("c") };

            ScriptResult run = emulator.Run(ConnectFleet + "Get-CommerceInstance | Set-CommerceApiKey -ApiKey $pair -GatewayUri $key.GatewayUri -ThrottleLimit " + throttleLimit + " -WhatIf", variables, formatOutput: true);

            Assert.Empty(run.Errors);
            foreach (string name in new[] { "a", "b", "c" })
            {
                Assert.Contains(Path.Combine(emulator.Folder.Path, name) + " (Database)", run.HostText, StringComparison.Ordinal);
            }

            Assert.All(databases, d => Assert.Equal(string.Empty, RowsOf(d)));
        }
    }
}
