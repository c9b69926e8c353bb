namespace CommerceServices.Tests.Commands
{
    /// <summary>
    /// The cmdlets against what the connector does, seen from the emulator: where keys are
    /// checked, what choosing a data space tells the registry, how stored keys are read. MariaDB
    /// holds the instance's settings; the instance has Live Search enabled.
    /// </summary>
    public sealed class ConnectorBehaviourTests : ShopTests
    {
        private readonly SampleInstance sample = new SampleInstance { TablePrefix = "ls_", EnabledModules = new[] { "Magento_LiveSearch" } };
        private readonly SampleShop shop;
        private readonly Dictionary<string, object?> variables;

        public ConnectorBehaviourTests(MariaDbFixture fixture)
            : base(fixture)
        {
            shop = Shop("shop", sample);
            variables = new()
            {
                ["production"] = Emulator.IssueKey("MAGE-LS").BaseObject,
                ["sandbox"] = Emulator.IssueKey("MAGE-LS", environment: "Sandbox").BaseObject,
            };
        }

        private ScriptResult Run(string script) => Emulator.Run("Connect-CommerceInstance ./shop -Role Production\n" + script, variables);

        [Fact]
        public void ASandboxGatewayOnThisMachineIsCheckedAtPingAsTheConnectorDoes()
        {
            // The sandbox's CloudFront page belongs to commerce-beta.adobe.io only; any other host is checked at ping.
            ScriptResult run = Run("$sandbox | Test-CommerceApiKey -Online -Quiet; $sandbox | Set-CommerceApiKey; Test-CommerceConnection | Out-Null");

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { true }, run.Output);
            string[] checks = Emulator.Requests().Where(r => r.StartsWith("GET /merchant-registry/", StringComparison.Ordinal) && !r.Contains("/v1/registry", StringComparison.Ordinal)).ToArray();
            Assert.NotEmpty(checks);
            Assert.All(checks, r => Assert.Equal("GET /merchant-registry/v1/ping 200", r));
        }

        [Fact]
        public void KeyCheckSettingsOfTheInstanceDecideWhereItsKeysAreChecked()
        {
            // This machine listed as a CloudFront domain: both environments are checked at the CloudFront page.
            shop.Set("services_connector/cloudfront_validation_domains", "commerce-beta.adobe.io,127.0.0.1");

            ScriptResult run = Run("$production | Set-CommerceApiKey; $sandbox | Set-CommerceApiKey; (Test-CommerceConnection).Checks | Where-Object Name -like '*KeyOnline' | ForEach-Object Status");

            Assert.Empty(run.Errors);
            Assert.Equal(new[] { "Pass", "Pass" }, run.Output.Select(o => o.ToString()));
            string[] checks = Emulator.Requests().Where(r => !r.Contains("/v1/registry", StringComparison.Ordinal)).ToArray();
            Assert.Equal(4, checks.Length);
            Assert.All(checks, r => Assert.Equal("GET /merchant-registry/index.html 200", r));
        }

        [Fact]
        public void AnEmptyKeyCheckUrlMeansNoCheckAsInTheConnector()
        {
            shop.Set("services_connector/production_key_validation_url", string.Empty);

            ScriptResult run = Run("$production | Set-CommerceApiKey -PassThru | ForEach-Object IsSet");

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { true }, run.Output);
            Assert.Empty(Emulator.Requests());
        }

        [Theory]
        [InlineData("http://check.example.test/ping")]
        [InlineData("http://[bad/ping")]
        public void AKeyCheckUrlOverPlainHttpElsewhereOrNoUrlAtAllStoresNothing(string keyValidationUrl)
        {
            shop.Set("services_connector/production_key_validation_url", keyValidationUrl);

            ScriptResult run = Run("$production | Set-CommerceApiKey; (Get-CommerceApiKey Production).IsSet");

            ErrorRecord error = Assert.Single(run.Errors, e => Id(e) == "GatewayConfigurationInvalid");
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Equal(new object[] { false }, run.Output);
            Assert.Empty(Emulator.Requests());
        }

        [Fact]
        public void ChoosingADataSpaceTellsTheRegistryWhatMagentosPluginsTellIt()
        {
            ScriptResult setup = Run("$production | Set-CommerceApiKey; $null = New-SaasProject -Name 'Storefront'");
            Assert.Empty(setup.Errors);
            Emulator.ClearRequests();

            ScriptResult whatIf = Run("Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -CloudProjectId 'abcdef123456' -WhatIf");
            Assert.Empty(whatIf.Errors);
            Assert.Matches("PUT /merchant-registry/v1/registry/environments/[0-9a-f-]{36}/cloudid/abcdef123456 \\(the instance is Adobe Commerce Cloud project abcdef123456\\)", whatIf.HostText.Replace("\n", string.Empty));
            Assert.Contains("/feature/PREMIUM_SEARCH (Magento_LiveSearch is enabled)", whatIf.HostText.Replace("\n", string.Empty), StringComparison.Ordinal);
            Assert.DoesNotContain(Emulator.Requests(), r => r.StartsWith("PUT", StringComparison.Ordinal));

            ScriptResult run = Run("$space = Get-SaasDataSpace -Name 'Testing 1'; $space | Set-CommerceDataSpace -CloudProjectId 'abcdef123456' -Confirm:$false; $space.DataSpaceId; (Get-SaasDataSpace -Name 'Testing 1').Features");

            Assert.Empty(run.Errors);
            string id = (string)run.Output[0];
            string[] puts = Emulator.Requests().Where(r => r.StartsWith("PUT", StringComparison.Ordinal)).ToArray();
            Assert.Equal(new[] { "PUT /merchant-registry/v1/registry/environments/" + id + "/cloudid/abcdef123456 200", "PUT /merchant-registry/v1/registry/environments/" + id + "/feature/PREMIUM_SEARCH 200" }, puts);
            Assert.Equal("PREMIUM_SEARCH", run.Output[1]);

            // Choosing a project clears the data space: Magento's plugins have nothing to tell then.
            Emulator.ClearRequests();
            ScriptResult project = Run("Get-SaasProject -Name 'Storefront' | Set-CommerceProject -Confirm:$false -WarningAction SilentlyContinue");
            Assert.Empty(project.Errors);
            Assert.DoesNotContain(Emulator.Requests(), r => r.StartsWith("PUT", StringComparison.Ordinal));
        }

        [Fact]
        public void TestCommerceConnectionWarnsWhenLiveSearchWasNotRegisteredForTheDataSpace()
        {
            ScriptResult setup = Run("$production | Set-CommerceApiKey; $p = New-SaasProject -Name 'Storefront'; $p.ProjectId; $p.DataSpaces[1].DataSpaceId");
            Assert.Empty(setup.Errors);

            // A data space set behind Magento's back (config:set without its plugins, a copied database).
            shop.Set("services_connector/services_id/project_id", (string)setup.Output[0]);
            shop.Set("services_connector/services_id/project_name", "Storefront");
            shop.Set("services_connector/services_id/environment_id", (string)setup.Output[1]);
            shop.Set("services_connector/services_id/environment_name", "Testing 1");
            shop.Set("services_connector/services_id/environment", "Testing");

            ScriptResult before = Run("(Test-CommerceConnection).Checks | Where-Object Name -eq 'LiveSearchFeature'");
            ScriptResult after = Run("Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false; (Test-CommerceConnection).Checks | Where-Object Name -eq 'LiveSearchFeature' | ForEach-Object Status");

            dynamic warning = Assert.Single(before.Output);
            Assert.Equal("Warning", warning.Status.ToString());
            Assert.Contains("PREMIUM_SEARCH", (string)warning.Message, StringComparison.Ordinal);
            Assert.Contains("Set-CommerceDataSpace -DataSpaceId " + setup.Output[1], (string)warning.Remedy, StringComparison.Ordinal);
            Assert.Empty(after.Errors);
            Assert.Equal("Pass", after.Output.Single().ToString());
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void AStoredZeroIsNoKeyAsForTheConnector(bool encrypted)
        {
            // Magento's ciphertext of "0" under the instance's crypt/key, made by the module's encryptor (proven against PHP's in the core tests).
            ScriptResult setup = Run("$production | Set-CommerceApiKey; [CommerceServices.Encryption.MagentoEncryptor]::new('" + sample.CryptKey + "').Encrypt('0')");
            Assert.Empty(setup.Errors);
            shop.Set("services_connector/services_connector_integration/production_api_key", encrypted ? (string)setup.Output.Single() : "0");

            ScriptResult run = Run("$k = Get-CommerceApiKey Production; $k.IsSet; [string]$k.ApiKey; (Test-CommerceConnection -Offline).Checks | Where-Object Name -eq 'ProductionKeyPair' | ForEach-Object Message; (Get-CommerceServicesConfig -Path '*production_api_key').Value");

            Assert.Empty(run.Errors);
            Assert.Equal(false, run.Output[0]);
            Assert.Equal(string.Empty, run.Output[1]);
            Assert.Contains("is not set", (string)run.Output[2], StringComparison.Ordinal);
            Assert.Equal("(not set: empty to the connector, as \"0\" is)", run.Output[3]);
        }
    }
}
