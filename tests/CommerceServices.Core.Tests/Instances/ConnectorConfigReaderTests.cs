using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Encryption;
using CommerceServices.Instances;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Instances
{
    [Collection(MariaDbCollection.Name)]
    public sealed class ConnectorConfigReaderTests : IDisposable
    {
        private const string Prefix = "mg_";
        private readonly MariaDbServer server;
        private readonly TempFolder folder = new TempFolder();
        private readonly string database;

        public ConnectorConfigReaderTests(MariaDbFixture fixture)
        {
            server = fixture.Server;
            database = MagentoDatabase.Create(server, Prefix);
        }

        public void Dispose() => folder.Dispose();

        private CommerceInstance Instance(SampleInstance sample) =>
            CommerceInstanceReader.Open(sample.WriteTo(Path.Combine(folder.Path, "shop-" + Guid.NewGuid().ToString("n").Substring(0, 6))));

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
            }.UseDatabase(server, database, overSocket);
            MagentoDatabase.SetValue(server, database, Prefix, ConnectorPaths.ProjectId, "project-from-db");
            MagentoDatabase.SetValue(server, database, Prefix, ConnectorPaths.ProjectName, "From the database");
            MagentoDatabase.SetValue(server, database, Prefix, ConnectorPaths.GatewayEnvironment, "sandbox");
            MagentoDatabase.SetValue(server, database, Prefix, ConnectorPaths.ImsOrganizationId, "ORG@AdobeOrg");
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
            var sample = new SampleInstance { TablePrefix = Prefix }.UseDatabase(server, database);
            var encryptor = new MagentoEncryptor(sample.CryptKey);
            MagentoDatabase.SetValue(server, database, Prefix, ConnectorPaths.ProductionApiKey, encryptor.Encrypt(TestKeys.ApiKey));
            MagentoDatabase.SetValue(server, database, Prefix, ConnectorPaths.ProductionPrivateKey, encryptor.Encrypt(TestKeys.Pkcs8Pem(TestKeys.Main)));
            MagentoDatabase.SetValue(server, database, Prefix, ConnectorPaths.SandboxApiKey, "plainsandboxkey0123456789");

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
            var sample = new SampleInstance { TablePrefix = Prefix }.UseDatabase(server, database);
            var otherInstance = new MagentoEncryptor("6wRADHwwCBGgdxbcHhovGB0upmg0mbsN");
            MagentoDatabase.SetValue(server, database, Prefix, ConnectorPaths.ProductionApiKey, otherInstance.Encrypt(TestKeys.ApiKey));
            MagentoDatabase.SetValue(server, database, Prefix, ConnectorPaths.ProductionPrivateKey, otherInstance.Encrypt(TestKeys.Pkcs8Pem(TestKeys.Main)));
            CommerceInstance instance = Instance(sample);

            var settings = await ConnectorConfigReader.ReadAsync(instance, new Hashtable(), true, CancellationToken.None);

            ConnectorSetting apiKey = Setting(settings, ConnectorPaths.ProductionApiKey);
            Assert.True(apiKey.IsUndecryptable);
            Assert.True(apiKey.IsStoredEncrypted);
            Assert.Equal("(encrypted; cannot be decrypted with this instance's crypt/key)", apiKey.Value);
            StoredApiKey stored = StoredApiKey.From(instance, settings).Single(k => k.Environment == CommerceServices.GatewayEnvironment.Production);
            Assert.Equal(new[] { "CannotDecrypt" }, stored.Problems);
            Assert.Null(stored.ApiKey);
            await Assert.ThrowsAsync<StoredKeyPairMissingException>(() => InstanceKeyPairs.ReadAsync(instance, null, CancellationToken.None));
        }

        [Fact]
        public async Task AWrongPasswordIsDatabaseUnavailableWithoutThePassword()
        {
            var sample = new SampleInstance { TablePrefix = Prefix }.UseDatabase(server, database);
            sample.DatabasePassword = "wrong-password-123";

            DatabaseUnavailableException error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => ConnectorConfigReader.ReadAsync(Instance(sample), new Hashtable(), true, CancellationToken.None));

            Assert.Contains("Access denied", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-password-123", error.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task AWrongTablePrefixIsNamed()
        {
            var sample = new SampleInstance { TablePrefix = "other_" }.UseDatabase(server, database);

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

        private static (string? Value, ConfigLayer? Layer, bool Locked) Describe(ConnectorSetting setting) => (setting.Value, setting.Layer, setting.IsLocked);
    }
}
