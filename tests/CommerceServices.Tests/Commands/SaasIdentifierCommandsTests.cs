namespace CommerceServices.Tests.Commands
{
    /// <summary>The SaaS identifier of an instance, chosen with its own stored keys, against MariaDB and the emulator.</summary>
    public sealed class SaasIdentifierCommandsTests : ShopTests
    {
        private readonly SampleShop shop;
        private readonly Dictionary<string, object?> variables;

        public SaasIdentifierCommandsTests(MariaDbFixture fixture)
            : base(fixture)
        {
            // The instance is configured for the emulator, as services_connector/production_gateway_url allows.
            shop = Shop("shop", gateways: Gateways.Production);
            variables = new() { ["key"] = Emulator.IssueKey("MAGE-ID").BaseObject };
            ScriptResult stored = Emulator.Run("Connect-CommerceInstance ./shop; $key | Set-CommerceApiKey", variables);
            Assert.Empty(stored.Errors);
        }

        /// <summary>Runs with the shop connected as the production installation, which may use the Production data space.</summary>
        private ScriptResult Run(string script) => Emulator.Run("Connect-CommerceInstance ./shop -Role Production\n" + script, variables);

        [Fact]
        public void SaasCmdletsUseTheInstancesStoredKeysAndGateway()
        {
            ScriptResult run = Run("(New-SaasProject -Name 'Storefront').DataSpaces.Count; (Get-SaasProject).Name");

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { 3, "Storefront" }, run.Output);
            Assert.Contains("POST /merchant-registry/v1/registry/initialize 200", Emulator.Requests());
        }

        [Fact]
        public void ChoosingADataSpaceStoresItAndItsProject()
        {
            ScriptResult run = Run(
                @"$null = New-SaasProject -Name 'Storefront'
                  (Get-SaasDataSpace -Name 'Testing 2') | Set-CommerceDataSpace -Confirm:$false -PassThru | ForEach-Object { '{0}={1}' -f $_.Path, $_.Value }");

            Assert.Empty(run.Errors);
            string[] lines = run.Output.Cast<string>().ToArray();
            Assert.Equal(5, lines.Length);
            Assert.Contains("services_connector/services_id/project_name=Storefront", lines);
            Assert.Contains("services_connector/services_id/environment_name=Testing 2", lines);
            Assert.Contains("services_connector/services_id/environment=Testing", lines);
            Assert.Equal("Storefront", shop.Value("services_connector/services_id/project_name"));
            Assert.Matches("^[0-9a-f-]{36}$", shop.Value("services_connector/services_id/environment_id"));
        }

        [Fact]
        public void ChoosingAProjectClearsTheDataSpaceAsMagentoDoes()
        {
            ScriptResult run = Run(
                @"$null = New-SaasProject -Name 'First'
                  Get-SaasDataSpace -Type Production | Set-CommerceDataSpace -Confirm:$false
                  $second = New-SaasProject -Name 'Second' -Force
                  $second | Set-CommerceProject -Confirm:$false -PassThru | ForEach-Object { '{0}={1}' -f $_.Path, $_.Value }");

            Assert.Empty(run.Errors);
            Assert.Contains("services_connector/services_id/project_name=Second", run.Output.Cast<string>());
            Assert.Contains("services_connector/services_id/environment_id=", run.Output.Cast<string>());
            Assert.Equal("Second", shop.Value("services_connector/services_id/project_name"));
            Assert.Equal(string.Empty, shop.Value("services_connector/services_id/environment_id"));
            Assert.Contains("has no data space now", Assert.Single(run.Warnings).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ADataSpaceOfAnotherProjectIsRefusedUnlessTheProjectIsSwitched()
        {
            ScriptResult run = Run(
                @"$null = New-SaasProject -Name 'First'
                  Get-SaasProject -Name 'First' | Get-SaasDataSpace -Type Production | Set-CommerceDataSpace -Confirm:$false
                  $second = New-SaasProject -Name 'Second' -Force
                  $second | Get-SaasDataSpace -Type Production | Set-CommerceDataSpace -Confirm:$false
                  (Get-CommerceServicesConfig -Path '*project_name').Value
                  $second | Get-SaasDataSpace -Type Production | Set-CommerceDataSpace -SwitchProject -Confirm:$false
                  (Get-CommerceServicesConfig -Path '*project_name').Value");

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("DataSpaceNotInProject", Id(error));
            Assert.Contains("-SwitchProject", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(new object[] { "First", "Second" }, run.Output);
        }

        [Fact]
        public void AProductionDataSpaceIsRefusedForAnInstanceNotDeclaredProduction()
        {
            ScriptResult run = Emulator.Run(
                @"Connect-CommerceInstance ./shop -Role Staging
                  $null = New-SaasProject -Name 'P'
                  Get-SaasDataSpace -Type Production | Set-CommerceDataSpace -Confirm:$false
                  [string](Get-CommerceServicesConfig -Path '*environment_id').Value
                  Get-SaasDataSpace -Type Production | Set-CommerceDataSpace -Confirm:$false -Force
                  (Test-CommerceConnection -Offline).Checks | Where-Object Name -eq 'ProductionDataSpaceRole' | ForEach-Object Status",
                variables);

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("ProductionDataSpaceOnNonProduction", Id(error));
            Assert.Contains("R7", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(string.Empty, run.Output[0]);
            Assert.Equal("Fail", run.Output[1].ToString());
        }

        [Fact]
        public void ADataSpaceAnotherConnectedInstanceUsesIsRefused()
        {
            Shop("other", gateways: Gateways.Production);

            ScriptResult run = Run(
                @"$null = New-SaasProject -Name 'P'
                  Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false
                  Connect-CommerceInstance ./other
                  $key | Set-CommerceApiKey
                  Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false");

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("DataSpaceInUse", Id(error));
            Assert.Contains(InstancePath("shop"), error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("R6", error.Exception.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void LeavingAProductionDataSpaceInTheSessionThatChangedTheKeysNeedsForce()
        {
            const string Setup = @"Connect-CommerceInstance ./shop -Role Production
                  $null = New-SaasProject -Name 'P'
                  Get-SaasDataSpace -Type Production | Set-CommerceDataSpace -Confirm:$false
";
            ScriptResult bound = Emulator.Run(Setup, variables);
            Assert.Empty(bound.Errors);
            string production = shop.Value("services_connector/services_id/environment_id");

            ScriptResult refused = Emulator.Run("Connect-CommerceInstance ./shop -Role Production; $key | Set-CommerceApiKey; Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false", variables);
            ErrorRecord error = Assert.Single(refused.Errors);
            Assert.Equal("ProductionIdentifierAfterKeyChange", Id(error));
            Assert.Contains("(R8)", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(production, shop.Value("services_connector/services_id/environment_id"));

            ScriptResult project = Emulator.Run("Connect-CommerceInstance ./shop -Role Production; $key | Set-CommerceApiKey; Get-SaasProject | Set-CommerceProject -Confirm:$false", variables);
            Assert.Equal("ProductionIdentifierAfterKeyChange", Id(Assert.Single(project.Errors)));
            Assert.Equal(production, shop.Value("services_connector/services_id/environment_id"));

            ScriptResult forced = Emulator.Run("Connect-CommerceInstance ./shop -Role Production; $key | Set-CommerceApiKey; Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false -Force", variables);
            Assert.Empty(forced.Errors);
            Assert.NotEqual(production, shop.Value("services_connector/services_id/environment_id"));
        }

        [Fact]
        public void WithoutConfirmFalseLeavingAProductionDataSpaceAsksAndNoChangesNothing()
        {
            ScriptResult bound = Emulator.Run("Connect-CommerceInstance ./shop -Role Production; $null = New-SaasProject -Name 'P'; Get-SaasDataSpace -Type Production | Set-CommerceDataSpace -Confirm:$false", variables);
            Assert.Empty(bound.Errors);
            string production = shop.Value("services_connector/services_id/environment_id");
            var prompts = new List<string>();
            Func<string, System.Collections.ObjectModel.Collection<System.Management.Automation.Host.ChoiceDescription>, int> Say(string label) => (message, choices) =>
            {
                prompts.Add(message);
                return choices.IndexOf(choices.Single(c => c.Label.Replace("&", string.Empty) == label));
            };
            const string Move = "Connect-CommerceInstance ./shop -Role Production; Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace";

            ScriptResult declined = Emulator.Run(Move, variables, answer: Say("No"));
            string afterNo = shop.Value("services_connector/services_id/environment_id");
            ScriptResult accepted = Emulator.Run(Move, variables, answer: Say("Yes"));

            Assert.Empty(declined.Errors);
            Assert.Empty(accepted.Errors);
            Assert.Equal(2, prompts.Count);
            Assert.Contains("stops receiving it", prompts[0], StringComparison.Ordinal);
            Assert.Contains("(R8)", prompts[0], StringComparison.Ordinal);
            Assert.Equal(production, afterNo);
            Assert.NotEqual(production, shop.Value("services_connector/services_id/environment_id"));
        }

        [Fact]
        public void LeavingAProductionDataSpaceSaysWhatIsLost()
        {
            ScriptResult run = Emulator.Run(
                @"Connect-CommerceInstance ./shop -Role Production
                  $null = New-SaasProject -Name 'P'
                  Get-SaasDataSpace -Type Production | Set-CommerceDataSpace -Confirm:$false
                  Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -WhatIf",
                variables,
                formatOutput: true);

            Assert.Empty(run.Errors);
            Assert.Contains("(R8)", run.HostText, StringComparison.Ordinal);
        }

        [Fact]
        public void AnUnknownProjectIsRefused()
        {
            ScriptResult run = Run("Set-CommerceProject 'no-such-project' -Confirm:$false");

            Assert.Equal("ProjectNotFound", Id(Assert.Single(run.Errors)));
            Assert.Equal(string.Empty, shop.Value("services_connector/services_id/project_id"));
        }

        [Fact]
        public void AnUnknownDataSpaceIsRefusedAndNothingChanges()
        {
            ScriptResult run = Run("Set-CommerceDataSpace -DataSpaceId 'not-a-data-space' -Confirm:$false");

            Assert.Equal("DataSpaceNotFound", Id(Assert.Single(run.Errors)));
            Assert.Equal(string.Empty, shop.Value("services_connector/services_id/environment_id"));
        }

        [Fact]
        public void WhatIfChoosesNothing()
        {
            ScriptResult run = Run("$null = New-SaasProject -Name 'P'; Get-SaasDataSpace -Type Production | Set-CommerceDataSpace -WhatIf");

            Assert.Empty(run.Errors);
            Assert.Equal(string.Empty, shop.Value("services_connector/services_id/project_id"));
        }

        [Fact]
        public void ChoosingADataSpaceIsHighImpact()
        {
            ScriptResult run = PowerShellRunner.Run("(Get-Command Set-CommerceDataSpace).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact.ToString()");

            Assert.Equal(new object[] { "High" }, run.Output);
        }

        [Fact]
        public void TheGatewayEnvironmentChoosesTheKeyPairUsed()
        {
            ScriptResult run = Run("Set-CommerceGatewayEnvironment Sandbox -PassThru | ForEach-Object Value; Get-SaasProject");

            Assert.Equal(new object[] { "sandbox" }, run.Output);
            Assert.Contains("has no Sandbox key pair", Assert.Single(run.Warnings).Message, StringComparison.Ordinal);
            Assert.Equal("StoredKeyPairMissing", Id(Assert.Single(run.Errors)));
            Assert.Equal("sandbox", shop.Value("magento_saas/environment"));
        }

        [Fact]
        public void TheImsOrganizationIsSetClearedAndChecked()
        {
            ScriptResult set = Run("(Set-CommerceImsOrganization '0123456789ABCDEF01234567@AdobeOrg' -PassThru).Value");
            Assert.Equal(new object[] { "0123456789ABCDEF01234567@AdobeOrg" }, set.Output);
            Assert.Equal("0123456789ABCDEF01234567@AdobeOrg", shop.Value("services_connector/services_id/ims_organization_id"));

            ScriptResult invalid = Run("Set-CommerceImsOrganization 'my-org'");
            Assert.Equal("InvalidImsOrganizationId", Id(Assert.Single(invalid.Errors)));

            ScriptResult cleared = Run("Set-CommerceImsOrganization -Clear");
            Assert.Empty(cleared.Errors);
            Assert.Equal(string.Empty, shop.Value("services_connector/services_id/ims_organization_id"));
        }

        /// <summary>A second instance, "other", on a database of its own, configured for the emulator and holding the same key pair.</summary>
        private SampleShop ConnectOther()
        {
            SampleShop other = Shop("other", gateways: Gateways.Production);
            Assert.Empty(Emulator.Run("Connect-CommerceInstance ./other; $key | Set-CommerceApiKey", variables).Errors);
            return other;
        }

        [Fact]
        public void InstancesWrittenAtTheSameTimeCannotTakeTheSameDataSpace()
        {
            SampleShop other = ConnectOther();

            ScriptResult run = Run(
                @"Connect-CommerceInstance ./other -Role Production
                  $null = New-SaasProject -Name 'P'
                  $space = Get-SaasDataSpace -Name 'Testing 1'
                  Set-CommerceDataSpace $space.DataSpaceId -Instance (Get-CommerceInstance) -ThrottleLimit 2 -Confirm:$false -PassThru |
                      Where-Object Path -Like '*environment_id' | ForEach-Object Value
                  $space.DataSpaceId");

            // R6 holds across the two writers: one instance takes the data space, the other is refused and unchanged.
            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("DataSpaceInUse", Id(error));
            string id = (string)run.Output[1];
            Assert.Equal(id, run.Output[0]);
            string[] stored = { shop.Value("services_connector/services_id/environment_id"), other.Value("services_connector/services_id/environment_id") };
            Assert.Single(stored, v => v == id);
            Assert.Single(stored, v => v == string.Empty);
        }

        [Fact]
        public void WithAThrottleLimitEveryInstanceIsWrittenAndWhatIfWritesNone()
        {
            SampleShop other = ConnectOther();
            const string Both = "Connect-CommerceInstance ./other -Role Production\n";

            ScriptResult whatIf = Run(Both + "Set-CommerceGatewayEnvironment Sandbox -Instance (Get-CommerceInstance) -ThrottleLimit 2 -WhatIf");
            Assert.Empty(whatIf.Errors);
            Assert.Equal(string.Empty, shop.Value("magento_saas/environment"));
            Assert.Equal(string.Empty, other.Value("magento_saas/environment"));

            ScriptResult run = Run(Both + "Get-CommerceInstance | Set-CommerceGatewayEnvironment Sandbox -ThrottleLimit 4 -PassThru | ForEach-Object { $_.Instance.Name + '=' + $_.Value }");
            Assert.Empty(run.Errors);
            Assert.Equal(new[] { "other=sandbox", "shop=sandbox" }, run.Output.Select(o => o.ToString()).OrderBy(o => o, StringComparer.Ordinal));
            Assert.Equal(2, run.Warnings.Count(w => w.Message.Contains("has no Sandbox key pair", StringComparison.Ordinal)));
            Assert.Equal("sandbox", shop.Value("magento_saas/environment"));
            Assert.Equal("sandbox", other.Value("magento_saas/environment"));
        }

        [Fact]
        public void TheNextCommandLineReadsTheDataSpacesOfOtherInstancesAfresh()
        {
            ConnectOther();

            // A second session (as a second console) runs command lines one after another while this one changes the shop.
            ScriptResult run = Run(
                @"$null = New-SaasProject -Name 'P'
                  $session = [powershell]::Create([runspace]::DefaultRunspace.InitialSessionState)
                  function Invoke-CommandLine([string] $Line) {
                      $session.Commands.Clear()
                      $null = $session.AddScript($Line).Invoke()
                      $session.Streams.Error | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }
                      $session.Streams.Error.Clear()
                  }
                  Invoke-CommandLine ""Connect-CommerceInstance '$PWD/shop'; Connect-CommerceInstance '$PWD/other'""
                  Invoke-CommandLine ""Get-SaasDataSpace -Name 'Testing 2' | Set-CommerceDataSpace -Confirm:`$false""
                  'shop takes Testing 1 here'
                  Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:$false
                  Invoke-CommandLine ""Get-SaasDataSpace -Name 'Testing 1' | Set-CommerceDataSpace -Confirm:`$false""
                  $session.Dispose()");

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "shop takes Testing 1 here", "DataSpaceInUse" }, run.Output);
        }
    }
}
