using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Cloud;
using CommerceServices.Config;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Diagnostics;
using CommerceServices.Encryption;
using CommerceServices.Instances;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Cloud
{
    /// <summary>
    /// Test-CommerceConnection's Cloud checks on a sample Cloud project folder (the metapackage and ece-tools locked,
    /// .magento.app.yaml and .magento.env.yaml in the root), seen from the Cloud application itself (MAGENTO_CLOUD_APP_DIR
    /// naming the folder, MAGENTO_CLOUD_ENVIRONMENT, a MAGENTO_CLOUD_VARIABLES fixture, env: variables as environment
    /// variables) and from elsewhere.
    /// </summary>
    public sealed class CloudChecksTests : MagentoDatabaseTests
    {
        private const string ProductionApiKeyVariable = "CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_API_KEY";
        private const string ProductionPrivateKeyVariable = "CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_PRIVATE_KEY";
        private const string SandboxApiKeyVariable = "CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__SANDBOX_API_KEY";

        public CloudChecksTests(MariaDbFixture fixture)
            : base(fixture)
        {
        }

        /// <summary>A Cloud project connected to the Production data space, both key pairs in core_config_data (encrypted).</summary>
        private SampleInstance CloudProject(string? envPhpSystem)
        {
            SampleInstance sample = SampleInstance.CloudProject();
            sample.TablePrefix = Prefix;
            sample.EnvPhpSystem = envPhpSystem;
            sample.UseDatabase(Server, Database);
            var encryptor = new MagentoEncryptor(sample.CryptKey);
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProductionApiKey, encryptor.Encrypt(TestKeys.ApiKey));
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProductionPrivateKey, encryptor.Encrypt(TestKeys.Pkcs8Pem(TestKeys.Main)));
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.SandboxApiKey, encryptor.Encrypt("sandboxkeyinthedatabase01"));
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.SandboxPrivateKey, encryptor.Encrypt(TestKeys.Pkcs8Pem(TestKeys.Other)));
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProjectId, "project-1");
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProjectName, "Shop");
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.DataSpaceId, "4f1c2b7e-9a41-4c1e-b0d5-3e8a1f2c4d90");
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.DataSpaceName, "Production");
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.DataSpaceType, "Production");
            return sample;
        }

        /// <summary>The Cloud application's environment: its folder, project and branch, MAGENTO_CLOUD_VARIABLES as base64 JSON, and env: variables.</summary>
        private static Hashtable CloudHost(string root, string branch, string variablesJson, params (string Name, string Value)[] envVariables)
        {
            var environment = new Hashtable
            {
                ["MAGENTO_CLOUD_APP_DIR"] = root,
                ["MAGENTO_CLOUD_PROJECT"] = "abcdef123456",
                ["MAGENTO_CLOUD_ENVIRONMENT"] = branch,
                ["MAGENTO_CLOUD_VARIABLES"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(variablesJson)),
            };
            foreach (var (name, value) in envVariables)
            {
                environment[name] = value;
            }

            return environment;
        }

        private static async Task<CommerceConnectionReport> TestAsync(string root, Hashtable environment, InstanceRole role = InstanceRole.Production)
        {
            CommerceInstance instance = CommerceInstanceReader.Open(root, ConfigStore.Database, role, environment);
            var options = new ConnectionTestOptions { Offline = true, Environment = environment };
            return (await ConnectionTester.TestAsync(new[] { instance }, options, null, CancellationToken.None)).Single();
        }

        private static ConnectionCheck Check(CommerceConnectionReport report, string name) => report.Checks.Single(c => c.Name == name);

        [Fact]
        public async Task OnAStagingEnvironmentEachCloudMistakeIsNamedWithItsRemedy()
        {
            string root = CloudProject("'services_connector' => ['services_id' => ['project_id' => 'project-1']]").WriteTo(Path.Combine(Folder.Path, "staging"));
            string pem = TestKeys.Pkcs8Pem(TestKeys.Main);
            Hashtable environment = CloudHost(
                root,
                "staging",
                "{\"CRYPT_KEY\": \"not a connector setting\", \"CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID\": \"x\", \"SCD_THREADS\": \"4\", \"env:CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_NAME\": \"y\"}",
                (ProductionApiKeyVariable, TestKeys.ApiKey),
                (ProductionPrivateKeyVariable, pem),
                (SandboxApiKeyVariable, "sandboxkeyinavariable0001"));

            CommerceConnectionReport report = await TestAsync(root, environment);

            Assert.Equal(CloudEnvironmentType.Staging, report.Instance.CloudEnvironmentType);
            Assert.Equal(CloudChecks.Names, report.Checks.Select(c => c.Name).Where(n => n.StartsWith("Cloud", StringComparison.Ordinal)));
            Assert.All(CloudChecks.Names, name => Assert.Equal(CheckArea.Connection, Check(report, name).Area));

            ConnectionCheck envPhp = Check(report, "CloudEnvPhpValues");
            Assert.Equal(CheckStatus.Warning, envPhp.Status);
            Assert.Contains("services_connector/services_id/project_id as env:CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_ID.", envPhp.Message, StringComparison.Ordinal);
            Assert.Contains("ece-tools manages app/etc/env.php", envPhp.Message, StringComparison.Ordinal);
            Assert.Contains("Export-CommerceServicesConfig -Format CloudVariables", envPhp.Remedy, StringComparison.Ordinal);

            ConnectionCheck sources = Check(report, "CloudKeyPairSources");
            Assert.Equal(CheckStatus.Warning, sources.Status);
            Assert.Contains("the Production key pair (" + ProductionApiKeyVariable + ", " + ProductionPrivateKeyVariable + "; the same value in the database)", sources.Message, StringComparison.Ordinal);
            Assert.Contains("the Sandbox API key (" + SandboxApiKeyVariable + "; a different value in the database)", sources.Message, StringComparison.Ordinal);
            Assert.Contains("The variables win", sources.Message, StringComparison.Ordinal);

            ConnectionCheck prefix = Check(report, "CloudVariablePrefix");
            Assert.Equal(CheckStatus.Warning, prefix.Status);
            Assert.Contains("created without the env: prefix: CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID.", prefix.Message, StringComparison.Ordinal);
            Assert.Contains("--name env:CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID", prefix.Remedy, StringComparison.Ordinal);

            // R7 by the environment's own type: declared Production, but the branch is staging.
            ConnectionCheck type = Check(report, "CloudEnvironmentType");
            Assert.Equal(CheckStatus.Fail, type.Status);
            Assert.StartsWith("Cloud environment 'staging' (Staging) is not the production environment", type.Message, StringComparison.Ordinal);
            Assert.Contains("(R7)", type.Message, StringComparison.Ordinal);
            Assert.Equal(CheckStatus.Pass, Check(report, "ProductionDataSpaceRole").Status);
            Assert.False(report.IsConnected);
            Assert.Contains("CloudEnvironmentType", report.Failed);

            // No check says a secret.
            string said = string.Join("\n", report.Checks.Select(c => c.Message + c.Remedy));
            Assert.DoesNotContain(TestKeys.ApiKey, said, StringComparison.Ordinal);
            Assert.DoesNotContain("sandboxkeyinavariable0001", said, StringComparison.Ordinal);
            Assert.DoesNotContain(TestKeys.Body(pem).Substring(40, 24), said, StringComparison.Ordinal);
        }

        [Fact]
        public async Task OnTheProductionEnvironmentSetUpAsAdviseEveryCloudCheckPasses()
        {
            string root = CloudProject(null).WriteTo(Path.Combine(Folder.Path, "production"));

            CommerceConnectionReport report = await TestAsync(root, CloudHost(root, "production", "{\"CRYPT_KEY\": \"x\"}"));

            Assert.All(CloudChecks.Names, name => Assert.Equal((name, CheckStatus.Pass), (name, Check(report, name).Status)));
            Assert.Equal("Cloud environment 'production' (Production) uses a Production data space.", Check(report, "CloudEnvironmentType").Message);
        }

        [Fact]
        public async Task AwayFromTheCloudApplicationWhatOnlyItSeesIsSkippedWithWhereToRunIt()
        {
            string root = CloudProject(null).WriteTo(Path.Combine(Folder.Path, "checkout"));

            CommerceConnectionReport report = await TestAsync(root, new Hashtable());

            Assert.Null(report.Instance.CloudEnvironmentType);
            Assert.Equal(CheckStatus.Pass, Check(report, "CloudEnvPhpValues").Status);
            foreach (string name in new[] { "CloudKeyPairSources", "CloudVariablePrefix", "CloudEnvironmentType" })
            {
                ConnectionCheck check = Check(report, name);
                Assert.Equal((name, CheckStatus.Skipped), (name, check.Status));
                Assert.Contains("visible only where it runs: run the test there (magento-cloud ssh", check.Message, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task OnPremisesThereAreNoCloudChecks()
        {
            SampleInstance sample = new SampleInstance { TablePrefix = Prefix }.UseDatabase(Server, Database);
            string root = sample.WriteTo(Path.Combine(Folder.Path, "shop"));

            CommerceConnectionReport report = await TestAsync(root, new Hashtable { [ProductionApiKeyVariable] = TestKeys.ApiKey });

            Assert.DoesNotContain(report.Checks, c => CloudChecks.Names.Contains(c.Name));
            Assert.Contains(report.Checks, c => c.Name == "ProductionKeyPair");
        }
    }
}
