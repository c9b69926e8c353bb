using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Threading;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Stores;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Instances
{
    /// <summary>
    /// Recognising Adobe Commerce on Cloud from real files. The Cloud host's variables are passed as a dictionary,
    /// never set on this process, so these tests run beside any other.
    /// </summary>
    public sealed class CloudMarkersTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        private string Write(SampleInstance sample, string name = "shop") => sample.WriteTo(Path.Combine(folder.Path, name));

        private static CommerceInstance Open(string root, IDictionary? environment = null, ConfigStore store = ConfigStore.Database) =>
            CommerceInstanceReader.Open(root, store, InstanceRole.Undeclared, environment ?? new Hashtable());

        [Fact]
        public void AnInstanceWithoutMarkersIsOnPremises()
        {
            CommerceInstance instance = Open(Write(new SampleInstance()));

            Assert.Equal(InstancePlatform.OnPremises, instance.Platform);
            Assert.Empty(instance.CloudMarkers);
            Assert.Null(instance.CloudProjectId);
            Assert.Null(instance.CloudEnvironment);
        }

        [Fact]
        public void OpenSourceWithoutComposerLockIsOnPremises()
        {
            CommerceInstance instance = Open(Write(new SampleInstance { AdobeCommerce = false, WithComposerLock = false }));

            Assert.Equal(InstancePlatform.OnPremises, instance.Platform);
        }

        [Theory]
        [InlineData(nameof(SampleInstance.CloudMetapackage), "composer.lock: magento/magento-cloud-metapackage")]
        [InlineData(nameof(SampleInstance.EceTools), "composer.lock: magento/ece-tools")]
        [InlineData(nameof(SampleInstance.MagentoAppYaml), ".magento.app.yaml")]
        [InlineData(nameof(SampleInstance.MagentoEnvYaml), ".magento.env.yaml")]
        public void EachMarkerAloneMakesItCloud(string marker, string named)
        {
            var sample = new SampleInstance();
            typeof(SampleInstance).GetProperty(marker)!.SetValue(sample, true);

            CommerceInstance instance = Open(Write(sample));

            Assert.Equal(InstancePlatform.Cloud, instance.Platform);
            Assert.Equal(new[] { named }, instance.CloudMarkers);
            Assert.Null(instance.CloudProjectId);
            Assert.Null(instance.CloudEnvironment);
        }

        [Fact]
        public void ACloudProjectNamesEveryMarkerAndItsEditionAndVersion()
        {
            CommerceInstance instance = Open(Write(SampleInstance.CloudProject()));

            Assert.Equal(InstancePlatform.Cloud, instance.Platform);
            Assert.Equal(new[] { "composer.lock: magento/magento-cloud-metapackage", "composer.lock: magento/ece-tools", ".magento.app.yaml", ".magento.env.yaml" }, instance.CloudMarkers);
            Assert.Equal(CommerceEdition.AdobeCommerce, instance.Edition);
            Assert.Equal("2.4.7-p3", instance.Version);
        }

        [Fact]
        public void AYamlFileOfAnotherNameOrAFolderIsNoMarker()
        {
            string root = Write(new SampleInstance());
            Directory.CreateDirectory(Path.Combine(root, ".magento.app.yaml"));
            File.WriteAllText(Path.Combine(root, ".magento.app.yml"), "name: mymagento\n");

            Assert.Equal(InstancePlatform.OnPremises, Open(root).Platform);
        }

        [Theory]
        [InlineData("")]
        [InlineData("/")]
        public void OnTheCloudHostTheVariablesOfThisAppDirNameTheProjectAndEnvironment(string trailing)
        {
            string root = Write(new SampleInstance());

            CommerceInstance instance = Open(root, CloudHost(root + trailing));

            Assert.Equal(InstancePlatform.Cloud, instance.Platform);
            Assert.Equal(new[] { "MAGENTO_CLOUD_APP_DIR is this folder" }, instance.CloudMarkers);
            Assert.Equal("abcdef123456", instance.CloudProjectId);
            Assert.Equal("staging", instance.CloudEnvironment);
        }

        [Fact]
        public void CloudVariablesOfAnotherFolderSayNothingAboutThisOne()
        {
            string root = Write(new SampleInstance());
            string other = Write(new SampleInstance(), "app");

            CommerceInstance instance = Open(root, CloudHost(other));

            Assert.Equal(InstancePlatform.OnPremises, instance.Platform);
            Assert.Empty(instance.CloudMarkers);
            Assert.Null(instance.CloudProjectId);
            Assert.Null(instance.CloudEnvironment);
        }

        [Fact]
        public void AProjectVariableWithoutTheAppDirIsAnAdministratorsShellNotTheCloudHost()
        {
            string root = Write(SampleInstance.CloudProject());
            Hashtable shell = CloudHost(root);
            shell.Remove("MAGENTO_CLOUD_APP_DIR");

            CommerceInstance instance = Open(root, shell);

            Assert.Equal(InstancePlatform.Cloud, instance.Platform); // from its files
            Assert.DoesNotContain("MAGENTO_CLOUD_APP_DIR is this folder", instance.CloudMarkers);
            Assert.Null(instance.CloudProjectId);
            Assert.Null(instance.CloudEnvironment);
        }

        [Fact]
        public void ARelativeAppDirIsNotTrusted()
        {
            string root = Write(new SampleInstance());

            Assert.Equal(InstancePlatform.OnPremises, Open(root, CloudHost("shop")).Platform);
        }

        [Fact]
        public void TheEnvPhpStoreIsRefusedOnCloudWithTheReasonAndTheAlternatives()
        {
            string root = Write(SampleInstance.CloudProject());

            EnvPhpStoreOnCloudException error = Assert.Throws<EnvPhpStoreOnCloudException>(() => Open(root, store: ConfigStore.EnvPhp));

            Assert.Equal(root, error.Path);
            Assert.StartsWith("Cannot connect '" + root + "' with -ConfigStore EnvPhp: it is an Adobe Commerce on Cloud project (composer.lock: magento/magento-cloud-metapackage, ", error.Message, StringComparison.Ordinal);
            Assert.Contains("ece-tools manages app/etc/env.php", error.Message, StringComparison.Ordinal);
            Assert.Contains("missing from any environment built anew", error.Message, StringComparison.Ordinal);
            Assert.Contains("-ConfigStore Database", error.Message, StringComparison.Ordinal);
            Assert.Contains("env:CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_API_KEY", error.Message, StringComparison.Ordinal);
            Assert.Contains("sensitive", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void TheDatabaseStoreIsAllowedOnCloud()
        {
            CommerceInstance instance = Open(Write(SampleInstance.CloudProject()));

            Assert.Equal(ConfigStore.Database, instance.ConfigStore);
            Assert.Same(DatabaseSettingsStore.Store, SettingsStores.For(instance));
        }

        [Fact]
        public void TheEnvPhpStoreItselfRefusesACloudInstanceAndChangesNothing()
        {
            string root = Write(SampleInstance.CloudProject());
            string env = Path.Combine(root, "app", "etc", "env.php");
            byte[] before = File.ReadAllBytes(env);
            CommerceInstance instance = Open(root);

            EnvPhpStoreOnCloudException error = Assert.Throws<EnvPhpStoreOnCloudException>(() =>
                EnvPhpSettingsStore.Store.WriteAsync(instance, new[] { new ConfigChange("services_connector/services_connector_integration/production_api_key", "key") }, deferConfigImport: true, CancellationToken.None).GetAwaiter().GetResult());

            Assert.StartsWith("Cannot write the connector settings of '" + root + "' into app/etc/env.php: it is an Adobe Commerce on Cloud project", error.Message, StringComparison.Ordinal);
            Assert.EndsWith("Nothing was changed.", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(env));
            Assert.Equal(new[] { "env.php", "config.php" }.OrderBy(n => n), Directory.GetFiles(Path.GetDirectoryName(env)!).Select(Path.GetFileName).OrderBy(n => n));
        }

        private static Hashtable CloudHost(string appDir) => new Hashtable
        {
            ["MAGENTO_CLOUD_APP_DIR"] = appDir,
            ["MAGENTO_CLOUD_PROJECT"] = "abcdef123456",
            ["MAGENTO_CLOUD_ENVIRONMENT"] = "staging",
        };
    }
}
