namespace CommerceServices.Tests.Commands
{
    /// <summary>
    /// Export-CommerceServicesConfig and the Cloud project id of Set-CommerceDataSpace, on Cloud project folders whose
    /// settings MariaDB holds, keys stored with Set-CommerceApiKey from the gateway emulator's key files.
    /// </summary>
    public sealed class ExportCommerceServicesConfigTests : ShopTests
    {
        private const string ProductionPrivateKeyVariable = "CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_PRIVATE_KEY";
        private readonly Dictionary<string, object?> variables;
        private readonly string productionApiKey;
        private readonly string productionPem;

        public ExportCommerceServicesConfigTests(MariaDbFixture fixture)
            : base(fixture)
        {
            Shop("cloud", SampleInstance.CloudProject());
            PSObject production = Emulator.IssueKey("MAGE-CLOUD");
            productionApiKey = (string)production.Properties["ApiKey"].Value;
            productionPem = File.ReadAllText((string)production.Properties["PrivateKeyPath"].Value);
            variables = new() { ["production"] = production.BaseObject };
            ScriptResult setup = Run("$production | Set-CommerceApiKey; Set-CommerceImsOrganization -OrganizationId 'ABCDEF0123456789ABCDEF01@AdobeOrg'");
            Assert.Empty(setup.Errors);
        }

        private ScriptResult Run(string script, Func<string, System.Collections.ObjectModel.Collection<System.Management.Automation.Host.ChoiceDescription>, int>? answer = null) =>
            Emulator.Run("Connect-CommerceInstance ./cloud\n" + script, variables, answer: answer);

        [Fact]
        public void CloudVariablesComeAsObjectsWithTheirCommandsAndWithoutSecrets()
        {
            ScriptResult run = Run("$exported = Export-CommerceServicesConfig CloudVariables -CloudProjectId abcdef123456 -CloudEnvironment staging; $exported\n"
                + "$exported | ForEach-Object { '{0}|{1}|{2}' -f $_.ToString(), $_.IsSensitive, ($null -eq $_.Value) }; $exported[1].Command");

            Assert.Empty(run.Errors);
            Assert.All(run.Output.Take(5), o => Assert.Equal("CommerceServices.Cloud.CloudConfigVariable", o.GetType().FullName));
            string[] exported = run.Output.Skip(5).Take(5).Cast<string>().ToArray();
            Assert.Equal(
                new[]
                {
                    "env:" + ProductionApiKeyVariable() + " (sensitive)|True|True",
                    "env:" + ProductionPrivateKeyVariable + " (sensitive)|True|True",
                    "env:CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__IMS_ORGANIZATION_ID = ABCDEF0123456789ABCDEF01@AdobeOrg|False|False",
                    "env:CONFIG__DEFAULT__SERVICES_CONNECTOR__PRODUCTION_GATEWAY_URL = " + Emulator.ProductionUri + "|False|False",
                    "env:CONFIG__DEFAULT__SERVICES_CONNECTOR__SANDBOX_GATEWAY_URL = " + Emulator.SandboxUri + "|False|False",
                },
                exported);
            string command = (string)run.Output[10];
            Assert.StartsWith("magento-cloud variable:create --update --project abcdef123456 --environment staging --level environment --name env:" + ProductionPrivateKeyVariable + " --value \"${PRODUCTION_PRIVATE_KEY:?", command, StringComparison.Ordinal);
            Assert.EndsWith("--sensitive true --inheritable false --visible-build false --visible-runtime true", command, StringComparison.Ordinal);
            SecretScan.AssertNone(Secrets(), run.AllText() + string.Concat(run.Records.Select(r => PSSerializer.Serialize(r.Value, 4))), "export without secrets");
        }

        [Fact]
        public void SecretsNeedAConfirmationThatANonInteractiveSessionCannotGiveSoItSaysToAddForce()
        {
            ScriptResult refused = Run("Export-CommerceServicesConfig Dotenv -IncludeSecret");

            Assert.Empty(refused.Output);
            ErrorRecord error = Assert.Single(refused.Errors);
            Assert.Equal("SecretExportNotConfirmed", Id(error));
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Contains("Add -Force to confirm in the command.", error.Exception.Message, StringComparison.Ordinal);
            Assert.NotNull(error.Exception.InnerException);

            // Answered no: nothing; answered yes: the secrets, in plain text as Magento reads them.
            string? asked = null;
            ScriptResult declined = Run("Export-CommerceServicesConfig Dotenv -IncludeSecret", (message, choices) => { asked = message; return choices.ToList().FindIndex(c => c.Label.Replace("&", string.Empty, StringComparison.Ordinal) == "No"); });
            Assert.Empty(declined.Errors);
            Assert.Empty(declined.Output);
            Assert.StartsWith("Export the secrets (API keys, private keys) in plain text?", asked, StringComparison.Ordinal);
            ScriptResult confirmed = Run("Export-CommerceServicesConfig Dotenv -IncludeSecret", (message, choices) => choices.ToList().FindIndex(c => c.Label.Replace("&", string.Empty, StringComparison.Ordinal) == "Yes"));
            ScriptResult forced = Run("Export-CommerceServicesConfig Dotenv -IncludeSecret -Force -Verbose");
            Assert.Empty(forced.Errors);
            Assert.Equal(confirmed.Output, forced.Output);
            string dotenv = Assert.IsType<string>(Assert.Single(forced.Output));
            Assert.Contains(ProductionApiKeyVariable() + "='" + productionApiKey + "'\n", dotenv, StringComparison.Ordinal);
            Assert.Contains(ProductionPrivateKeyVariable + "='" + productionPem.Trim() + "'\n", dotenv, StringComparison.Ordinal);

            // The secrets are in the output asked for, on no other stream.
            string verbose = string.Join("\n", forced.Records.Where(r => r.Stream != PSStream.Output).Select(r => r.Value.ToString()));
            Assert.Contains("Exported 5 settings of ", verbose, StringComparison.Ordinal);
            SecretScan.AssertNone(Secrets(), verbose, "streams other than the output");
        }

        [Fact]
        public void AnInvalidInvocationStopsWithTheReason()
        {
            // Statement-terminating: the rest of the script runs, and nothing of the export comes out.
            ScriptResult yaml = Run("Export-CommerceServicesConfig MagentoEnvYaml; 'after'");
            ErrorRecord format = Assert.Single(yaml.Errors);
            Assert.Equal("MagentoEnvYamlHoldsNoConnectorSetting", Id(format));
            Assert.Equal(ErrorCategory.InvalidArgument, format.CategoryInfo.Category);
            Assert.StartsWith("ece-tools reads no Commerce Services Connector setting from .magento.env.yaml", format.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(new object[] { "after" }, yaml.Output);

            ScriptResult path = Run("Export-CommerceServicesConfig CloudVariables -Path 'services_connector/*', '.env'");
            ErrorRecord unknown = Assert.Single(path.Errors);
            Assert.Equal("ConfigPathUnknown", Id(unknown));
            Assert.Equal(".env", unknown.TargetObject);
            Assert.Empty(path.Output);
        }

        [Fact]
        public void AValueThisCryptKeyCannotOpenIsAnErrorOfItsSettingAndTheRestIsExported()
        {
            SampleShop other = Shop("other", SampleInstance.CloudProject());
            other.Set("services_connector/services_connector_integration/production_api_key", "0:3:" + Convert.ToBase64String(new byte[64]));
            other.Set("services_connector/services_id/project_id", "project-1");

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./other; Export-CommerceServicesConfig CloudVariables -Path '*production_api_key', '*project_id' | ForEach-Object Path", variables);

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("ConfigValueNotExportable", Id(error));
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Equal("services_connector/services_connector_integration/production_api_key", PSObject.AsPSObject(error.TargetObject).Properties["Path"].Value);
            Assert.Contains("is encrypted with a key that is not in the instance's crypt/key", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(new object[] { "services_connector/services_id/project_id" }, run.Output);
        }

        [Fact]
        public void EveryInstanceOfThePipelineIsExportedAndOneWithNothingSetIsAWarning()
        {
            Shop("bare", SampleInstance.CloudProject(), Gateways.None);

            ScriptResult run = Emulator.Run("Connect-CommerceInstance ./cloud, ./bare -PassThru | Export-CommerceServicesConfig Dotenv", variables);

            Assert.Empty(run.Errors);
            string dotenv = Assert.IsType<string>(Assert.Single(run.Output));
            Assert.StartsWith("# Commerce Services Connector settings of " + InstancePath("cloud") + "\n", dotenv, StringComparison.Ordinal);
            Assert.Contains("# " + ProductionPrivateKeyVariable + ": a secret, left out (add -IncludeSecret to export it)\n", dotenv, StringComparison.Ordinal);
            WarningRecord warning = Assert.Single(run.Warnings);
            Assert.Equal("No connector setting of " + InstancePath("bare") + " has a value to export (only the module defaults apply).", warning.Message);
        }

        [Fact]
        public void TheCloudProjectIdTheRegistryIsToldIsTheInstancesOwnNotThisShellsAndAnUnknownOneIsAWarning()
        {
            Assert.Empty(Run("$null = New-SaasProject -Name 'Storefront'").Errors);
            Emulator.ClearRequests();

            // An administrator's shell that names some Cloud project says nothing about the folder connected.
            ScriptResult run = ProcessEnvironment.With(
                new Dictionary<string, string?> { ["MAGENTO_CLOUD_PROJECT"] = "shellproject1" },
                () => Run("$space = Get-SaasDataSpace -Name 'Testing 1'; $space | Set-CommerceDataSpace -Confirm:$false; $space.DataSpaceId"));

            Assert.Empty(run.Errors);
            string id = (string)run.Output.Single();
            Assert.DoesNotContain(Emulator.Requests(), r => r.Contains("/cloudid/", StringComparison.Ordinal));
            WarningRecord warning = Assert.Single(run.Warnings);
            Assert.StartsWith(InstancePath("cloud") + " is an Adobe Commerce on Cloud project, but its project id is not known here, so the registry was not told that data space " + id + " belongs to it", warning.Message, StringComparison.Ordinal);
            Assert.Contains("-CloudProjectId", warning.Message, StringComparison.Ordinal);

            // In the Cloud application (MAGENTO_CLOUD_APP_DIR is the folder), the instance's own project id is told.
            Emulator.ClearRequests();
            run = ProcessEnvironment.With(
                new Dictionary<string, string?> { ["MAGENTO_CLOUD_APP_DIR"] = InstancePath("cloud"), ["MAGENTO_CLOUD_PROJECT"] = "cloudproject1" },
                () => Run("(Get-CommerceInstance).CloudProjectId; Get-SaasDataSpace -Name 'Testing 2' | Set-CommerceDataSpace -Confirm:$false -Force"));

            Assert.Empty(run.Errors);
            Assert.Empty(run.Warnings);
            Assert.Equal(new object[] { "cloudproject1" }, run.Output);
            Assert.Single(Emulator.Requests(), r => r.StartsWith("PUT", StringComparison.Ordinal) && r.Contains("/cloudid/cloudproject1 200", StringComparison.Ordinal));
        }

        private static string ProductionApiKeyVariable() => "CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_API_KEY";

        private List<(string Kind, string Text)> Secrets() => new()
        {
            ("API key", productionApiKey),
            ("private key", TestKeys.Body(productionPem).Substring(40, 24)),
            ("private key", TestKeys.Body(productionPem).Substring(400, 24)),
        };
    }
}
