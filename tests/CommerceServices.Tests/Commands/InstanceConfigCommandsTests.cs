namespace CommerceServices.Tests.Commands
{
    /// <summary>Get-CommerceServicesConfig and Get-CommerceApiKey against a real MariaDB.</summary>
    [Collection(MariaDbCollection.Name)]
    public sealed class InstanceConfigCommandsTests : IDisposable
    {
        private readonly MariaDbServer server;
        private readonly TempFolder folder = new TempFolder();

        public InstanceConfigCommandsTests(MariaDbFixture fixture) => server = fixture.Server;

        public void Dispose() => folder.Dispose();

        /// <summary>Writes <paramref name="sample"/> (a default one unless given) as ./shop with a database of its own.</summary>
        private SampleShop Shop(SampleInstance? sample = null) => SampleShop.Write(server, Path.Combine(folder.Path, "shop"), sample);

        private ScriptResult Run(string script, bool formatOutput = false) => PowerShellRunner.Run(script, location: folder.Path, formatOutput: formatOutput);

        [Fact]
        public void ShowsEveryPathWithItsLayerAndWhatItShadows()
        {
            SampleShop shop = Shop(new SampleInstance
            {
                EnvPhpSystem = "'services_connector' => ['services_id' => ['project_name' => 'Locked name']]",
            });
            shop.Set("services_connector/services_id/project_name", "Database name");
            shop.Set("services_connector/services_id/project_id", "p-123");

            ScriptResult run = Run(
                @"Connect-CommerceInstance ./shop
                  Get-CommerceServicesConfig | ForEach-Object { '{0}|{1}|{2}|{3}|{4}' -f $_.Path, $_.Value, $_.Layer, $_.IsLocked, ($_.ShadowedValues -join ',') }");

            Assert.Empty(run.Errors);
            var lines = run.Output.Cast<string>().ToArray();
            Assert.Equal(29, lines.Length);
            Assert.Contains("services_connector/services_id/project_name|Locked name|EnvPhp|True|Database: Database name", lines);
            Assert.Contains("services_connector/services_id/project_id|p-123|Database|False|", lines);
            Assert.Contains("magento_saas/environment|production|Default|False|", lines);
            Assert.Contains("services_connector/services_id/environment_id|||False|", lines);
        }

        [Fact]
        public void ShowsTheVariableAsSpelledAndTheWebsiteAndStoreValuesWithin79Columns()
        {
            SampleShop shop = Shop(new SampleInstance
            {
                EnvPhpScopedSystem = "'stores' => ['default' => ['services_connector' => ['services_connector_integration' => ['sandbox_api_key' => '" + TestKeys.ApiKey + "']]]]",
            });
            shop.Set("services_connector/api_portal_url", "https://portal.from-the-database.example/");

            // Environment variables are process-wide: names no other test reads, removed at the end.
            const string LowerCase = "CONFIG__default__services_connector__api_portal_url";
            const string Website = "CONFIG__WEBSITES__BASE__SERVICES_CONNECTOR__API_PORTAL_URL";
            ScriptResult run;
            ScriptResult view;
            try
            {
                Environment.SetEnvironmentVariable(LowerCase, "https://portal.from-a-variable.example/");
                Environment.SetEnvironmentVariable(Website, "https://base.example/");
                run = Run(
                    @"Connect-CommerceInstance ./shop
                      $settings = Get-CommerceServicesConfig -Path '*api_portal_url', '*sandbox_api_key'
                      $portal = $settings | Where-Object Path -eq 'services_connector/api_portal_url'
                      '{0}|{1}|{2}|{3}' -f $portal.Value, $portal.Layer, $portal.EnvironmentVariable, ($portal.ShadowedValues -join ',')
                      $portal.ScopeOverrides | ForEach-Object { '{0}|{1}|{2}|{3}|{4}' -f $_.Scope, $_.ScopeCode, $_.Layer, $_.Source, $_.Value }
                      ($settings | Where-Object Path -like '*sandbox_api_key').ScopeOverrides | ForEach-Object { ""$_"" }");

                // The table view on an 80-column console.
                view = PowerShellRunner.Run("Connect-CommerceInstance ./shop; Get-CommerceServicesConfig -Path '*api_portal_url', '*sandbox_api_key'", location: folder.Path, formatOutput: true, width: 80);
            }
            finally
            {
                Environment.SetEnvironmentVariable(LowerCase, null);
                Environment.SetEnvironmentVariable(Website, null);
            }

            Assert.Empty(run.Errors);
            Assert.Empty(view.Errors);
            Assert.Equal("https://portal.from-a-variable.example/|EnvironmentVariable|" + LowerCase + "|Database: https://portal.from-the-database.example/", run.Output[0]);
            Assert.Equal("websites|base|EnvironmentVariable|" + Website + "|https://base.example/", run.Output[1]);
            Assert.Equal("stores/default: a1b2...8f90 [app/etc/env.php]", run.Output[2]);
            string[] table = view.HostText.Split('\n').Select(l => l.TrimEnd()).ToArray();
            Assert.All(table, line => Assert.True(line.Length <= 79, "wider than 79 columns: " + line));
            string[] pathColumn = table.Select(l => l.Length > 48 ? l.Substring(0, 48).TrimEnd() : l).ToArray();
            Assert.Equal(
                new[]
                {
                    "services_connector/",
                    "services_connector_integration/sandbox_api_key",
                    "  replaced for:",
                    "    stores/default: a1b2...8f90",
                    "      in app/etc/env.php",
                    "services_connector/api_portal_url",
                    "  from CONFIG__default__services_connector__",
                    "  api_portal_url",
                    "  replaced for:",
                    "    websites/base: https://base.example/",
                    "      by CONFIG__WEBSITES__BASE__",
                    "      SERVICES_CONNECTOR__API_PORTAL_URL",
                },
                pathColumn.SkipWhile(l => !l.StartsWith("----", StringComparison.Ordinal)).Skip(1).Where(l => l.Length > 0));
            Assert.DoesNotContain(TestKeys.ApiKey, run.AllText() + view.AllText(), StringComparison.Ordinal);
        }

        [Fact]
        public void FiltersByPathAndRendersAsATableGroupedByInstance()
        {
            Shop();

            ScriptResult run = Run("Connect-CommerceInstance ./shop; Get-CommerceServicesConfig -Path '*gateway_url'", formatOutput: true);

            Assert.Empty(run.Errors);
            Assert.Contains("Instance: " + Path.Combine(folder.Path, "shop"), run.HostText, StringComparison.Ordinal);
            Assert.Contains("services_connector/production_gateway_url", run.HostText, StringComparison.Ordinal);
            Assert.DoesNotContain("project_id", run.HostText, StringComparison.Ordinal);
        }

        [Fact]
        public void ApiKeysAreDescribedWithoutSecrets()
        {
            string pem = TestKeys.Pkcs8Pem(TestKeys.Main);
            SampleShop shop = Shop();
            shop.Set("services_connector/services_connector_integration/production_api_key", TestKeys.ApiKey);
            shop.Set("services_connector/services_connector_integration/production_private_key", pem);

            const string Script = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; Connect-CommerceInstance ./shop; Get-CommerceApiKey; Get-CommerceServicesConfig -Path '*private_key'";
            ScriptResult objects = Run(Script);
            ScriptResult run = Run(Script, formatOutput: true);

            Assert.Empty(objects.Errors);
            Assert.Empty(run.Errors);
            PSObject production = objects.Output.Select(PSObject.AsPSObject).First(o => o.BaseObject.GetType().Name == "StoredApiKey" && o.Properties["Environment"].Value.ToString() == "Production");
            Assert.Equal(true, production.Properties["IsSet"].Value);
            Assert.Equal("a1b2...8f90", production.Properties["ApiKey"].Value);
            Assert.Equal(TestKeys.Fingerprint(TestKeys.Main), production.Properties["Fingerprint"].Value);
            Assert.Equal("Database", production.Properties["PrivateKeyLayer"].Value.ToString());
            Assert.Equal(false, production.Properties["IsEncrypted"].Value);
            string everything = run.AllText() + objects.AllText();
            string body = TestKeys.Body(pem);
            for (int i = 32; i + 12 <= body.Length; i += 3)
            {
                Assert.DoesNotContain(body.Substring(i, 12), everything, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(MariaDbServer.Password, everything, StringComparison.Ordinal);
            Assert.Contains("Sandbox     False", run.HostText, StringComparison.Ordinal);
        }

        [Fact]
        public void AnUnreachableDatabaseIsAnErrorThatOffersSkipDatabase()
        {
            new SampleInstance { DatabaseHost = "127.0.0.1:9", EnvPhpSystem = "'magento_saas' => ['environment' => 'sandbox']" }.WriteTo(Path.Combine(folder.Path, "shop"));

            ScriptResult run = Run("Connect-CommerceInstance ./shop; Get-CommerceServicesConfig; (Get-CommerceServicesConfig -SkipDatabase -Path 'magento_saas/*').Value");

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("DatabaseUnavailable", Id(error));
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("-SkipDatabase", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(new object[] { "sandbox" }, run.Output);
        }

        [Fact]
        public void WithoutAConnectionTheInvocationIsRefused()
        {
            ScriptResult run = Run("Get-CommerceServicesConfig; 'next statement'");

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("NoCommerceInstance", Id(error));
            Assert.Contains("Connect-CommerceInstance", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(new object[] { "next statement" }, run.Output);
        }

        [Fact]
        public void ExplicitInstancesWinOverTheDefaultAndClosedOnesAreRefused()
        {
            SampleShop.Write(server, Path.Combine(folder.Path, "one"), overSocket: false);
            new SampleInstance().WriteTo(Path.Combine(folder.Path, "two"));

            ScriptResult run = Run(
                @"$one = Connect-CommerceInstance ./one -PassThru
                  Connect-CommerceInstance ./two
                  Get-CommerceApiKey -Instance $one | ForEach-Object { $_.Instance.Name }
                  Disconnect-CommerceInstance -Instance $one
                  $one | Get-CommerceApiKey");

            Assert.Equal(new object[] { "one", "one" }, run.Output);
            Assert.Equal("InstanceDisconnected", Id(Assert.Single(run.Errors)));
        }
    }
}
