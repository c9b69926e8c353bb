using System.Security.Cryptography;
using System.Text;

namespace CommerceServices.Tests
{
    /// <summary>
    /// The leak scan over every cmdlet: instances with both stores are provisioned, read, renamed, checked
    /// and broken in every way the tests know (gateway faults, refused and revoked keys, a crypt key that no
    /// longer opens the stored keys, files that do not parse next to a crypt key, a database password that
    /// is wrong), with every stream on. Everything that comes out is searched for a fragment of a private
    /// key, an API key, the crypt key or the database password: each record on every stream, every output
    /// object and error record as PowerShell would serialize it (CliXml, which Export-Clixml, remoting and jobs
    /// use), what the host showed, and every file under the instances except the instance's own env.php and
    /// its backups, which hold the crypt key as Magento's do (and the keys only encrypted).
    /// </summary>
    public sealed class SecretLeakScanTests : ShopTests
    {
        private const string Preferences =
            "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $WarningPreference = 'Continue'; $ProgressPreference = 'Continue'\n";

        /// <summary>A crypt key of this test's own, so a fragment of it can only come from the instance.</summary>
        private readonly string cryptKey = "base64" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        private readonly Xunit.Abstractions.ITestOutputHelper output;

        public SecretLeakScanTests(MariaDbFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
            : base(fixture) => this.output = output;

        [Theory]
        [InlineData("Database")]
        [InlineData("EnvPhp")]
        public void NoCmdletShowsOrWritesASecretOnAnyPath(string store)
        {
            // It exports its catalog (a rejected product with an error text) and has a bin/magento, so the data export cmdlets take every path.
            var sample = new SampleInstance { TablePrefix = "ls_", CryptKey = cryptKey, Installed = store == "Database", EnabledModules = new[] { "Magento_DataExporter", "Magento_SaaSCommon", "Magento_CatalogDataExporter" } };
            if (store == "EnvPhp")
            {
                sample.EnvPhpSystem = "'services_connector' => ['production_gateway_url' => '" + Emulator.ProductionUri + "', 'sandbox_gateway_url' => '" + Emulator.SandboxUri + "']";
            }

            SampleShop shop = Shop("shop", sample);
            shop.Sql(ExportTables.StateTablesSql("ls_") + ExportTables.FeedTableSql("ls_", "cde_products_feed", FeedTableShape.Feed) + ExportTables.ChangelogSql("ls_", "cde_products_feed")
                + ExportTables.IndexerStateSql("ls_", "catalog_data_exporter_products", "cde_products_feed") + ExportTables.FeedRowsSql("ls_", "cde_products_feed", 1, 5, 200)
                + ExportTables.FeedRowsSql("ls_", "cde_products_feed", 6, 1, 400, errors: "Invalid value", metadata: "[\"request-1\"]"));
            FakeBinMagento.WriteTo(InstancePath("shop"));
            PSObject production = Emulator.IssueKey("MAGE-LEAK-" + store, "AdobeCommerce", "Production");
            PSObject sandbox = Emulator.IssueKey("MAGE-LEAK-" + store, "AdobeCommerce", "Sandbox");
            var secrets = Secrets(production, sandbox);
            var variables = new Dictionary<string, object?>
            {
                ["store"] = store,
                ["productionApiKey"] = production.Properties["ApiKey"].Value,
                ["productionKeyPath"] = production.Properties["PrivateKeyPath"].Value,
                ["sandboxApiKey"] = sandbox.Properties["ApiKey"].Value,
                ["sandboxKeyPath"] = sandbox.Properties["PrivateKeyPath"].Value,
                ["cryptKey"] = cryptKey,
                ["databasePassword"] = MariaDbServer.Password,
                ["productionKey"] = TempFolder.Secure(File.ReadAllText((string)production.Properties["PrivateKeyPath"].Value)),
                ["sandboxKey"] = TempFolder.Secure(File.ReadAllText((string)sandbox.Properties["PrivateKeyPath"].Value)),
            };

            var steps = new List<(string Name, string Script)>
            {
                ("connect", "Connect-CommerceInstance ./shop -ConfigStore $store -Role Staging -PassThru; Get-CommerceInstance"),
                ("key check", "Test-CommerceApiKey -ApiKey $productionApiKey -PrivateKeyPath $productionKeyPath -Online -GatewayUri $emulator.ProductionUri; Test-CommerceApiKey -ApiKey $productionApiKey -PrivateKey $productionKey -Online -Quiet -GatewayUri $emulator.ProductionUri"),
                ("store keys", "Set-CommerceApiKey -ApiKey $productionApiKey -PrivateKey $productionKey -PassThru; Set-CommerceApiKey -ApiKey $sandboxApiKey -PrivateKeyPath $sandboxKeyPath -Environment Sandbox -PassThru"),
                ("import a key", "Import-CommerceApiKey -ApiKey $sandboxApiKey -PrivateKeyPath $sandboxKeyPath -Environment Sandbox | Get-SaasProject -GatewayUri $emulator.SandboxUri"),
                ("read keys and settings", "Get-CommerceApiKey; Get-CommerceApiKey -Environment Sandbox; Get-CommerceServicesConfig; Get-CommerceServicesConfig -Path 'services_connector/*'"),
                ("projects", "New-SaasProject -Name 'Leak' ; Get-SaasProject | Rename-SaasProject -NewName 'Leak 2' -PassThru; Get-SaasProject -Name 'Leak 2' | Set-CommerceProject -Confirm:$false -PassThru"),
                ("data spaces", "Get-SaasDataSpace; Get-SaasDataSpace -Name 'Testing 1' | Rename-SaasDataSpace -NewName 'Leak space' -PassThru | Set-CommerceDataSpace -Confirm:$false -PassThru"),
                ("other settings", "Set-CommerceImsOrganization -OrganizationId 'ABCDEF0123456789ABCDEF01@AdobeOrg' -PassThru -DeferConfigImport; Set-CommerceGatewayEnvironment -Environment Sandbox -PassThru -DeferConfigImport; Set-CommerceGatewayEnvironment -Environment Production -DeferConfigImport"),
                ("what if", "Set-CommerceApiKey -ApiKey $productionApiKey -PrivateKeyPath $productionKeyPath -WhatIf; Get-SaasProject | Set-CommerceProject -WhatIf; @(Get-SaasDataSpace)[0] | Set-CommerceDataSpace -WhatIf; New-SaasProject -Name 'x' -WhatIf"),
                ("connection check", "Test-CommerceConnection; Test-CommerceConnection -Offline; Test-CommerceConnection -Quiet"),
                ("data export", "Get-CommerceDataExportStatus; Get-CommerceDataExportStatus -Feed products, orders | ForEach-Object { $_.FirstErrors; $_.StatusCounts }\n"
                    + "Start-CommerceDataExportResync -Feed products -ById SKU-6 -Confirm:$false; Start-CommerceDataExportResync -Feed products -WhatIf; Start-CommerceDataExportResync -Feed orders"),

                // Secrets left out, and -IncludeSecret refused for want of a confirmation: never a key on any stream.
                ("export for Cloud", "Export-CommerceServicesConfig CloudVariables | ForEach-Object { $_; $_.ToString(); $_.Command }; Export-CommerceServicesConfig Dotenv -Verbose\n"
                    + "Export-CommerceServicesConfig Dotenv -IncludeSecret; Export-CommerceServicesConfig MagentoEnvYaml; Export-CommerceServicesConfig CloudVariables -Path nothing"),

                // A desired state (in keys/, with the user's own key files: it holds the API keys) applied, tested, shown as JSON, and one whose secret is missing.
                ("desired state", "[IO.File]::WriteAllText(\"$PWD/keys/state.psd1\", \"@{ Instance = '../shop'; ConfigStore = '$store'; Role = 'Staging'; ImsOrganizationId = '0123456789ABCDEF0123456A@AdobeOrg'; DataSpace = 'Leak space'; KeyPairs = @{ Production = @{ ApiKey = '$productionApiKey'; PrivateKeyPath = '$productionKeyPath' }; Sandbox = @{ ApiKey = '$sandboxApiKey'; PrivateKeySecret = 'sandbox' } } }\")\n"
                    + "Test-CommerceServicesState -Path ./keys/state.psd1 -Secret @{ sandbox = $sandboxKey }; Set-CommerceServicesState -Path ./keys/state.psd1 -Secret @{ sandbox = $sandboxKey } -DeferConfigImport -PassThru\n"
                    + "Set-CommerceServicesState -Path ./keys/state.psd1 -Secret @{ sandbox = $sandboxKey } -AsJson -WhatIf; Set-CommerceServicesState -Path ./keys/state.psd1 -AsJson; Test-CommerceServicesState -Path ./keys/state.psd1 -Secret @{ sandbox = 'pasted' }"),
            };
            // The gateway's faults take the same paths whatever the store: run once, with the database store.
            foreach (string fault in store == "Database" ? new[] { "InternalServerError", "ServiceUnavailable", "DropConnection", "MalformedJson", "MessageBody", "TooManyRequests" } : Array.Empty<string>())
            {
                steps.Add(("gateway fault " + fault,
                    "$f = [CommerceServices.Emulator.EmulatorFault]::new('" + fault + "', 0); $f.RetryAfterSeconds = 0; $null = $emulator.AddFault($f)\n"
                    + "Get-SaasProject; New-SaasProject -Name 'Fault'; Get-SaasDataSpace; Test-CommerceConnection; Test-CommerceApiKey -ApiKey $productionApiKey -PrivateKeyPath $productionKeyPath -Online -GatewayUri $emulator.ProductionUri\n"
                    + "Set-CommerceApiKey -ApiKey $productionApiKey -PrivateKeyPath $productionKeyPath\n"
                    + "$emulator.ClearFaults()"));
            }

            steps.AddRange(new[]
            {
                ("a refused key", "$f = [CommerceServices.Emulator.EmulatorFault]::new('MessageBody', 0); $f.Message = 'JWT is invalid'; $null = $emulator.AddFault($f)\n"
                    + "Set-CommerceApiKey -ApiKey $productionApiKey -PrivateKeyPath $productionKeyPath; Get-SaasProject; Test-CommerceConnection\n$emulator.ClearFaults()"),
                ("a revoked key", "$null = New-CommerceServicesEmulatorKey -Emulator $emulator -MageId ('MAGE-LEAK-' + $store) -Edition AdobeCommerce -Environment Production -Directory ./revoking\n"
                    + "Get-SaasProject; Get-SaasDataSpace; Test-CommerceConnection; Set-CommerceApiKey -ApiKey $productionApiKey -PrivateKeyPath $productionKeyPath"),
                ("the wrong crypt key", "$env = [IO.Path]::Combine((Get-CommerceInstance).Path, 'app/etc/env.php')\n"
                    + "$text = [IO.File]::ReadAllText($env); [IO.File]::WriteAllText($env, $text.Replace($cryptKey, 'base64' + [Convert]::ToBase64String([byte[]]::new(32))))\n"
                    + "Get-CommerceApiKey; Get-CommerceServicesConfig; Get-SaasProject; Test-CommerceConnection; Set-CommerceApiKey -ApiKey $productionApiKey -PrivateKeyPath $productionKeyPath\n"
                    + "[IO.File]::WriteAllText($env, $text)"),
                ("files that do not parse", "$env = [IO.Path]::Combine((Get-CommerceInstance).Path, 'app/etc/env.php'); $text = [IO.File]::ReadAllText($env)\n"
                    + "[IO.File]::WriteAllText($env, $text.Replace(\"'$cryptKey'\", \"'$cryptKey' 'x'\")); Connect-CommerceInstance ./shop -ConfigStore $store; Get-CommerceApiKey\n"
                    + "[IO.File]::WriteAllText($env, $text.Replace(\"'$cryptKey'\", $cryptKey)); Connect-CommerceInstance ./shop -ConfigStore $store\n"
                    + "[IO.File]::WriteAllText($env, $text.Replace(\"'$cryptKey'\", \"'$cryptKey\")); Connect-CommerceInstance ./shop -ConfigStore $store\n"
                    + "[IO.File]::WriteAllText($env, $text); Connect-CommerceInstance ./shop -ConfigStore $store"),
                ("a wrong database password", "$env = [IO.Path]::Combine((Get-CommerceInstance).Path, 'app/etc/env.php'); $text = [IO.File]::ReadAllText($env)\n"
                    + "[IO.File]::WriteAllText($env, $text.Replace($databasePassword, 'Not-the-' + $databasePassword))\n"
                    + "Connect-CommerceInstance ./shop -ConfigStore $store; Get-CommerceServicesConfig; Get-CommerceApiKey; Test-CommerceConnection; Get-CommerceDataExportStatus; Set-CommerceApiKey -ApiKey $productionApiKey -PrivateKeyPath $productionKeyPath\n"
                    + "[IO.File]::WriteAllText($env, $text)"),
                ("disconnect", "Connect-CommerceInstance ./shop -ConfigStore $store; Disconnect-CommerceInstance; Disconnect-CommerceInstance -All"),
            });

            // All steps in one runspace, as a session would run them, each marked in the output with the time it started.
            var script = new StringBuilder(Preferences);
            foreach ((string name, string body) in steps)
            {
                script.Append("'== ").Append(name).Append(" ' + [DateTime]::UtcNow.ToString('HH:mm:ss.fff')\n").Append(body).Append('\n');
            }

            ScriptResult run = Emulator.Run(script.ToString(), variables, formatOutput: false);
            foreach (object step in run.Output.Where(o => o is string text && text.StartsWith("== ", StringComparison.Ordinal)))
            {
                output.WriteLine((string)step);
            }

            output.WriteLine(run.Errors.Count + " errors: " + string.Join(", ", run.ErrorIds.GroupBy(e => e).Select(g => g.Count() + " " + g.Key)));
            foreach (ErrorRecord e in run.Errors.Where(e => !e.FullyQualifiedErrorId.Contains("CommerceServices", StringComparison.Ordinal)))
            {
                output.WriteLine("  " + e.FullyQualifiedErrorId + ": " + e.Exception.Message + " @ " + e.InvocationInfo?.Line?.Trim());
            }

            output.WriteLine("output types: " + string.Join(", ", run.Output.GroupBy(o => o.GetType().Name).Select(g => g.Count() + " " + g.Key)));

            string everything = run.AllText() + string.Concat(run.Records.Select(r => PSSerializer.Serialize(r.Value, 4)));
            int scanned = SecretScan.AssertNone(secrets, everything, store + " streams");

            // The error paths did run.
            var expectedErrors = new List<string> { "ApiKeyRejected", "ConfigFileNotReadable", "ProductionDataSpaceOnNonProduction", "DataExportFeedNotInstalled", "DatabaseUnavailable", "SecretExportNotConfirmed", "MagentoEnvYamlHoldsNoConnectorSetting", "ConfigPathUnknown", "DesiredStateSecretNotFound", "PlainTextSecretRefused" };
            if (store == "Database")
            {
                expectedErrors.AddRange(new[] { "GatewayUnavailable", "GatewayProtocolError", "ApiKeyNotChecked" });
            }

            Assert.Empty(expectedErrors.Except(run.ErrorIds.Select(id => id.Split(',')[0])));
            Assert.Contains(run.Output, o => o.GetType().Name == "CommerceConnectionReport");
            Assert.Contains(run.Output, o => o.GetType().Name == "FeedItemError");
            Assert.Contains(run.Output, o => o.GetType().Name == "DataExportResyncResult");

            // The same session formatted, as a console shows it.
            ScriptResult shown = Emulator.Run(Preferences + string.Join("\n", steps.Take(12).Select(s => s.Script)), variables, formatOutput: true);
            SecretScan.AssertNone(secrets, shown.AllText(), store + " console");

            foreach (string file in Directory.EnumerateFiles(Emulator.Folder.Path, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(Emulator.Folder.Path, file);
                if (relative.StartsWith("keys" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("revoking" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    continue;
                }

                string name = Path.GetFileName(file);
                bool instanceConfig = relative.StartsWith("shop" + Path.DirectorySeparatorChar + "app" + Path.DirectorySeparatorChar + "etc" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    && (name == "env.php" || name.StartsWith("env.php.commerceservices-", StringComparison.Ordinal));
                string text = Encoding.Latin1.GetString(File.ReadAllBytes(file));
                SecretScan.AssertNone(instanceConfig ? secrets.Where(s => s.Kind != "crypt key" && s.Kind != "database password").ToList() : secrets, text, store + " file " + relative);
            }

            Assert.True(scanned > 100_000, "too little was scanned: " + scanned + " characters");
        }

        [Theory]
        [InlineData("$key.ApiKey.Substring(3, 14)")]
        [InlineData("& { [CmdletBinding()] param() $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([Exception]::new('x'), 'Leak', 'NotSpecified', $key)) }")]
        [InlineData("& { [CmdletBinding()] param() $PSCmdlet.WriteVerbose([IO.File]::ReadAllText($key.PrivateKeyPath).Substring(400, 13)) } -Verbose")]
        [InlineData("[pscustomobject]@{ Inner = [pscustomobject]@{ Deeper = @($cryptKey.Substring(10, 20)) } }")]
        [InlineData("throw [Exception]::new('outer', [Exception]::new('inner ' + $databasePassword))")]
        public void TheScanFindsASecretAnywhere(string leakingScript)
        {
            // The scan must be able to fail: a deliberate leak in an object, an error's target, a stream, a nested
            // property or an inner exception is caught.
            PSObject key = Emulator.IssueKey("MAGE-LEAK-CONTROL");
            ScriptResult run = Emulator.Run(
                leakingScript,
                new() { ["key"] = key.BaseObject, ["cryptKey"] = cryptKey, ["databasePassword"] = MariaDbServer.Password });

            string everything = run.AllText() + string.Concat(run.Records.Select(r => PSSerializer.Serialize(r.Value, 4)));
            Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => SecretScan.AssertNone(Secrets(key, key), everything, leakingScript));
        }

        /// <summary>Every secret the scenario holds, with the part of it that must never appear.</summary>
        private List<(string Kind, string Text)> Secrets(PSObject production, PSObject sandbox)
        {
            var secrets = new List<(string, string)>();
            foreach (PSObject key in new[] { production, sandbox })
            {
                string pem = File.ReadAllText((string)key.Properties["PrivateKeyPath"].Value);

                // The base64 body, less the fixed prefix all RSA PKCS#8 keys share.
                secrets.Add(("private key", TestKeys.Body(pem).Substring(32)));
                secrets.Add(("API key", (string)key.Properties["ApiKey"].Value));
            }

            secrets.Add(("crypt key", cryptKey.Substring("base64".Length)));
            secrets.Add(("database password", MariaDbServer.Password));
            return secrets;
        }
    }
}
