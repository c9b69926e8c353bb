using System;
using System.IO;
using CommerceServices.ScriptHost;
using CommerceServices.Tests.Support;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Tests
{
    /// <summary>The README's first command: the script host runs examples/Quickstart.ps1.</summary>
    public class QuickstartTests
    {
        [Fact]
        public void QuickstartRunsAndShowsFormattedResults()
        {
            string script = Path.Combine(ModuleLocation.RepositoryRoot, "examples", "Quickstart.ps1");

            string output = ScriptHostProcess.Run(out int exitCode, script);

            Assert.True(exitCode == 0, output);
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
        public void AFailingScriptGivesANonZeroExitCode()
        {
            using var folder = new TempFolder();
            string script = folder.Write("fails.ps1", "Test-CommerceApiKey -ApiKey k1 -PrivateKeyPath ./missing.pem");

            string output = ScriptHostProcess.Run(out int exitCode, script);

            Assert.Equal(1, exitCode);
            Assert.Contains("does not exist", output, StringComparison.Ordinal);
        }
    }
}
