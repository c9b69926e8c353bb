namespace CommerceServices.Tests.Commands
{
    /// <summary>
    /// Get-CommerceServicesConfigBackup and Restore-CommerceServicesConfig on instances with a MariaDB database and
    /// the gateway emulator: both stores, restore then restore again, each bad input, -WhatIf, the guard rails.
    /// </summary>
    public sealed class RestoreCommerceServicesConfigTests : ShopTests
    {
        private const string ImsOrganization = "services_connector/services_id/ims_organization_id";
        private const string Environment = "magento_saas/environment";
        private readonly SampleShop shop;
        private readonly Dictionary<string, object?> variables = new();

        public RestoreCommerceServicesConfigTests(MariaDbFixture fixture)
            : base(fixture)
        {
            shop = Shop("shop", gateways: Gateways.Production);
        }

        private string Rows() => shop.Sql("SELECT path, IFNULL(value, 'NULL') FROM " + shop.TablePrefix + "core_config_data WHERE scope = 'default' AND scope_id = 0 ORDER BY path");

        private string EnvPhp() => Path.Combine(shop.Root, "app", "etc", "env.php");

        private ScriptResult Run(string script, string connect = "Connect-CommerceInstance ./shop -Role Production") =>
            Emulator.Run(connect + "\n" + script, variables);

        [Fact]
        public void TheDatabaseStoreGetsItsRowsBackAndRestoringAgainUndoesTheRestore()
        {
            Assert.Empty(Run("Set-CommerceImsOrganization -OrganizationId 0123456789ABCDEF01234567@AdobeOrg").Errors);
            string before = Rows();
            variables["moment"] = DateTime.Now;
            System.Threading.Thread.Sleep(50);
            Assert.Empty(Run("Set-CommerceImsOrganization -OrganizationId 89ABCDEF0123456789ABCDEF@AdobeOrg; Set-CommerceGatewayEnvironment Sandbox").Errors);
            string changed = Rows();
            Assert.NotEqual(before, changed);

            ScriptResult restore = Run("Restore-CommerceServicesConfig -Before $moment -Confirm:$false -PassThru | ForEach-Object { '{0}={1}' -f $_.Path, $_.Value }");

            Assert.Empty(restore.Errors);
            Assert.Equal(before, Rows());
            Assert.Contains(ImsOrganization + "=0123456789ABCDEF01234567@AdobeOrg", restore.Output.Cast<string>());

            ScriptResult undo = Run("Restore-CommerceServicesConfig -Latest -Confirm:$false");
            Assert.Empty(undo.Errors);
            Assert.Equal(changed, Rows());
        }

        [Fact]
        public void TheEnvPhpStoreGetsEnvPhpBackByteForByteAndRestoringAgainUndoesTheRestore()
        {
            const string Connect = "Connect-CommerceInstance ./shop -Role Production -ConfigStore EnvPhp";
            byte[] before = File.ReadAllBytes(EnvPhp());
            Assert.Empty(Run("Set-CommerceImsOrganization -OrganizationId 0123456789ABCDEF01234567@AdobeOrg", Connect).Errors);
            byte[] changed = File.ReadAllBytes(EnvPhp());
            Assert.NotEqual(before, changed);

            ScriptResult restore = Run("Restore-CommerceServicesConfig -Latest -Confirm:$false", Connect);

            Assert.Empty(restore.Errors);
            Assert.Equal(before, File.ReadAllBytes(EnvPhp()));
            Assert.Empty(Run("Restore-CommerceServicesConfig -Latest -Confirm:$false", Connect).Errors);
            Assert.Equal(changed, File.ReadAllBytes(EnvPhp()));
        }

        [Fact]
        public void TheBackupsSayWhenWhichCommandWroteThemAndWhatDiffersWithSecretsMasked()
        {
            PSObject key = Emulator.IssueKey("MAGE-ID");
            variables["key"] = key.BaseObject;
            Assert.Empty(Run("$key | Set-CommerceApiKey; Set-CommerceImsOrganization -OrganizationId 0123456789ABCDEF01234567@AdobeOrg").Errors);

            ScriptResult list = Run("Get-CommerceServicesConfigBackup | ForEach-Object { $_.Command + ':' + $_.Changes + ':' + (($_.Settings | ForEach-Object { $_.Path + '=' + $_.Then + '>' + $_.Now }) -join ';') }");

            Assert.Empty(list.Errors);
            string[] lines = list.Output.Cast<string>().ToArray();
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("Set-CommerceImsOrganization:1:", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("Set-CommerceApiKey:2:", lines[1], StringComparison.Ordinal);
            Assert.Contains("(private key: RSA 2048, SHA256:", lines[1], StringComparison.Ordinal);
            string apiKey = (string)key.Properties["ApiKey"].Value;
            Assert.DoesNotContain(apiKey, list.AllText(), StringComparison.Ordinal);
            Assert.Contains(apiKey.Substring(0, 4) + "...", lines[1], StringComparison.Ordinal);
        }

        [Fact]
        public void WhatIfNamesEachSettingNowAndThenAndChangesNothing()
        {
            Assert.Empty(Run("Set-CommerceImsOrganization -OrganizationId 0123456789ABCDEF01234567@AdobeOrg").Errors);
            string rows = Rows();
            int backups = Directory.GetFiles(Path.Combine(shop.Root, "var", "commerceservices", "backups")).Length;

            ScriptResult whatIf = Run("Restore-CommerceServicesConfig -Latest -WhatIf");

            Assert.Empty(whatIf.Errors);
            Assert.Equal(rows, Rows());
            Assert.Equal(backups, Directory.GetFiles(Path.Combine(shop.Root, "var", "commerceservices", "backups")).Length);
            Assert.Contains(ImsOrganization + ": 0123456789ABCDEF01234567@AdobeOrg -> (not set)", whatIf.HostText, StringComparison.Ordinal);
        }

        [Fact]
        public void ATamperedBackupABackupOfAnotherInstanceAndOneWithNothingToRestoreAreRefusedAndChangeNothing()
        {
            Assert.Empty(Run("Set-CommerceImsOrganization -OrganizationId 0123456789ABCDEF01234567@AdobeOrg; Set-CommerceImsOrganization -OrganizationId 89ABCDEF0123456789ABCDEF@AdobeOrg; Set-CommerceImsOrganization -OrganizationId 0123456789ABCDEF01234567@AdobeOrg").Errors);
            string rows = Rows();

            // The middle backup holds what the instance holds now.
            ScriptResult nothing = Run("@(Get-CommerceServicesConfigBackup)[1] | Restore-CommerceServicesConfig -Confirm:$false");
            Assert.Equal("NothingToRestore", Id(Assert.Single(nothing.Errors)));

            // Another instance (its own database) with this instance's backup copied in.
            SampleShop other = Shop("other", gateways: Gateways.Production);
            string backupFolder = Path.Combine(shop.Root, "var", "commerceservices", "backups");
            string otherFolder = Directory.CreateDirectory(Path.Combine(other.Root, "var", "commerceservices", "backups")).FullName;
            string newest = Directory.GetFiles(backupFolder).OrderByDescending(f => f, StringComparer.Ordinal).First();
            File.Copy(newest, Path.Combine(otherFolder, Path.GetFileName(newest)));
            string otherRows = other.Sql("SELECT path, value FROM " + other.TablePrefix + "core_config_data ORDER BY path");
            ScriptResult foreign = Run("Restore-CommerceServicesConfig -Latest -Confirm:$false", "Connect-CommerceInstance ./other");
            Assert.Equal("ConfigBackupUnreadable", Id(Assert.Single(foreign.Errors)));
            Assert.Contains("not of " + other.Root, foreign.Errors[0].Exception.Message, StringComparison.Ordinal);
            Assert.Equal(otherRows, other.Sql("SELECT path, value FROM " + other.TablePrefix + "core_config_data ORDER BY path"));

            // A truncated backup.
            byte[] content = File.ReadAllBytes(newest);
            File.WriteAllBytes(newest, content.Take(content.Length / 2).ToArray());
            ScriptResult tampered = Run("Restore-CommerceServicesConfig -Latest -Confirm:$false");
            Assert.Equal("ConfigBackupUnreadable", Id(Assert.Single(tampered.Errors)));
            Assert.Contains("truncated or edited", tampered.Errors[0].Exception.Message, StringComparison.Ordinal);
            Assert.Equal(rows, Rows());
        }

        [Fact]
        public void AKeyPairTheGatewayNoLongerAcceptsIsNotPutBack()
        {
            variables["old"] = Emulator.IssueKey("MAGE-ID").BaseObject;
            Assert.Empty(Run("$old | Set-CommerceApiKey").Errors);
            variables["new"] = Emulator.IssueKey("MAGE-ID").BaseObject;
            Assert.Empty(Run("$new | Set-CommerceApiKey").Errors);
            string rows = Rows();

            ScriptResult restore = Run("Restore-CommerceServicesConfig -Latest -Confirm:$false");

            ErrorRecord error = Assert.Single(restore.Errors);
            Assert.Equal("ApiKeyRejected", Id(error));
            Assert.Contains("no longer accepts the key pair in the backup", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(rows, Rows());
        }

        [Fact]
        public void LeavingAProductionDataSpaceAfterAKeyChangeInTheSameSessionNeedsForce()
        {
            variables["key"] = Emulator.IssueKey("MAGE-ID").BaseObject;
            Assert.Empty(Run("$key | Set-CommerceApiKey; $null = New-SaasProject -Name 'Storefront'; Get-SaasDataSpace -Type Production | Set-CommerceDataSpace -Confirm:$false").Errors);
            string dataSpace = shop.Value("services_connector/services_id/environment_id");
            Assert.NotEqual(string.Empty, dataSpace);

            // In one session: the key pair is stored again, then the identifier's backup (before the data space was chosen) is restored.
            const string Script = @"$key | Set-CommerceApiKey
                $backup = Get-CommerceServicesConfigBackup | Where-Object { $_.Command -eq 'Set-CommerceDataSpace' }
                $backup | Restore-CommerceServicesConfig -Confirm:$false {0}";
            ScriptResult refused = Run(Script.Replace("{0}", string.Empty, StringComparison.Ordinal));
            Assert.Equal("ProductionIdentifierAfterKeyChange", Id(Assert.Single(refused.Errors)));
            Assert.Equal(dataSpace, shop.Value("services_connector/services_id/environment_id"));

            ScriptResult forced = Run(Script.Replace("{0}", "-Force", StringComparison.Ordinal));
            Assert.Empty(forced.Errors);
            Assert.Equal(string.Empty, shop.Value("services_connector/services_id/environment_id"));
        }

        [Fact]
        public void AFleetIsRestoredInstanceByInstanceAndOneThatFailsIsLeftAsItWas()
        {
            SampleShop broken = Shop("broken", gateways: Gateways.Production);
            variables["moment"] = DateTime.Now;
            System.Threading.Thread.Sleep(50);
            const string Connect = "Connect-CommerceInstance ./shop, ./broken";
            Assert.Empty(Run("Get-CommerceInstance | Set-CommerceImsOrganization -OrganizationId 0123456789ABCDEF01234567@AdobeOrg", Connect).Errors);
            string backup = Directory.GetFiles(Path.Combine(broken.Root, "var", "commerceservices", "backups")).Single();
            File.WriteAllText(backup, "{ \"instance\": ");

            ScriptResult restore = Run("Get-CommerceInstance | Restore-CommerceServicesConfig -Before $moment -Confirm:$false", Connect);

            ErrorRecord error = Assert.Single(restore.Errors);
            Assert.Equal("ConfigBackupUnreadable", Id(error));
            Assert.Equal(string.Empty, shop.Value(ImsOrganization));
            Assert.Equal("0123456789ABCDEF01234567@AdobeOrg", broken.Value(ImsOrganization));
        }
    }
}
