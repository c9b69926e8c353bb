namespace CommerceServices.Tests
{
    /// <summary>
    /// Feeds known private keys through the cmdlets with every stream turned on, good and bad
    /// keys, files and SecureStrings, and searches everything that came out for any fragment of
    /// the key.
    /// </summary>
    public class SecretLeakTests
    {
        private const string Preferences =
            "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $WarningPreference = 'Continue'\n";

        public static TheoryData<string, string> KeysInEveryState()
        {
            string pkcs8 = TestKeys.Pkcs8Pem(TestKeys.Main);
            string pkcs1 = TestKeys.Pkcs1Pem(TestKeys.Main);
            return new TheoryData<string, string>
            {
                { "valid PKCS#8", pkcs8 },
                { "valid PKCS#1", pkcs1 },
                { "one line", pkcs8.Replace("\n", string.Empty) },
                { "no markers", TestKeys.Body(pkcs8) },
                { "corrupt", pkcs8.Insert(pkcs8.IndexOf('\n') + 30, "!") },
                { "truncated", pkcs8[..(pkcs8.Length / 2)] },
                { "mismatched markers", pkcs8.Replace("END PRIVATE KEY", "END RSA PRIVATE KEY") },
                { "two keys", pkcs8 + TestKeys.Pkcs8Pem(TestKeys.Other) },
            };
        }

        [Theory]
        [MemberData(nameof(KeysInEveryState))]
        public void NoFragmentOfThePrivateKeyAppearsOnAnyStream(string state, string pem)
        {
            using var folder = new TempFolder();
            string path = folder.Write("key.pem", pem);
            var secure = TempFolder.Secure(pem);

            var scripts = new[]
            {
                "Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $key -Verbose -Debug",
                "Test-CommerceApiKey -ApiKey $apiKey -PrivateKeyPath $path -Environment Sandbox -Verbose",
                "Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $key -Quiet -Verbose",
                "[pscustomobject]@{ ApiKey = $apiKey; PrivateKey = $key } | Test-CommerceApiKey | ForEach-Object { $_; $_.ToString(); $_.Details }",
                // The key pasted into the wrong parameter, and a plain string where a SecureString belongs.
                "Test-CommerceApiKey -ApiKey $pem -PrivateKeyPath $path",
                "Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $pem",
                // Piped by property name as a plain string: nothing of it in $Error either.
                "[pscustomobject]@{ ApiKey = $apiKey; PrivateKey = $pem } | Test-CommerceApiKey; $Error | Format-List * -Force; $Error | ForEach-Object { $_.TargetObject; $_.InvocationInfo } | Format-List * -Force",
                "[pscustomobject]@{ ApiKey = $apiKey; PrivateKey = $pem } | Import-CommerceApiKey; [pscustomobject]@{ ApiKey = $apiKey; PrivateKey = $pem } | Get-SaasProject; $Error | ForEach-Object { $_.TargetObject } | Format-List * -Force",
            };

            foreach (string script in scripts)
            {
                ScriptResult run = PowerShellRunner.Run(
                    Preferences + script,
                    new() { ["apiKey"] = TestKeys.ApiKey, ["key"] = secure, ["path"] = path, ["pem"] = pem },
                    formatOutput: true);

                AssertNoFragment(pem, run.AllText(), state + " / " + script);
            }
        }

        [Theory]
        [InlineData("$body.Substring(200, 20)")]
        [InlineData("& { [CmdletBinding()] param() $PSCmdlet.WriteVerbose('x' + $body.Substring(300, 14)) } -Verbose")]
        [InlineData("& { [CmdletBinding()] param() $PSCmdlet.WriteWarning($body.Substring(350, 14)) }")]
        [InlineData("& { [CmdletBinding()] param() $PSCmdlet.WriteDebug($body.Substring(250, 14)) } -Debug")]
        [InlineData("& { [CmdletBinding()] param() $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([Exception]::new('x', [Exception]::new($body.Substring(400, 13))), 'Leak', 'NotSpecified', $null)) }")]
        [InlineData("throw $body.Substring(500, 12)")]
        public void TheScanFindsAFragmentOnAnyStream(string leakingScript)
        {
            // The scan itself must be able to fail: a deliberate leak on each stream is caught.
            string pem = TestKeys.Pkcs8Pem(TestKeys.Main);
            ScriptResult run = PowerShellRunner.Run(leakingScript, new() { ["body"] = TestKeys.Body(pem) });

            Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertNoFragment(pem, run.AllText(), leakingScript));
        }

        private static void AssertNoFragment(string pem, string everything, string context) =>
            // The base64 body of every block, less the fixed prefix all RSA PKCS#8/PKCS#1 keys share.
            SecretScan.AssertNone(pem.Split("-----", StringSplitOptions.RemoveEmptyEntries).Select(TestKeys.Body).Where(b => b.Length > 100).Select(b => ("private key", b.Substring(32))), everything, context);
    }
}
