using System;
using System.IO;
using CommerceServices.ScriptHost;
using CommerceServices.Tests.Support;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Tests
{
    /// <summary>The scripts in examples/, run as the README's first command runs the quickstart: in the script host, as pwsh -File would.</summary>
    public class ExampleScriptTests
    {
        [Fact]
        public void QuickstartConnectsASampleInstanceFromScratch()
        {
            string output = RunExample("Quickstart.ps1");

            // Keys issued for an Adobe Commerce account, accepted online.
            Assert.Matches(@"True\s+Production\s+\S+\s+2048 Pkcs8\s+\S+ True", output);
            // Connected with the env.php store, as a Development instance without a database.
            Assert.Matches(@"shop\s+AdobeCommerce\s+2\.4\.7-p3\s+developer\s+Development\s+True\s+EnvPhp\s+\(not installed\)", output);
            // Not connected at first, and why.
            Assert.Matches(@"shop\s+False\s+Production\s+ProductionKeyPair, SandboxKeyPair", output);
            Assert.Contains("The Production key pair is not set (R10).", output, StringComparison.Ordinal);
            Assert.Contains("No SaaS project is chosen (R10).", output, StringComparison.Ordinal);
            // Both pairs stored encrypted in env.php, a project, a Testing data space.
            Assert.Matches(@"shop\s+Production\s+True\s+\S+\s+2048 \S+ EnvPhp\s+True", output);
            Assert.Matches(@"shop\s+Sandbox\s+True\s+\S+\s+2048 \S+ EnvPhp\s+True", output);
            Assert.Matches(@"Quickstart store\s+[0-9a-f-]{36} Production\s+Production, Testing 1, Testing 2", output);
            Assert.Matches(@"services_connector/services_id/environment\s+EnvPhp\s+True\s+Testing", output);
            // Connected, every online check passing, and the effective configuration.
            Assert.Matches(@"shop\s+True\s+Production\s+Quickstart store Testing 1 \(Testing\)", output);
            Assert.Matches(@"SaasIdentifierOnline\s+Pass", output);
            Assert.Contains("Connected: True", output, StringComparison.Ordinal);
            Assert.Matches(@"services_connector/production_gateway_url\s+EnvPhp\s+True\s+http://127\.0\.0\.1:", output);
            Assert.DoesNotContain("WARNING", output, StringComparison.Ordinal);
            Assert.DoesNotContain("BEGIN PRIVATE KEY", output, StringComparison.Ordinal);
            Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
        }

        [Fact]
        public void KeyPairExampleChecksKeysAndManagesProjects()
        {
            string output = RunExample("KeyPairs.ps1");

            Assert.Contains("IsValid Environment ApiKey      KeySize Format Fingerprint         Online Problems", output, StringComparison.Ordinal);
            Assert.Contains("WARNING: The Sandbox private key is in PKCS#1 form", output, StringComparison.Ordinal);
            Assert.Contains("Repairs made to the pasted text: SingleLine, SpacesForNewlines", output, StringComparison.Ordinal);
            Assert.Contains("KeyTooShort", output, StringComparison.Ordinal);
            Assert.Contains("NotAPrivateKey", output, StringComparison.Ordinal);
            Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
            Assert.Matches(@"Storefront\s+[0-9a-f-]{36} Production  Production, Testing 1, Testing 2", output);
            Assert.Matches(@"Staging\s+Testing\s+[0-9a-f-]{36} Storefront", output);
            Assert.Contains("ApiKeyRejected", output, StringComparison.Ordinal);
        }

        [Fact]
        public void ConnectFromListTestsAFleetAndSaysWhyEachIsNotConnected()
        {
            string output = RunExample("ConnectFromList.ps1");

            Assert.Matches(@"live\s+AdobeCommerce\s+\S+\s+production Production\s+True\s+EnvPhp", output);
            Assert.Matches(@"dev\s+AdobeCommerce\s+\S+\s+production Development\s+False\s+Database", output);
            // The staging copy of live's env.php: R7 on the copy, R6 on both.
            Assert.Matches(@"live\s+False\s+Production\s+Storefront\s+Production \(Production\)\s+SharedDataSpace", output);
            Assert.Matches(@"staging\s+False\s+Production\s+Storefront\s+Production \(Production\)\s+ProductionDataSpaceRole, SharedData", output);
            Assert.Matches(@"dev\s+False\s+Production\s+ConnectorModules, ProductionKeyPair", output);
            Assert.Matches(@"db-down\s+False\s+Production\s+Database", output);
            Assert.Contains("test data would overwrite live data (R7)", output, StringComparison.Ordinal);
            Assert.Contains("Connected: 0 of 4", output, StringComparison.Ordinal);
            // After the fix, in list order.
            Assert.Matches(@"live\s+True\s+Production\s+Storefront\s+Production \(Production\)\s*\n\s*staging\s+True\s+Production\s+Storefront\s+Testing 1 \(Testing\)", output);
        }

        [Fact]
        public void RotateKeysStoresTheNewPairEverywhereItCanAndTestsTheFleet()
        {
            string output = RunExample("RotateKeys.ps1");

            string before = output.Substring(0, output.IndexOf("== 1.", StringComparison.Ordinal));
            string after = output.Substring(output.IndexOf("== 4.", StringComparison.Ordinal));
            foreach (string shop in new[] { "shop-de", "shop-fr", "shop-uk" })
            {
                Assert.Matches(shop + @"\s+False\s+Production\s+\S+\s+Testing \d \(Testing\)\s+ProductionKeyOnline", before);
                Assert.Matches(shop + @"\s+True\s+Production", after);
                Assert.Matches(shop + @"\s+Production\s+True\s+\S+\s+2048 \S+ EnvPhp\s+True", output);
            }

            Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(output, "What if: Performing the operation \"Store the Production API key pair").Count);
            Assert.Matches(@"NOT CHANGED: .*shop-us .*Nothing was changed\. \(ConfigHashNotUpdatable\)", output);
            Assert.Matches(@"shop-us\s+False\s+Production\s+Database", after);
            Assert.DoesNotContain("BEGIN PRIVATE KEY", output, StringComparison.Ordinal);
        }

        /// <summary>Runs examples/<paramref name="name"/> as the README does; it must exit 0.</summary>
        private static string RunExample(string name)
        {
            string output = ScriptHostProcess.Run(out int exitCode, Path.Combine(ModuleLocation.RepositoryRoot, "examples", name));
            Assert.True(exitCode == 0, output);
            return output;
        }

        [Fact]
        public void ExitCodesAreThoseOfPwshFile()
        {
            using var folder = new TempFolder();
            string stops = folder.Write("stops.ps1", "$ErrorActionPreference = 'Stop'; Test-CommerceApiKey -ApiKey k1 -PrivateKeyPath ./missing.pem; 'not reached'");
            string goesOn = folder.Write("goes-on.ps1", "Test-CommerceApiKey -ApiKey k1 -PrivateKeyPath ./missing.pem; 'reached'");

            string stopped = ScriptHostProcess.Run(out int stoppedExitCode, stops);
            string wentOn = ScriptHostProcess.Run(out int wentOnExitCode, goesOn);

            Assert.Equal(1, stoppedExitCode);
            Assert.Contains("does not exist", stopped, StringComparison.Ordinal);
            Assert.DoesNotContain("not reached", stopped, StringComparison.Ordinal);
            Assert.Equal(0, wentOnExitCode);
            Assert.Contains("does not exist", wentOn, StringComparison.Ordinal);
            Assert.Contains("reached", wentOn, StringComparison.Ordinal);
        }
    }
}
