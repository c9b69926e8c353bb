namespace CommerceServices.Tests.Commands
{
    public class TestCommerceApiKeyTests
    {
        private const string ErrorIdSuffix = ",CommerceServices.PowerShell.Commands.TestCommerceApiKeyCommand";

        private static ScriptResult RunWithKey(string script, string pem, Dictionary<string, object?>? more = null)
        {
            var variables = new Dictionary<string, object?> { ["apiKey"] = TestKeys.ApiKey, ["key"] = TempFolder.Secure(pem) };
            foreach (var pair in more ?? new())
            {
                variables[pair.Key] = pair.Value;
            }

            return PowerShellRunner.Run(script, variables);
        }

        private static PSObject SingleResult(ScriptResult result)
        {
            Assert.Null(result.TerminatingError);
            Assert.Empty(result.Errors);
            object output = Assert.Single(result.Output);
            Assert.Equal("CommerceServices.Keys.ApiKeyTestResult", output.GetType().FullName);
            return PSObject.AsPSObject(output);
        }

        [Fact]
        public void ValidPairFromASecureString()
        {
            PSObject result = SingleResult(RunWithKey("Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $key", TestKeys.Pkcs8Pem(TestKeys.Main)));

            Assert.Equal(true, result.Properties["IsValid"].Value);
            Assert.Empty((string[])result.Properties["Problems"].Value);
            Assert.Equal("Production", result.Properties["Environment"].Value.ToString());
            Assert.Equal(2048, result.Properties["KeySize"].Value);
            Assert.Equal("Pkcs8", result.Properties["Format"].Value.ToString());
            Assert.Equal(TestKeys.Fingerprint(TestKeys.Main), result.Properties["Fingerprint"].Value);
            Assert.Equal("a1b2...8f90", result.Properties["ApiKeyHint"].Value);
            Assert.Empty((string[])result.Properties["Repairs"].Value);
        }

        [Fact]
        public void ValidPairFromAFileWithARelativePathResolvedAgainstTheCurrentLocation()
        {
            using var folder = new TempFolder();
            folder.Write("sandbox.pem", TestKeys.Pkcs8Pem(TestKeys.Large));

            ScriptResult run = PowerShellRunner.Run(
                "Test-CommerceApiKey -ApiKey $apiKey -PrivateKeyPath ./sandbox.pem -Environment Sandbox",
                new() { ["apiKey"] = TestKeys.ApiKey },
                location: folder.Path);
            PSObject result = SingleResult(run);

            Assert.Equal(true, result.Properties["IsValid"].Value);
            Assert.Equal("Sandbox", result.Properties["Environment"].Value.ToString());
            Assert.Equal(4096, result.Properties["KeySize"].Value);
        }

        public static TheoryData<string, string> EveryPrivateKeyProblem()
        {
            string pkcs8 = TestKeys.Pkcs8Pem(TestKeys.Main);
            return new TheoryData<string, string>
            {
                { "EmptyPrivateKey", "   " },
                { "MalformedPem", TestKeys.Body(pkcs8) },
                { "MalformedPem", pkcs8.Replace("-----END PRIVATE KEY-----", "-----END CERTIFICATE-----") },
                { "MalformedPem", pkcs8.Remove(pkcs8.IndexOf("\n-----END", StringComparison.Ordinal) - 3, 3) },
                { "MalformedPem", pkcs8.Insert(pkcs8.IndexOf('\n') + 5, "#") },
                { "EncryptedPrivateKey", TestKeys.EncryptedPkcs8Pem(TestKeys.Main) },
                { "NotAPrivateKey", TestKeys.PublicKeyPem(TestKeys.Main) },
                { "NotAPrivateKey", TestKeys.CertificatePem(TestKeys.Main) },
                { "UnsupportedKeyType", TestKeys.EcPkcs8Pem() },
                { "UnsupportedKeyType", TestKeys.EcSec1Pem() },
                { "KeyTooShort", TestKeys.Pkcs8Pem(TestKeys.Short) },
                { "MultiplePrivateKeys", pkcs8 + TestKeys.Pkcs8Pem(TestKeys.Other) },
            };
        }

        [Theory]
        [MemberData(nameof(EveryPrivateKeyProblem))]
        public void EveryPrivateKeyProblemIsAnAnswerNotAnError(string problem, string pem)
        {
            PSObject result = SingleResult(RunWithKey("Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $key", pem));

            Assert.Equal(false, result.Properties["IsValid"].Value);
            Assert.Equal(new[] { problem }, (string[])result.Properties["Problems"].Value);
            var detail = PSObject.AsPSObject(Assert.Single((object[])result.Properties["Details"].Value));
            Assert.Equal(problem, detail.Properties["Id"].Value.ToString());
            Assert.False(string.IsNullOrWhiteSpace((string)detail.Properties["Message"].Value));
        }

        [Fact]
        public void NullSecureStringIsEmptyPrivateKey()
        {
            PSObject result = SingleResult(PowerShellRunner.Run("Test-CommerceApiKey -ApiKey 'abc123' -PrivateKey $null"));

            Assert.Equal(new[] { "EmptyPrivateKey" }, (string[])result.Properties["Problems"].Value);
        }

        [Theory]
        [InlineData("''", "EmptyApiKey")]
        [InlineData("'   '", "EmptyApiKey")]
        [InlineData("$null", "EmptyApiKey")]
        [InlineData("'abc def'", "InvalidApiKey")]
        [InlineData("\"abc`tdef\"", "InvalidApiKey")]
        [InlineData("\"abc`u{200B}def\"", "InvalidApiKey")]
        [InlineData("'-----BEGIN PRIVATE KEY-----'", "InvalidApiKey")]
        public void EveryApiKeyProblem(string apiKeyLiteral, string problem)
        {
            PSObject result = SingleResult(RunWithKey($"Test-CommerceApiKey -ApiKey {apiKeyLiteral} -PrivateKey $key", TestKeys.Pkcs8Pem(TestKeys.Main)));

            Assert.Equal(false, result.Properties["IsValid"].Value);
            Assert.Equal(new[] { problem }, (string[])result.Properties["Problems"].Value);
            Assert.Equal(string.Empty, result.Properties["ApiKeyHint"].Value);
            // The private key is fine, and the answer still says which key it is.
            Assert.Equal(TestKeys.Fingerprint(TestKeys.Main), result.Properties["Fingerprint"].Value);
        }

        public static TheoryData<string> PasteAccidents() => new(TestKeys.PasteAccidents.Select(a => a.Name));

        [Theory]
        [MemberData(nameof(PasteAccidents))]
        public void EveryPasteAccidentIsRepairedAndReported(string accident)
        {
            var (_, mangle, repair) = TestKeys.PasteAccidents.Single(a => a.Name == accident);

            ScriptResult run = RunWithKey("Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $key -Verbose", mangle(TestKeys.Pkcs8Pem(TestKeys.Main)));
            PSObject result = SingleResult(run);

            Assert.Equal(true, result.Properties["IsValid"].Value);
            Assert.Contains(repair, (string[])result.Properties["Repairs"].Value);
            Assert.Equal(TestKeys.Fingerprint(TestKeys.Main), result.Properties["Fingerprint"].Value);
            Assert.Contains(run.Verbose, v => v.Message.StartsWith("Repaired in the Production private key:", StringComparison.Ordinal));
            Assert.Empty(run.Warnings);
        }

        [Fact]
        public void Pkcs1IsAcceptedWithAWarning()
        {
            ScriptResult run = RunWithKey("Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $key -Environment Sandbox", TestKeys.Pkcs1Pem(TestKeys.Main));
            PSObject result = SingleResult(run);

            Assert.Equal(true, result.Properties["IsValid"].Value);
            Assert.Equal("Pkcs1", result.Properties["Format"].Value.ToString());
            WarningRecord warning = Assert.Single(run.Warnings);
            Assert.Contains("PKCS#1", warning.Message, StringComparison.Ordinal);
            Assert.Contains("converted to PKCS#8", warning.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void QuietReturnsOnlyABool()
        {
            ScriptResult good = RunWithKey("Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $key -Quiet", TestKeys.Pkcs8Pem(TestKeys.Main));
            ScriptResult bad = RunWithKey("Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $key -Quiet", TestKeys.Pkcs8Pem(TestKeys.Short));

            Assert.Equal(true, Assert.Single(good.Output));
            Assert.Equal(false, Assert.Single(bad.Output));
            Assert.Empty(good.Errors);
            Assert.Empty(bad.Errors);
        }

        [Fact]
        public void PipelineInputBindsByPropertyNameInOrder()
        {
            using var folder = new TempFolder();
            string production = folder.Write("production.pem", TestKeys.Pkcs8Pem(TestKeys.Main));
            string legacy = folder.Write("legacy.pem", TestKeys.Pkcs8Pem(TestKeys.Short));

            ScriptResult run = PowerShellRunner.Run(
                @"@(
                    [pscustomobject]@{ ApiKey = 'prodkey0001'; PrivateKeyPath = $production; Environment = 'Production' }
                    [pscustomobject]@{ ApiKey = 'sandkey0002'; PrivateKey = $secure; Environment = 'Sandbox' }
                    [pscustomobject]@{ ApiKey = 'sandkey0003'; PrivateKeyPath = $legacy }
                ) | Test-CommerceApiKey",
                new() { ["production"] = production, ["legacy"] = legacy, ["secure"] = TempFolder.Secure(TestKeys.Pkcs1Pem(TestKeys.Other)) });

            Assert.Empty(run.Errors);
            var results = run.Output.Select(PSObject.AsPSObject).ToList();
            Assert.Equal(3, results.Count);
            Assert.Equal(new object[] { true, true, false }, results.Select(r => r.Properties["IsValid"].Value));
            Assert.Equal(new[] { "Production", "Sandbox", "Production" }, results.Select(r => r.Properties["Environment"].Value.ToString()));
            Assert.Equal(new[] { TestKeys.Fingerprint(TestKeys.Main), TestKeys.Fingerprint(TestKeys.Other), null }, results.Select(r => (string?)r.Properties["Fingerprint"].Value));
        }

        [Fact]
        public void MissingFileIsANonTerminatingErrorAndTheNextPairIsStillTested()
        {
            using var folder = new TempFolder();
            string good = folder.Write("good.pem", TestKeys.Pkcs8Pem(TestKeys.Main));
            string missing = System.IO.Path.Combine(folder.Path, "missing.pem");

            ScriptResult run = PowerShellRunner.Run(
                "@([pscustomobject]@{ ApiKey = 'k1'; PrivateKeyPath = $missing }, [pscustomobject]@{ ApiKey = 'k2'; PrivateKeyPath = $good }) | Test-CommerceApiKey",
                new() { ["missing"] = missing, ["good"] = good });

            Assert.Null(run.TerminatingError);
            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("PrivateKeyFileNotFound" + ErrorIdSuffix, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(missing, error.TargetObject);
            Assert.Contains(missing, error.Exception.Message, StringComparison.Ordinal);
            Assert.NotNull(error.Exception.InnerException);
            Assert.Equal(true, PSObject.AsPSObject(Assert.Single(run.Output)).Properties["IsValid"].Value);
            Assert.Equal(PSStream.Error, run.Records[0].Stream);
        }

        [Fact]
        public void MissingFileWithErrorActionStopTerminates()
        {
            ScriptResult run = PowerShellRunner.Run("Test-CommerceApiKey -ApiKey k1 -PrivateKeyPath ./nope/missing.pem -ErrorAction Stop");

            Assert.NotNull(run.TerminatingError);
            Assert.Equal("PrivateKeyFileNotFound" + ErrorIdSuffix, run.TerminatingError!.ErrorRecord.FullyQualifiedErrorId);
        }

        [Fact]
        public void AFolderIsAnUnreadableKeyFile()
        {
            using var folder = new TempFolder();

            ScriptResult run = PowerShellRunner.Run("Test-CommerceApiKey -ApiKey k1 -PrivateKeyPath $folder", new() { ["folder"] = folder.Path });

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("PrivateKeyFileUnreadable" + ErrorIdSuffix, error.FullyQualifiedErrorId);
            Assert.Empty(run.Output);
        }

        [Fact]
        public void QuietWritesOnlyTheErrorForAnUnreadableFile()
        {
            ScriptResult run = PowerShellRunner.Run("Test-CommerceApiKey -ApiKey k1 -PrivateKeyPath ./missing.pem -Quiet");

            Assert.Single(run.Errors);
            Assert.Empty(run.Output);
        }

        [Fact]
        public void WithoutAPrivateKeyTheInvocationIsRejected()
        {
            ScriptResult run = PowerShellRunner.Run("Test-CommerceApiKey -ApiKey k1");

            AssertBindingError(run, "AmbiguousParameterSet");
        }

        [Fact]
        public void BothPrivateKeyFormsAtOnceAreRejected()
        {
            ScriptResult run = RunWithKey("Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $key -PrivateKeyPath ./x.pem", TestKeys.Pkcs8Pem(TestKeys.Main));

            AssertBindingError(run, "AmbiguousParameterSet");
        }

        [Fact]
        public void APlainStringIsNotAcceptedAsThePrivateKey()
        {
            string pem = TestKeys.Pkcs8Pem(TestKeys.Main);
            ScriptResult run = PowerShellRunner.Run("Test-CommerceApiKey -ApiKey k1 -PrivateKey $pem", new() { ["pem"] = pem });

            // An invalid invocation, refused by the cmdlet itself (the engine's binding error would keep the value).
            ErrorRecord error = Assert.Single(run.Errors);
            Assert.IsNotType<ParameterBindingException>(error.Exception);
            Assert.StartsWith("PlainTextPrivateKeyRefused" + ErrorIdSuffix, error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("-PrivateKeyPath", error.Exception.Message, StringComparison.Ordinal);
            Assert.Empty(run.Output);
            Assert.DoesNotContain(TestKeys.Body(pem)[40..60], run.AllText(), StringComparison.Ordinal);
        }

        [Fact]
        public void APlainStringPipedByPropertyNameIsThatRowsErrorAndStaysOutOfTheErrorRecord()
        {
            string pem = TestKeys.Pkcs8Pem(TestKeys.Main);
            ScriptResult run = PowerShellRunner.Run(
                "[pscustomobject]@{ ApiKey = 'k1'; PrivateKey = $pem }, [pscustomobject]@{ ApiKey = $apiKey; PrivateKey = $secure } | Test-CommerceApiKey | ForEach-Object IsValid",
                new() { ["pem"] = pem, ["apiKey"] = TestKeys.ApiKey, ["secure"] = TempFolder.Secure(pem) });

            Assert.Null(run.TerminatingError);
            ErrorRecord error = Assert.Single(run.Errors);
            Assert.StartsWith("PlainTextPrivateKeyRefused" + ErrorIdSuffix, error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Null(error.TargetObject);
            Assert.Equal(new object[] { true }, run.Output);
            Assert.DoesNotContain(TestKeys.Body(pem)[40..60], run.AllText(), StringComparison.Ordinal);
        }

        private static void AssertBindingError(ScriptResult run, string errorIdPrefix)
        {
            // An invalid invocation: the engine refuses it before the cmdlet runs, and nothing is written.
            ErrorRecord error = Assert.Single(run.Errors);
            Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
            Assert.StartsWith(errorIdPrefix + ErrorIdSuffix, error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Empty(run.Output);
        }

        [Fact]
        public void DefaultViewIsATableWithoutKeyMaterial()
        {
            string pem = TestKeys.Pkcs8Pem(TestKeys.Main);
            ScriptResult run = RunWithKey("Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $key", pem, null);
            ScriptResult formatted = PowerShellRunner.Run(
                "Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $key",
                new() { ["apiKey"] = TestKeys.ApiKey, ["key"] = TempFolder.Secure(pem) },
                formatOutput: true);

            string[] lines = formatted.HostText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToArray();
            Assert.Equal("IsValid Environment ApiKey      Fingerprint     Online Problems", lines[0]);
            Assert.StartsWith("True    Production  a1b2...8f90 " + TestKeys.Fingerprint(TestKeys.Main)[..12] + "...", lines[2], StringComparison.Ordinal);
            Assert.DoesNotContain(TestKeys.ApiKey, formatted.HostText, StringComparison.Ordinal);
            Assert.Single(run.Output);
        }

        [Fact]
        public void ResultToStringSaysWhatIsWrong()
        {
            ScriptResult run = RunWithKey("(Test-CommerceApiKey -ApiKey $apiKey -PrivateKey $key).ToString()", TestKeys.Pkcs8Pem(TestKeys.Short));

            Assert.Equal("Production key pair is not valid: KeyTooShort", Assert.Single(run.Output));
        }
    }
}
