using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Encryption;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Config
{
    public sealed class ConnectorConfigReaderTests : MagentoDatabaseTests
    {
        public ConnectorConfigReaderTests(MariaDbFixture fixture)
            : base(fixture)
        {
        }

        private CommerceInstance Instance(SampleInstance sample) =>
            CommerceInstanceReader.Open(sample.WriteTo(Path.Combine(Folder.Path, "shop-" + Guid.NewGuid().ToString("n").Substring(0, 6))));

        private static ConnectorSetting Setting(System.Collections.Generic.IReadOnlyList<ConnectorSetting> settings, string path) => settings.Single(s => s.Path == path);

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task EveryLayerInMagentosOrder(bool overSocket)
        {
            var sample = new SampleInstance
            {
                TablePrefix = Prefix,
                ConfigPhpSystem = "'services_connector' => ['services_id' => ['project_name' => 'From config.php', 'environment_name' => 'From config.php']]",
                EnvPhpSystem = "'services_connector' => ['services_id' => ['environment_name' => 'From env.php', 'ims_organization_id' => null]]",
            }.UseDatabase(Server, Database, overSocket);
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProjectId, "project-from-db");
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProjectName, "From the database");
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.GatewayEnvironment, "sandbox");
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ImsOrganizationId, "ORG@AdobeOrg");
            var environment = new Hashtable { [ConnectorPaths.EnvironmentVariableFor(ConnectorPaths.DataSpaceType)] = "Testing" };

            var settings = await ConnectorConfigReader.ReadAsync(Instance(sample), environment, includeDatabase: true, CancellationToken.None);

            Assert.Equal(("project-from-db", ConfigLayer.Database, false), Describe(Setting(settings, ConnectorPaths.ProjectId)));
            Assert.Equal(("From config.php", ConfigLayer.ConfigPhp, true), Describe(Setting(settings, ConnectorPaths.ProjectName)));
            Assert.Equal(new[] { ConfigLayer.Database }, Setting(settings, ConnectorPaths.ProjectName).ShadowedLayers);
            Assert.Equal(new[] { "Database: From the database" }, Setting(settings, ConnectorPaths.ProjectName).ShadowedValues);
            Assert.Equal(("From env.php", ConfigLayer.EnvPhp, true), Describe(Setting(settings, ConnectorPaths.DataSpaceName)));
            Assert.Equal(new[] { ConfigLayer.ConfigPhp }, Setting(settings, ConnectorPaths.DataSpaceName).ShadowedLayers);
            Assert.Equal(("Testing", ConfigLayer.EnvironmentVariable, true), Describe(Setting(settings, ConnectorPaths.DataSpaceType)));
            Assert.Equal(("sandbox", ConfigLayer.Database, false), Describe(Setting(settings, ConnectorPaths.GatewayEnvironment)));
            Assert.Equal(((string?)null, ConfigLayer.EnvPhp, true), Describe(Setting(settings, ConnectorPaths.ImsOrganizationId)));
            Assert.Equal(("https://commerce.adobe.io/", ConfigLayer.Default, false), Describe(Setting(settings, ConnectorPaths.ProductionGatewayUrl)));
            Assert.Null(Setting(settings, ConnectorPaths.DataSpaceId).Layer);
        }

        [Fact]
        public async Task EncryptedKeysAreShownMaskedAndPlaintextKeysAreRecognised()
        {
            var sample = new SampleInstance { TablePrefix = Prefix }.UseDatabase(Server, Database);
            var encryptor = new MagentoEncryptor(sample.CryptKey);
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProductionApiKey, encryptor.Encrypt(TestKeys.ApiKey));
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProductionPrivateKey, encryptor.Encrypt(TestKeys.Pkcs8Pem(TestKeys.Main)));
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.SandboxApiKey, "plainsandboxkey0123456789");

            var settings = await ConnectorConfigReader.ReadAsync(Instance(sample), new Hashtable(), includeDatabase: true, CancellationToken.None);

            ConnectorSetting apiKey = Setting(settings, ConnectorPaths.ProductionApiKey);
            Assert.Equal("a1b2...8f90", apiKey.Value);
            Assert.True(apiKey.IsStoredEncrypted);
            ConnectorSetting privateKey = Setting(settings, ConnectorPaths.ProductionPrivateKey);
            Assert.Equal("(private key: RSA 2048, SHA256:" + TestKeys.Fingerprint(TestKeys.Main).Substring(0, 16) + "...)", privateKey.Value);
            ConnectorSetting sandbox = Setting(settings, ConnectorPaths.SandboxApiKey);
            Assert.Equal("plai...6789", sandbox.Value);
            Assert.Empty(sandbox.ShadowedValues);
            Assert.False(sandbox.IsStoredEncrypted);
            Assert.All(settings, s => Assert.DoesNotContain(TestKeys.Body(TestKeys.Pkcs8Pem(TestKeys.Main)).Substring(50, 20), s.ToString(), StringComparison.Ordinal));
        }

        [Fact]
        public async Task CiphertextOfAnotherCryptKeyIsReportedAsSuch()
        {
            var sample = new SampleInstance { TablePrefix = Prefix }.UseDatabase(Server, Database);
            var otherInstance = new MagentoEncryptor("6wRADHwwCBGgdxbcHhovGB0upmg0mbsN");
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProductionApiKey, otherInstance.Encrypt(TestKeys.ApiKey));
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProductionPrivateKey, otherInstance.Encrypt(TestKeys.Pkcs8Pem(TestKeys.Main)));
            CommerceInstance instance = Instance(sample);

            var settings = await ConnectorConfigReader.ReadAsync(instance, new Hashtable(), true, CancellationToken.None);

            ConnectorSetting apiKey = Setting(settings, ConnectorPaths.ProductionApiKey);
            Assert.True(apiKey.IsUndecryptable);
            Assert.True(apiKey.IsStoredEncrypted);
            Assert.Equal("(encrypted; cannot be decrypted with this instance's crypt/key)", apiKey.Value);
            StoredApiKey stored = StoredApiKey.From(instance, settings).Single(k => k.Environment == CommerceServices.GatewayEnvironment.Production);
            Assert.Equal(new[] { "CannotDecrypt" }, stored.Problems);
            Assert.Null(stored.ApiKey);
            await Assert.ThrowsAsync<StoredKeyPairMissingException>(() => StoredKeyPairs.ReadAsync(instance, null, CancellationToken.None));
        }

        [Theory]
        [InlineData("indented", true)]
        [InlineData("crlf", false)]
        public async Task AStoredKeyTheConnectorCannotReadAsStoredIsNotUsable(string stored, bool refused)
        {
            // The connector hands the stored text to OpenSSL as it is: indentation it refuses, CRLF it reads (OpenSslPemTests).
            var sample = new SampleInstance { TablePrefix = Prefix }.UseDatabase(Server, Database);
            CommerceInstance instance = Instance(sample);
            var encryptor = new MagentoEncryptor(sample.CryptKey);
            string pem = TestKeys.Pkcs8Pem(TestKeys.Main);
            string text = stored == "indented" ? string.Concat(pem.TrimEnd('\n').Split('\n').Select(l => "    " + l + "\n")) : pem.Replace("\n", "\r\n");
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProductionApiKey, encryptor.Encrypt(TestKeys.ApiKey));
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProductionPrivateKey, encryptor.Encrypt(text));

            var settings = await ConnectorConfigReader.ReadAsync(instance, new Hashtable(), true, CancellationToken.None);

            StoredApiKey key = StoredApiKey.From(instance, settings).Single(k => k.Environment == CommerceServices.GatewayEnvironment.Production);
            Assert.True(key.IsSet);
            Assert.Equal(refused ? new[] { StoredApiKey.NotReadableByConnector } : Array.Empty<string>(), key.Problems);
        }

        [Fact]
        public async Task AWrongPasswordIsDatabaseUnavailableWithoutThePassword()
        {
            var sample = new SampleInstance { TablePrefix = Prefix }.UseDatabase(Server, Database);
            sample.DatabasePassword = "wrong-password-123";

            DatabaseUnavailableException error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => ConnectorConfigReader.ReadAsync(Instance(sample), new Hashtable(), true, CancellationToken.None));

            Assert.Contains("Access denied", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-password-123", error.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task AWrongTablePrefixIsNamed()
        {
            var sample = new SampleInstance { TablePrefix = "other_" }.UseDatabase(Server, Database);

            DatabaseUnavailableException error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => ConnectorConfigReader.ReadAsync(Instance(sample), new Hashtable(), true, CancellationToken.None));

            Assert.Contains("`other_core_config_data`", error.Message, StringComparison.Ordinal);
            Assert.Contains("table prefix", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task FilesAloneCanBeReadWithoutTheDatabase()
        {
            var sample = new SampleInstance { DatabaseHost = "127.0.0.1:9", EnvPhpSystem = "'magento_saas' => ['environment' => 'sandbox']" };

            var settings = await ConnectorConfigReader.ReadAsync(Instance(sample), new Hashtable(), includeDatabase: false, CancellationToken.None);

            Assert.Equal(("sandbox", ConfigLayer.EnvPhp, true), Describe(Setting(settings, ConnectorPaths.GatewayEnvironment)));
        }

        [Fact]
        public async Task WithoutTheDatabaseTheFilesAnswerOnlyForPathsLockedThere()
        {
            var sample = new SampleInstance { DatabaseHost = "127.0.0.1:9", EnvPhpSystem = "'magento_saas' => ['environment' => 'sandbox']" };
            CommerceInstance instance = Instance(sample);

            var settings = await ConnectorConfigReader.ReadAsync(instance, new[] { ConnectorPaths.GatewayEnvironment }, CancellationToken.None);
            DatabaseUnavailableException error = await Assert.ThrowsAsync<DatabaseUnavailableException>(
                () => ConnectorConfigReader.ReadAsync(instance, new[] { ConnectorPaths.GatewayEnvironment, ConnectorPaths.ProjectId }, CancellationToken.None));

            Assert.Equal("sandbox", Setting(settings, ConnectorPaths.GatewayEnvironment).Value);
            Assert.Contains("127.0.0.1:9", error.Message, StringComparison.Ordinal);
            Assert.NotNull(error.InnerException);
        }

        [Fact]
        public async Task AnInstanceNotInstalledYetIsReadFromItsFiles()
        {
            var sample = new SampleInstance { Installed = false, EnvPhpSystem = "'magento_saas' => ['environment' => 'sandbox']" };
            CommerceInstance instance = Instance(sample);

            var settings = await ConnectorConfigReader.ReadAsync(instance, null, includeDatabase: true, CancellationToken.None);

            Assert.False(instance.IsInstalled);
            Assert.Equal(("sandbox", ConfigLayer.EnvPhp, true), Describe(Setting(settings, ConnectorPaths.GatewayEnvironment)));
            Assert.Equal((null, null, false), Describe(Setting(settings, ConnectorPaths.ProjectId)));
        }

        [Fact]
        public async Task AVariableInAnyLetterCaseAfterThePrefixWinsOverTheDatabase()
        {
            // Magento reads any name matching ^CONFIG__[a-zA-Z]+[a-zA-Z0-9_]*$ and lower-cases the decoded path.
            var sample = new SampleInstance { TablePrefix = Prefix }.UseDatabase(Server, Database);
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.SandboxGatewayUrl, "https://from-the-database.example/");
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProjectId, "project-from-db");
            var environment = new Hashtable
            {
                ["CONFIG__default__services_connector__sandbox_gateway_url"] = "https://from-a-variable.example/",
                ["CONFIG__Default__Services_Connector__Services_Id__Project_Id"] = "project-from-variable",

                // Names Magento does not read: the prefix in another case, a character outside [a-zA-Z0-9_],
                // no letter right after the prefix, and a scope Magento does not know (website, not websites).
                ["config__default__services_connector__services_id__project_name"] = "not read",
                ["Config__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_NAME"] = "not read",
                ["CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT-ID"] = "not read",
                ["CONFIG___DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_NAME"] = "not read",
                ["CONFIG__1DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT"] = "not read",
                ["CONFIG__DEFAULT__SERVICES__CONNECTOR__SERVICES_ID__IMS_ORGANIZATION_ID"] = "another path",
            };

            var settings = await ConnectorConfigReader.ReadAsync(Instance(sample), environment, includeDatabase: true, CancellationToken.None);

            Assert.Equal(("https://from-a-variable.example/", ConfigLayer.EnvironmentVariable, true), Describe(Setting(settings, ConnectorPaths.SandboxGatewayUrl)));
            Assert.Equal(new[] { ConfigLayer.Database }, Setting(settings, ConnectorPaths.SandboxGatewayUrl).ShadowedLayers);
            Assert.Equal(("project-from-variable", ConfigLayer.EnvironmentVariable, true), Describe(Setting(settings, ConnectorPaths.ProjectId)));
            foreach (string path in new[] { ConnectorPaths.ProjectName, ConnectorPaths.DataSpaceId, ConnectorPaths.DataSpaceName, ConnectorPaths.DataSpaceType, ConnectorPaths.ImsOrganizationId })
            {
                Assert.Equal((null, null, false), Describe(Setting(settings, path)));
            }
        }

        [Theory]
        [InlineData("sandbox_gateway_url")]
        [InlineData("sandbox_key_validation_url")]
        [InlineData("cloudfront_validation_domains")]
        public async Task AGatewaySettingThatVariablesContradictIsNotGuessed(string field)
        {
            var sample = new SampleInstance { DatabaseHost = "127.0.0.1:9" };
            var environment = new Hashtable
            {
                ["CONFIG__DEFAULT__SERVICES_CONNECTOR__" + field.ToUpperInvariant()] = "https://one.example/",
                ["CONFIG__default__services_connector__" + field] = "https://two.example/",
            };

            var settings = await ConnectorConfigReader.ReadAsync(Instance(sample), environment, includeDatabase: false, CancellationToken.None);

            ArgumentException error = Assert.Throws<ArgumentException>(() =>
            {
                StoredKeyPairs.GatewayUriOf(settings, GatewayEnvironment.Sandbox);
                StoredKeyPairs.RoutesOf(settings);
            });
            Assert.Contains("CONFIG__default__services_connector__" + field, error.Message, StringComparison.Ordinal);
            Assert.Contains("cannot be known here", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task NamesTheVariableAsItIsSpelled()
        {
            var sample = new SampleInstance { DatabaseHost = "127.0.0.1:9" };
            var environment = new Hashtable
            {
                ["CONFIG__default__services_connector__sandbox_gateway_url"] = "https://sandbox.example/",
                [ConnectorPaths.EnvironmentVariableFor(ConnectorPaths.ProductionGatewayUrl)] = "https://production.example/",
            };

            var settings = await ConnectorConfigReader.ReadAsync(Instance(sample), environment, includeDatabase: false, CancellationToken.None);

            ConnectorSetting sandbox = Setting(settings, ConnectorPaths.SandboxGatewayUrl);
            Assert.Equal("CONFIG__default__services_connector__sandbox_gateway_url", sandbox.EnvironmentVariable);
            Assert.Equal(new[] { "CONFIG__default__services_connector__sandbox_gateway_url: https://sandbox.example/" }, sandbox.EnvironmentValues);
            Assert.False(sandbox.IsAmbiguous);
            Assert.Equal("CONFIG__DEFAULT__SERVICES_CONNECTOR__PRODUCTION_GATEWAY_URL", Setting(settings, ConnectorPaths.ProductionGatewayUrl).EnvironmentVariable);
            Assert.Null(Setting(settings, ConnectorPaths.ProjectId).EnvironmentVariable);
            Assert.Empty(Setting(settings, ConnectorPaths.ProjectId).EnvironmentValues);
        }

        [Fact]
        public async Task SeveralVariablesForOnePathWithDifferentValuesLeaveTheValueUnknown()
        {
            // Magento files them in the order of its PHP process's environment and keeps the last: not knowable here.
            var sample = new SampleInstance { DatabaseHost = "127.0.0.1:9", EnvPhpSystem = "'magento_saas' => ['environment' => 'production']" };
            var environment = new Hashtable
            {
                ["CONFIG__DEFAULT__MAGENTO_SAAS__ENVIRONMENT"] = "sandbox",
                ["CONFIG__default__magento_saas__environment"] = "production",
                ["CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT"] = "Testing",
                ["CONFIG__default__services_connector__services_id__environment"] = "Testing",
            };

            var settings = await ConnectorConfigReader.ReadAsync(Instance(sample), environment, includeDatabase: false, CancellationToken.None);

            ConnectorSetting gateway = Setting(settings, ConnectorPaths.GatewayEnvironment);
            Assert.True(gateway.IsAmbiguous);
            Assert.Equal(ConfigLayer.EnvironmentVariable, gateway.Layer);
            Assert.Equal("(not known: 2 environment variables set different values)", gateway.Value);
            Assert.Null(gateway.EnvironmentVariable);
            Assert.Equal(new[] { "CONFIG__DEFAULT__MAGENTO_SAAS__ENVIRONMENT: sandbox", "CONFIG__default__magento_saas__environment: production" }, gateway.EnvironmentValues);
            Assert.Equal(new[] { "EnvPhp: production" }, gateway.ShadowedValues);
            ConnectorSetting type = Setting(settings, ConnectorPaths.DataSpaceType);
            Assert.False(type.IsAmbiguous);
            Assert.Equal(("Testing", ConfigLayer.EnvironmentVariable, true), Describe(type));
            Assert.Null(type.EnvironmentVariable);
            Assert.Equal(2, type.EnvironmentValues.Length);
        }

        [Fact]
        public async Task WebsiteAndStoreValuesFromVariablesAndFilesAreReported()
        {
            var sample = new SampleInstance
            {
                DatabaseHost = "127.0.0.1:9",
                EnvPhpSystem = "'services_connector' => ['services_id' => ['project_id' => 'default-project']]",
                EnvPhpScopedSystem = "'websites' => ['base' => ['services_connector' => ['services_id' => ['project_id' => 'env-php-project']]]]",
                ConfigPhpScopedSystem = "'stores' => ['fr_view' => ['services_connector' => ['services_id' => ['project_id' => 'config-php-project']]], 'de_view' => ['general' => ['locale' => ['code' => 'de_DE']]]]",
            };
            var environment = new Hashtable
            {
                ["CONFIG__WEBSITES__BASE__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_ID"] = "variable-project",
                ["CONFIG__stores__French_View__services_connector__services_id__project_id"] = "store-variable-project",

                // Not the connector's, or not a scope Magento reads.
                ["CONFIG__WEBSITES__BASE__GENERAL__LOCALE__CODE"] = "de_DE",
                ["CONFIG__WEBSITE__BASE__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_ID"] = "not read",
                ["CONFIG__WEBSITES__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_ID"] = "no path",
            };

            var settings = await ConnectorConfigReader.ReadAsync(Instance(sample), environment, includeDatabase: false, CancellationToken.None);

            ConnectorSetting project = Setting(settings, ConnectorPaths.ProjectId);
            Assert.Equal(("default-project", ConfigLayer.EnvPhp, true), Describe(project));
            Assert.Equal(
                new[]
                {
                    ("websites", "base", ConfigLayer.EnvironmentVariable, "CONFIG__WEBSITES__BASE__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_ID", "variable-project"),
                    ("websites", "base", ConfigLayer.EnvPhp, "app/etc/env.php", "env-php-project"),
                    ("stores", "french_view", ConfigLayer.EnvironmentVariable, "CONFIG__stores__French_View__services_connector__services_id__project_id", "store-variable-project"),
                    ("stores", "fr_view", ConfigLayer.ConfigPhp, "app/etc/config.php", "config-php-project"),
                },
                project.ScopeOverrides.Select(o => (o.Scope, o.ScopeCode, o.Layer, o.Source, o.Value!)).ToArray());
            Assert.Equal("websites/base: variable-project [CONFIG__WEBSITES__BASE__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_ID]", project.ScopeOverrides[0].ToString());
            Assert.All(settings.Where(s => s.Path != ConnectorPaths.ProjectId), s => Assert.Empty(s.ScopeOverrides));
        }

        [Fact]
        public async Task SecretsFromVariablesAndScopedValuesStayMasked()
        {
            var sample = new SampleInstance { DatabaseHost = "127.0.0.1:9" };
            var encryptor = new MagentoEncryptor(sample.CryptKey);
            string pem = TestKeys.Pkcs8Pem(TestKeys.Main);
            sample.EnvPhpScopedSystem = "'stores' => ['default' => ['services_connector' => ['services_connector_integration' => ['production_api_key' => '" + encryptor.Encrypt(TestKeys.ApiKey) + "']]]]";
            var environment = new Hashtable
            {
                ["CONFIG__default__services_connector__services_connector_integration__production_api_key"] = TestKeys.ApiKey,
                ["CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_API_KEY"] = "f0e1d2c3b4a5968778695a4b3c2d1e0f",
                ["CONFIG__default__services_connector__services_connector_integration__production_private_key"] = pem,
                ["CONFIG__WEBSITES__BASE__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_PRIVATE_KEY"] = pem,
            };

            var settings = await ConnectorConfigReader.ReadAsync(Instance(sample), environment, includeDatabase: false, CancellationToken.None);

            ConnectorSetting apiKey = Setting(settings, ConnectorPaths.ProductionApiKey);
            Assert.True(apiKey.IsAmbiguous);
            Assert.Equal(new[] { "CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_API_KEY: f0e1...1e0f", "CONFIG__default__services_connector__services_connector_integration__production_api_key: a1b2...8f90" }, apiKey.EnvironmentValues);
            Assert.Equal("stores/default: a1b2...8f90 [app/etc/env.php]", Assert.Single(apiKey.ScopeOverrides).ToString());
            ConnectorSetting privateKey = Setting(settings, ConnectorPaths.ProductionPrivateKey);
            string described = "(private key: RSA 2048, SHA256:" + TestKeys.Fingerprint(TestKeys.Main).Substring(0, 16) + "...)";
            Assert.Equal(described, privateKey.Value);
            Assert.Equal("websites/base: " + described + " [CONFIG__WEBSITES__BASE__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_PRIVATE_KEY]", Assert.Single(privateKey.ScopeOverrides).ToString());
            string shown = string.Join("\n", settings.SelectMany(s => new[] { s.ToString(), s.Value ?? string.Empty }.Concat(s.EnvironmentValues).Concat(s.ShadowedValues).Concat(s.ScopeOverrides.Select(o => o.ToString()))));
            Assert.DoesNotContain(TestKeys.ApiKey, shown, StringComparison.Ordinal);
            Assert.DoesNotContain("f0e1d2c3b4a5968778695a4b3c2d1e0f", shown, StringComparison.Ordinal);
            Assert.DoesNotContain(TestKeys.Body(pem).Substring(50, 20), shown, StringComparison.Ordinal);
        }

        /// <summary>
        /// Conformance with PHP: tests/CommerceServices.Core.Tests/Php/config-env-vars.php applies Magento's rule
        /// to the variables of its own $_ENV (with variables_order=EGPCS, which Adobe's documentation requires
        /// for CONFIG__ variables); the reader must read exactly the names PHP reads, under the same paths, and
        /// must call a path whose winner depends on the order of the environment ambiguous.
        /// </summary>
        [Fact]
        public async Task ReadsTheVariablesPhpReadsUnderThePathsPhpFilesThemUnder()
        {
            var variables = new[]
            {
                ("CONFIG__DEFAULT__SERVICES_CONNECTOR__SANDBOX_GATEWAY_URL", "https://capitals.example/"),
                ("CONFIG__default__services_connector__production_gateway_url", "https://lower-case.example/"),
                ("CONFIG__Default__Services_Connector__Api_Portal_Url", "https://mixed-case.example/"),
                ("CONFIG__default__services_connector__services_connector_integration__sandbox_api_key", TestKeys.ApiKey),
                ("config__default__services_connector__cloudfront_validation_url", "/lower-case-prefix"),
                ("Config__DEFAULT__SERVICES_CONNECTOR__CLOUDFRONT_VALIDATION_DOMAINS", "mixed-case-prefix"),
                ("XCONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_NAME", "not the prefix"),
                ("CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__PROJECT-ID", "hyphen"),
                ("CONFIG___DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_NAME", "underscore first"),
                ("CONFIG__1DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_NAME", "digit first"),
                ("CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_NAMÉ", "not ASCII"),
                ("CONFIG__DEFAULT__SERVICES__CONNECTOR__SERVICES_ID__ENVIRONMENT_ID", "another path"),
                ("CONFIG__DEFAULT__SERVICES_CONNECTOR___SANDBOX_KEY_VALIDATION_URL", "three underscores"),
                ("CONFIG__WEBSITES__BASE__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_ID", "website-project"),
                ("CONFIG__stores__French_View__services_connector__services_id__project_id", "store-project"),
                ("CONFIG__WEBSITE__BASE__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_NAME", "no such scope"),
                ("CONFIG__DEFAULT__MAGENTO_SAAS__ENVIRONMENT", "sandbox"),
                ("CONFIG__default__magento_saas__environment", "production"),
                ("CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT", "Testing"),
                ("CONFIG__default__Services_Connector__Services_Id__Environment", "Testing"),
            };
            JsonElement forward = Php(variables);
            JsonElement backward = Php(variables.Reverse());
            Assert.Equal(variables.Select(v => v.Item1), forward.GetProperty("order").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(variables.Reverse().Select(v => v.Item1), backward.GetProperty("order").EnumerateArray().Select(e => e.GetString()));

            var environment = new Hashtable();
            foreach (var (name, value) in variables)
            {
                environment[name] = value;
            }

            var settings = await ConnectorConfigReader.ReadAsync(Instance(new SampleInstance { DatabaseHost = "127.0.0.1:9" }), environment, includeDatabase: false, CancellationToken.None);

            var phpDecoded = forward.GetProperty("decoded");
            foreach (var (name, _) in variables)
            {
                JsonElement decoded = phpDecoded.GetProperty(name);
                string? path = decoded.ValueKind == JsonValueKind.Null ? null : decoded.GetString();
                Assert.Equal((name, path), (name, ConnectorPaths.DecodeEnvironmentVariable(name)));

                // Where the reader files the name: the default scope of a connector path, or a website or store view.
                string[] filed = settings.Where(s => s.EnvironmentVariableNames.Contains(name)).Select(s => "default/" + s.Path)
                    .Concat(settings.SelectMany(s => s.ScopeOverrides.Where(o => o.Source == name).Select(o => o.Scope + "/" + o.ScopeCode + "/" + s.Path)))
                    .ToArray();
                bool magentoReadsIt = path != null
                    && ConnectorPaths.All.Any(p => path == "default/" + p.Path || System.Text.RegularExpressions.Regex.IsMatch(path, "^(websites|stores)/[^/]+/" + System.Text.RegularExpressions.Regex.Escape(p.Path) + "$"));
                Assert.Equal((name, magentoReadsIt ? path : null), (name, filed.Length == 0 ? null : string.Join(" | ", filed)));
            }

            // The value PHP files last for each default-scope path: when it depends on the order, the reader says it cannot know.
            foreach (ConnectorSetting setting in settings.Where(s => s.EnvironmentVariableNames.Length > 0))
            {
                JsonElement first = forward.GetProperty("winners").GetProperty("default/" + setting.Path);
                JsonElement second = backward.GetProperty("winners").GetProperty("default/" + setting.Path);
                string? winner = first.GetProperty("value").GetString();
                bool dependsOnOrder = winner != second.GetProperty("value").GetString();
                Assert.Equal((setting.Path, dependsOnOrder), (setting.Path, setting.IsAmbiguous));
                if (!dependsOnOrder && setting.Definition.Kind == ConnectorValueKind.Plain)
                {
                    Assert.Equal((setting.Path, winner), (setting.Path, setting.Value));
                }

                if (setting.EnvironmentVariableNames.Length == 1)
                {
                    Assert.Equal(first.GetProperty("name").GetString(), setting.EnvironmentVariable);
                }
            }

            Assert.True(Setting(settings, ConnectorPaths.GatewayEnvironment).IsAmbiguous);
            Assert.Equal("a1b2...8f90", Setting(settings, ConnectorPaths.SandboxApiKey).Value);
        }

        private static JsonElement Php(System.Collections.Generic.IEnumerable<(string Name, string Value)> variables) =>
            JsonDocument.Parse(PhpCli.RunWithEnvironment(
                "config-env-vars.php",
                variables.Select(v => new System.Collections.Generic.KeyValuePair<string, string>(v.Name, v.Value)),
                new[] { "variables_order=EGPCS" })).RootElement;

        private static (string? Value, ConfigLayer? Layer, bool Locked) Describe(ConnectorSetting setting) => (setting.Value, setting.Layer, setting.IsLocked);
    }
}
