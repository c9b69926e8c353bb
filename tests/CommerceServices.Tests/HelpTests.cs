using System.Threading;

namespace CommerceServices.Tests
{
    /// <summary>Get-Help shows full help for every cmdlet, and every example in it really runs.</summary>
    [Collection(MariaDbCollection.Name)]
    public class HelpTests
    {
        private readonly MariaDbServer database;

        public HelpTests(MariaDbFixture fixture) => database = fixture.Server;

        public static TheoryData<string> ExportedCmdlets()
        {
            ScriptResult result = PowerShellRunner.Run("Get-Command -Module CommerceServices, CommerceServices.Emulator | ForEach-Object Name");
            return new TheoryData<string>(result.Output.Cast<string>());
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void FullHelpHasSynopsisDescriptionEveryParameterAndExamples(string cmdlet)
        {
            ScriptResult result = PowerShellRunner.Run(
                @"$help = Get-Help $cmdlet -Full
                  $help.Synopsis
                  ($help.description | ForEach-Object { $_.Text }) -join ' '
                  (Get-Command $cmdlet).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters } | ForEach-Object {
                      $name = $_
                      $doc = $help.parameters.parameter | Where-Object { $_.name -eq $name }
                      '{0}={1}' -f $name, (($doc.description | ForEach-Object { $_.Text }) -join ' ')
                  }
                  @($help.examples.example).Count",
                new() { ["cmdlet"] = cmdlet });

            Assert.Empty(result.Errors);
            var lines = result.Output.Select(o => o.ToString()!).ToList();
            string synopsis = lines[0];
            Assert.False(string.IsNullOrWhiteSpace(synopsis));
            Assert.NotEqual(cmdlet, synopsis.Trim());
            Assert.True(lines[1].Length > 100, "description: " + lines[1]);
            foreach (string parameter in lines.Skip(2).Take(lines.Count - 3))
            {
                string[] parts = parameter.Split('=', 2);
                Assert.True(parts[1].Length > 20, "parameter " + parts[0] + " of " + cmdlet + " has no description");
            }

            Assert.True(int.Parse(lines[^1]) >= 2, cmdlet + " needs at least two examples");
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void EveryHelpExampleRunsWithoutErrors(string cmdlet)
        {
            ScriptResult help = PowerShellRunner.Run("(Get-Help $cmdlet -Full).examples.example | ForEach-Object { $_.code }", new() { ["cmdlet"] = cmdlet });
            var examples = help.Output.Cast<string>().ToList();
            Assert.NotEmpty(examples);

            using var setting = new ExampleSetting(database, emulatorDefaults: !cmdlet.Contains("Emulator", StringComparison.Ordinal));
            foreach (string code in examples)
            {
                ScriptResult run = setting.Run(code);
                Assert.True(run.Errors.Count == 0, "example failed:\n" + code + "\n" + string.Join("\n", run.Errors.Select(e => e.ToString())));
            }
        }

        [Fact]
        public void ExampleOutputsAreWhatTheirRemarksSay()
        {
            using var setting = new ExampleSetting(database, emulatorDefaults: true);

            ScriptResult run = setting.Run("(Get-Help Test-CommerceApiKey -Full).examples.example | ForEach-Object { ,@(& ([scriptblock]::Create($_.code))) }");

            Assert.Empty(run.Errors);
            var outputs = run.Output.Select(o => ((object[])o).Select(PSObject.AsPSObject).ToArray()).ToList();
            Assert.Equal(true, outputs[0].Single().Properties["IsValid"].Value);
            Assert.Empty(outputs[1]);
            Assert.Equal(new object[] { true, true, false }, outputs[2].Select(r => r.Properties["IsValid"].Value));
            Assert.Equal("KeyTooShort", outputs[3].Single().Properties["Id"].Value.ToString());
            Assert.Equal(true, outputs[4].Single().Properties["Online"].Value);
        }

        [Fact]
        public void AboutTopicExplainsTheModel()
        {
            ScriptResult result = PowerShellRunner.Run("Get-Help about_CommerceServices");

            Assert.Empty(result.Errors);
            string text = string.Concat(result.Output.Select(o => o.ToString()));
            foreach (string concept in new[] { "about_CommerceServices", "GATEWAY ENVIRONMENTS", "API KEY PAIRS", "SAAS PROJECTS AND DATA SPACES", "Fingerprint", "Test-CommerceApiKey", "Get-SaasProject", "Start-CommerceServicesEmulator" })
            {
                Assert.Contains(concept, text, StringComparison.Ordinal);
            }
        }

        /// <summary>
        /// What the help examples assume (see the comment at the top of the MAML files): key files
        /// issued by a running emulator, their API keys in environment variables, an existing
        /// project 'Storefront', and -GatewayUri pointing at the emulator.
        /// </summary>
        private sealed class ExampleSetting : IDisposable
        {
            private static readonly object EnvironmentLock = new object();
            private readonly EmulatorFixture emulator = new EmulatorFixture();
            private readonly bool emulatorDefaults;

            public ExampleSetting(MariaDbServer server, bool emulatorDefaults)
            {
                this.emulatorDefaults = emulatorDefaults;
                PSObject production = emulator.IssueKey("MAGE-EXAMPLE", "AdobeCommerce", "Production");
                PSObject sandbox = emulator.IssueKey("MAGE-EXAMPLE", "AdobeCommerce", "Sandbox");
                File.Copy((string)production.Properties["PrivateKeyPath"].Value, Path.Combine(emulator.Folder.Path, "production.pem"));
                File.Copy((string)sandbox.Properties["PrivateKeyPath"].Value, Path.Combine(emulator.Folder.Path, "sandbox.pem"));
                emulator.Folder.Write("old-key.pem", TestKeys.Pkcs8Pem(TestKeys.Short));
                string shopPath = Path.Combine(emulator.Folder.Path, "shop");
                SampleShop shop = SampleShop.Write(server, shopPath, new SampleInstance { EnabledModules = ExportModules });
                ExportsCatalog(shop);
                FakeBinMagento.WriteTo(shopPath);
                shop.Set("services_connector/services_connector_integration/production_api_key", (string)production.Properties["ApiKey"].Value)
                    .Set("services_connector/services_connector_integration/production_private_key", File.ReadAllText((string)production.Properties["PrivateKeyPath"].Value))
                    .UseGateways(emulator.ProductionUri, emulator.SandboxUri);

                // Environment variables are process-wide: one example setting at a time.
                Monitor.Enter(EnvironmentLock);
                System.Environment.SetEnvironmentVariable("COMMERCE_API_KEY", (string)production.Properties["ApiKey"].Value);
                System.Environment.SetEnvironmentVariable("COMMERCE_SANDBOX_API_KEY", (string)sandbox.Properties["ApiKey"].Value);
                ScriptResult project = Run("$null = New-SaasProject -ApiKey $env:COMMERCE_API_KEY -PrivateKeyPath ./production.pem -Name 'Storefront' -GatewayUri $emulator.ProductionUri");
                Assert.Empty(project.Errors);
            }

            /// <summary>The shop exports its catalog (Get-CommerceDataExportStatus, Start-CommerceDataExportResync): products with two rejected items, the other feeds synced.</summary>
            private static readonly string[] ExportModules = { "Magento_DataExporter", "Magento_SaaSCommon", "Magento_CatalogDataExporter", "Magento_ProductPriceDataExporter" };

            private static void ExportsCatalog(SampleShop shop)
            {
                shop.Sql(ExportTables.StateTablesSql(shop.TablePrefix) + ExportTables.CronRunSql(shop.TablePrefix, "indexer_update_all_views", 1));
                foreach (var (table, indexer) in new[] { ("cde_products_feed", "catalog_data_exporter_products"), ("cde_product_attributes_feed", "catalog_data_exporter_product_attributes"), ("cde_categories_feed", "catalog_data_exporter_categories"), ("cde_product_prices_feed", "catalog_data_exporter_product_prices") })
                {
                    shop.Sql(ExportTables.FeedTableSql(shop.TablePrefix, table, FeedTableShape.Feed) + ExportTables.ChangelogSql(shop.TablePrefix, table)
                        + ExportTables.IndexerStateSql(shop.TablePrefix, indexer, table) + ExportTables.FeedRowsSql(shop.TablePrefix, table, 1, 20, 200));
                }

                shop.Sql(ExportTables.FeedRowsSql(shop.TablePrefix, "cde_products_feed", 101, 2, 400, errors: "Invalid value of \"price\"", metadata: "[\"0b7e5a1c-6a52-4a5e-9c1e-3f1f4c0c2f10\"]"));
            }

            public ScriptResult Run(string code)
            {
                string prelude = "$ErrorActionPreference = 'Stop'\n"
                    + (emulatorDefaults ? "$PSDefaultParameterValues = @{ '*-Saas*:GatewayUri' = $emulator.ProductionUri; 'Test-CommerceApiKey:GatewayUri' = $emulator.ProductionUri; 'Set-CommerceApiKey:GatewayUri' = $emulator.ProductionUri; 'Set-CommerceDataSpace:GatewayUri' = $emulator.ProductionUri; 'Set-CommerceProject:GatewayUri' = $emulator.ProductionUri }\n" : string.Empty);
                return emulator.Run(prelude + code);
            }

            public void Dispose()
            {
                System.Environment.SetEnvironmentVariable("COMMERCE_API_KEY", null);
                System.Environment.SetEnvironmentVariable("COMMERCE_SANDBOX_API_KEY", null);
                Monitor.Exit(EnvironmentLock);
                emulator.Dispose();
            }
        }
    }
}
