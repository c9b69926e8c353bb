namespace CommerceServices.Tests.Commands
{
    /// <summary>Connect-CommerceInstance on Adobe Commerce on Cloud projects written as their Git repositories hold them.</summary>
    [Collection(MariaDbCollection.Name)]
    public sealed class CloudInstanceCommandsTests : IDisposable
    {
        private const string Refusal = "it is an Adobe Commerce on Cloud project";
        private readonly MariaDbServer server;
        private readonly TempFolder folder = new TempFolder();

        public CloudInstanceCommandsTests(MariaDbFixture fixture) => server = fixture.Server;

        public void Dispose() => folder.Dispose();

        private string Instance(string name, SampleInstance sample) => sample.WriteTo(Path.Combine(folder.Path, name));

        private ScriptResult Run(string script) => PowerShellRunner.Run(script, location: folder.Path);

        [Fact]
        public void ConnectReportsThePlatformAndWhatShowedIt()
        {
            Instance("cloud", SampleInstance.CloudProject());
            Instance("yaml", new SampleInstance { MagentoEnvYaml = true });
            Instance("shop", new SampleInstance());

            ScriptResult run = Run("Connect-CommerceInstance ./cloud, ./yaml, ./shop -PassThru | ForEach-Object { '{0}|{1}|{2}|{3}|{4}|{5}' -f $_.Name, $_.Platform, ($_.CloudMarkers -join ';'), $_.CloudProjectId, $_.CloudEnvironment, $_.Edition }");

            Assert.Empty(run.Errors);
            Assert.Equal(
                new object[]
                {
                    "cloud|Cloud|composer.lock: magento/magento-cloud-metapackage;composer.lock: magento/ece-tools;.magento.app.yaml;.magento.env.yaml|||AdobeCommerce",
                    "yaml|Cloud|.magento.env.yaml|||AdobeCommerce",
                    "shop|OnPremises||||AdobeCommerce",
                },
                run.Output);
        }

        [Fact]
        public void TheEnvPhpStoreOnCloudIsAnErrorOfThatPathAndTheOthersConnect()
        {
            string cloud = Instance("cloud", SampleInstance.CloudProject());
            Instance("shop", new SampleInstance());
            string env = Path.Combine(cloud, "app", "etc", "env.php");
            byte[] before = File.ReadAllBytes(env);

            ScriptResult run = Run("Connect-CommerceInstance ./cloud, ./shop -ConfigStore EnvPhp -ErrorAction Continue; Get-CommerceInstance | ForEach-Object { '{0} {1} {2}' -f $_.Name, $_.Platform, $_.ConfigStore }");

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("EnvPhpStoreOnCloud", Id(error));
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Equal("./cloud", error.TargetObject);
            Assert.Equal("CommerceServices.Instances.EnvPhpStoreOnCloudException", error.Exception.GetType().FullName);
            string message = error.Exception.Message;
            Assert.StartsWith("Cannot connect '" + cloud + "' with -ConfigStore EnvPhp: " + Refusal + " (composer.lock: magento/magento-cloud-metapackage, composer.lock: magento/ece-tools, .magento.app.yaml, .magento.env.yaml).", message, StringComparison.Ordinal);
            Assert.Contains("On Cloud, ece-tools manages app/etc/env.php: every deploy writes its own settings into it from the Cloud variables and .magento.env.yaml, and the file is in no commit and no Cloud variable, so settings kept there are missing from any environment built anew.", message, StringComparison.Ordinal);
            Assert.Contains("Use the database store (-ConfigStore Database, the default): core_config_data survives deploys.", message, StringComparison.Ordinal);
            Assert.Contains("Cloud environment variables named CONFIG__DEFAULT__", message, StringComparison.Ordinal);
            Assert.Contains("marked sensitive", message, StringComparison.Ordinal);
            Assert.Equal(new object[] { "shop OnPremises EnvPhp" }, run.Output);
            Assert.Equal(before, File.ReadAllBytes(env));
        }

        [Fact]
        public void TheDatabaseStoreWritesACloudInstanceAndLeavesEnvPhpAlone()
        {
            SampleShop shop = SampleShop.Write(server, Path.Combine(folder.Path, "cloud"), SampleInstance.CloudProject());
            string env = Path.Combine(shop.Root, "app", "etc", "env.php");
            byte[] before = File.ReadAllBytes(env);

            ScriptResult run = Run(
                @"Connect-CommerceInstance ./cloud
                  Set-CommerceImsOrganization -OrganizationId 0123456789ABCDEF01234567@AdobeOrg
                  Get-CommerceServicesConfig | Where-Object Path -like '*ims_organization_id' | ForEach-Object { '{0} {1} {2}' -f (Get-CommerceInstance).Platform, $_.Value, $_.Layer }");

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "Cloud 0123456789ABCDEF01234567@AdobeOrg Database" }, run.Output);
            Assert.Equal(before, File.ReadAllBytes(env));
        }

        [Fact]
        public void OnTheCloudHostTheVariablesOfTheAppDirNameTheProject()
        {
            string app = Instance("app", new SampleInstance());
            Instance("copy", new SampleInstance());

            // Process-wide variables, but the rule counts them only for the folder MAGENTO_CLOUD_APP_DIR names,
            // a folder of this test alone.
            ScriptResult run = ProcessEnvironment.With(
                new Dictionary<string, string?> { ["MAGENTO_CLOUD_APP_DIR"] = app, ["MAGENTO_CLOUD_ENVIRONMENT"] = "integration" },
                () => Run("Connect-CommerceInstance ./app, ./copy -PassThru | ForEach-Object { '{0}|{1}|{2}|{3}|{4}' -f $_.Name, $_.Platform, ($_.CloudMarkers -join ';'), $_.CloudProjectId, $_.CloudEnvironment }"));

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "app|Cloud|MAGENTO_CLOUD_APP_DIR is this folder||integration", "copy|OnPremises|||" }, run.Output);
        }
    }
}
