namespace CommerceServices.Tests.Commands
{
    /// <summary>Set-CommerceApiKey against a real MariaDB and the gateway emulator.</summary>
    public sealed class SetCommerceApiKeyTests : ShopTests
    {
        private readonly Dictionary<string, object?> variables;

        public SetCommerceApiKeyTests(MariaDbFixture fixture)
            : base(fixture)
        {
            variables = new() { ["key"] = Emulator.IssueKey("MAGE-SET").BaseObject };
        }

        /// <summary>An instance with a database of its own that names no gateway.</summary>
        private SampleShop KeyShop(string name = "shop", SampleInstance? sample = null) => Shop(name, sample, Gateways.None);

        private static string Rows(SampleShop shop) => shop.Sql("SELECT path, value FROM " + shop.TablePrefix + "core_config_data WHERE path LIKE 'services_connector/%' ORDER BY path");

        private static string Paths(SampleShop shop) => shop.Sql("SELECT path FROM " + shop.TablePrefix + "core_config_data WHERE path LIKE 'services_connector/%' ORDER BY path");

        [Fact]
        public void StoresAGatewayAcceptedPairEncryptedAndDescribesIt()
        {
            SampleShop shop = KeyShop();

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop; $key | Set-CommerceApiKey -PassThru", variables);

            Assert.Empty(run.Errors);
            PSObject stored = PSObject.AsPSObject(Assert.Single(run.Output));
            Assert.Equal(true, stored.Properties["IsSet"].Value);
            Assert.Equal(true, stored.Properties["IsEncrypted"].Value);
            Assert.Equal("Database", stored.Properties["PrivateKeyLayer"].Value.ToString());
            Assert.Contains("/merchant-registry/v1/ping", string.Join("\n", Emulator.Requests()), StringComparison.Ordinal);
            Assert.Matches(@"production_api_key\t0:3:", Rows(shop));
            Assert.Single(Directory.GetFiles(Path.Combine(shop.Root, "var", "commerceservices", "backups")));
        }

        [Fact]
        public void WhatIfChangesNoRowAndNoFile()
        {
            SampleShop shop = KeyShop();
            string before = Rows(shop);

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop; $key | Set-CommerceApiKey -WhatIf", variables, formatOutput: true);

            Assert.Empty(run.Errors);
            Assert.Contains("What if: Performing the operation \"Store the Production API key pair SHA256:", run.HostText, StringComparison.Ordinal);
            Assert.Equal(before, Rows(shop));
            Assert.False(Directory.Exists(Path.Combine(shop.Root, "var")));
        }

        [Fact]
        public void ARevokedPairIsNotStoredUnlessTheOnlineCheckIsSkipped()
        {
            SampleShop shop = KeyShop();
            Emulator.IssueKey("MAGE-SET");

            ScriptResult refused = Emulator.Run("Connect-CommerceInstance ./shop; $key | Set-CommerceApiKey", variables);
            Assert.Equal("ApiKeyRejected", Id(Assert.Single(refused.Errors)));
            Assert.Equal(string.Empty, Rows(shop));

            ScriptResult forced = Emulator.Run("Connect-CommerceInstance ./shop; $key | Set-CommerceApiKey -SkipOnlineCheck", variables);
            Assert.Empty(forced.Errors);
            Assert.Contains("production_private_key", Rows(shop), StringComparison.Ordinal);
        }

        [Fact]
        public void AValueLockedInEnvPhpIsNamedAndNothingChanges()
        {
            SampleShop shop = KeyShop(sample: new SampleInstance
            {
                EnvPhpSystem = "'services_connector' => ['services_connector_integration' => ['production_private_key' => 'locked']]",
            });

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop; $key | Set-CommerceApiKey", variables);

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("ConfigValueShadowed", Id(error));
            Assert.Contains("app/etc/env.php", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(string.Empty, Rows(shop));
        }

        [Fact]
        public void TheEnvPhpStoreLocksThePairInEnvPhpAndLeavesTheDatabaseAlone()
        {
            SampleShop shop = KeyShop();

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop -ConfigStore EnvPhp; ($key | Set-CommerceApiKey -PassThru).PrivateKeyLayer; (Get-CommerceServicesConfig -Path '*production_api_key').IsLocked", variables);

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "EnvPhp", true }, run.Output.Select(o => o is PSObject p ? p.BaseObject : o).Select(o => o is bool ? o : o.ToString()).ToArray());
            Assert.Equal(string.Empty, Rows(shop));
            Assert.Contains("'production_private_key' => '0:3:", File.ReadAllText(Path.Combine(shop.Root, "app", "etc", "env.php")), StringComparison.Ordinal);
            Assert.Matches("\\{\"system\":\"[0-9a-f]{40}\"\\}", shop.Sql("SELECT flag_data FROM " + shop.TablePrefix + "flag WHERE flag_code = 'config_hash'"));
        }

        [Fact]
        public void PassThruDescribesAPairWrittenToEnvPhpWhenTheDatabaseIsUnreachable()
        {
            string shop = new SampleInstance { DatabaseHost = "127.0.0.1:9" }.WriteTo(InstancePath("shop"));

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop -ConfigStore EnvPhp; $key | Set-CommerceApiKey -DeferConfigImport -PassThru -WarningAction SilentlyContinue | ForEach-Object { '{0} {1} {2}' -f $_.IsSet, $_.IsEncrypted, $_.PrivateKeyLayer }", variables);

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "True True EnvPhp" }, run.Output);
            Assert.Contains("'production_private_key' => '0:3:", File.ReadAllText(Path.Combine(shop, "app", "etc", "env.php")), StringComparison.Ordinal);
        }

        [Fact]
        public void WhatIfLeavesEnvPhpUntouched()
        {
            SampleShop shop = KeyShop();
            string env = Path.Combine(shop.Root, "app", "etc", "env.php");
            string before = File.ReadAllText(env);

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./shop -ConfigStore EnvPhp; $key | Set-CommerceApiKey -WhatIf", variables);

            Assert.Empty(run.Errors);
            Assert.Equal(before, File.ReadAllText(env));
        }

        [Fact]
        public void NothingSecretAppearsOnAnyStream()
        {
            KeyShop();
            string pem = File.ReadAllText((string)PSObject.AsPSObject(variables["key"]).Properties["PrivateKeyPath"].Value);

            ScriptResult run = Emulator.Run(
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

        private static string? InstanceName(ErrorRecord error) => PSObject.AsPSObject(error.TargetObject).Properties["Name"]?.Value as string;

        private const string ConnectFleet = "foreach ($name in 'a', 'b', 'c') { Connect-CommerceInstance \"./$name\" }; $pair = $key | Import-CommerceApiKey\n";

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void AFleetRotationChecksThePairOnceAndAFailingInstanceStopsNoOther(int throttleLimit)
        {
            SampleShop a = KeyShop("a");
            SampleShop b = KeyShop("b", new SampleInstance { EnvPhpSystem = "'services_connector' => ['services_connector_integration' => ['production_private_key' => 'locked']]" });
            SampleShop c = KeyShop("c");
            Emulator.ClearRequests();

            ScriptResult run = Emulator.Run(ConnectFleet + "Get-CommerceInstance | Set-CommerceApiKey -ApiKey $pair -GatewayUri $key.GatewayUri -ThrottleLimit " + throttleLimit + " -PassThru | ForEach-Object { $_.Instance.Name }", variables);

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("ConfigValueShadowed", Id(error));
            Assert.Equal("b", InstanceName(error));

            // One at a time, in input order; several at once, in the order they finish.
            Assert.Equal(new[] { "a", "c" }, throttleLimit == 1 ? run.Output.Select(o => o.ToString()) : run.Output.Select(o => o.ToString()).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Single(Emulator.Requests(), r => r.Contains("/ping", StringComparison.Ordinal));
            Assert.Contains("production_private_key", Paths(a), StringComparison.Ordinal);
            Assert.Equal(string.Empty, Paths(b));
            Assert.Contains("production_private_key", Paths(c), StringComparison.Ordinal);
        }

        [Fact]
        public void ARefusedPairIsAskedForOnceAndNoInstanceOfTheFleetChanges()
        {
            SampleShop[] shops = { KeyShop("a"), KeyShop("b"), KeyShop("c") };
            Emulator.IssueKey("MAGE-SET");
            Emulator.ClearRequests();

            ScriptResult run = Emulator.Run(ConnectFleet + "Get-CommerceInstance | Set-CommerceApiKey -ApiKey $pair -GatewayUri $key.GatewayUri", variables);

            Assert.Equal(new[] { "ApiKeyRejected", "ApiKeyRejected", "ApiKeyRejected" }, run.Errors.Select(Id).ToArray());
            Assert.Equal(new[] { "a", "b", "c" }, run.Errors.Select(InstanceName).ToArray());
            Assert.Single(Emulator.Requests(), r => r.Contains("/ping", StringComparison.Ordinal));
            Assert.All(shops, shop => Assert.Equal(string.Empty, Paths(shop)));
        }

        [Fact]
        public void WithoutGatewayUriEachInstancesOwnGatewayIsAskedBeforeAnyIsWritten()
        {
            // a and c use the emulator that issued the pair; b uses another gateway, which does not know it.
            using var other = new EmulatorFixture();
            SampleShop[] shops = { KeyShop("a"), KeyShop("b"), KeyShop("c") };
            Uri[] gateways = { Emulator.ProductionUri, other.ProductionUri, Emulator.ProductionUri };
            for (int i = 0; i < 3; i++)
            {
                shops[i].UseGateways(gateways[i]);
            }

            Emulator.ClearRequests();

            ScriptResult run = Emulator.Run(ConnectFleet + "Get-CommerceInstance | Set-CommerceApiKey -ApiKey $pair", variables);

            Assert.Equal(new[] { "ApiKeyRejected", "ApiKeyRejected", "ApiKeyRejected" }, run.Errors.Select(Id).ToArray());
            Assert.Equal(new[] { "a", "b", "c" }, run.Errors.Select(InstanceName).ToArray());
            Assert.Contains(other.ProductionUri.ToString(), run.Errors[0].Exception.Message, StringComparison.Ordinal);
            Assert.Single(Emulator.Requests(), r => r.Contains("/ping", StringComparison.Ordinal));
            Assert.Single(other.Requests(), r => r.Contains("/ping", StringComparison.Ordinal));

            // Nothing but the gateway URL each was given: no key stored anywhere, not even on a.
            Assert.All(shops, shop => Assert.Equal("services_connector/production_gateway_url", Paths(shop).Trim()));
        }

        [Fact]
        public void APipelineRowWithoutAKeyOrWithABadGatewayFailsAloneAndTheOthersAreStored()
        {
            SampleShop shop = KeyShop();

            ScriptResult run = Emulator.Run(
                @"Connect-CommerceInstance ./shop
                  @(
                      [pscustomobject]@{ PrivateKeyPath = $key.PrivateKeyPath }
                      [pscustomobject]@{ ApiKey = $key.ApiKey; PrivateKeyPath = $key.PrivateKeyPath; GatewayUri = 'http://gateway.example.com/' }
                      $key
                  ) | Set-CommerceApiKey -PassThru | ForEach-Object { $_.Fingerprint.Length }",
                variables);

            Assert.Equal(new[] { "ApiKeyMissing", "InvalidGatewayUri" }, run.Errors.Select(Id).ToArray());
            Assert.Equal(new object[] { 64 }, run.Output);
            Assert.Contains("production_private_key", Rows(shop), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void WhatIfOverAFleetNamesEveryInstanceAndChangesNone(int throttleLimit)
        {
            SampleShop[] shops = { KeyShop("a"), KeyShop("b"), KeyShop("c") };

            ScriptResult run = Emulator.Run(ConnectFleet + "Get-CommerceInstance | Set-CommerceApiKey -ApiKey $pair -GatewayUri $key.GatewayUri -ThrottleLimit " + throttleLimit + " -WhatIf", variables, formatOutput: true);

            Assert.Empty(run.Errors);
            foreach (string name in new[] { "a", "b", "c" })
            {
                Assert.Contains(InstancePath(name) + " (Database)", run.HostText, StringComparison.Ordinal);
            }

            Assert.All(shops, shop => Assert.Equal(string.Empty, Paths(shop)));
        }
    }
}
