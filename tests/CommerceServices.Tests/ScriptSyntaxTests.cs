using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using CommerceServices.ScriptHost;
using Xunit;

namespace CommerceServices.Tests
{
    /// <summary>
    /// The Pester tests, build.ps1 and the examples run on machines with pwsh, not here; they
    /// must at least be valid PowerShell, checked by the engine's own parser.
    /// </summary>
    public class ScriptSyntaxTests
    {
        public static TheoryData<string> Scripts()
        {
            string root = ModuleLocation.RepositoryRoot;
            var files = Directory.GetFiles(Path.Combine(root, "tests", "Pester"), "*.ps1")
                .Concat(Directory.GetFiles(Path.Combine(root, "examples"), "*.ps1"))
                .Append(Path.Combine(root, "build.ps1"))
                .Append(Path.Combine(root, "CommerceServices.psd1"))
                .Select(f => Path.GetRelativePath(root, f));
            return new TheoryData<string>(files);
        }

        [Theory]
        [MemberData(nameof(Scripts))]
        public void ParsesWithoutErrors(string relativePath)
        {
            Parser.ParseFile(Path.Combine(ModuleLocation.RepositoryRoot, relativePath), out _, out ParseError[] errors);

            Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.Extent.StartLineNumber + ": " + e.Message)));
        }

        [Fact]
        public void EveryPesterFileIsFound()
        {
            Assert.Contains(Scripts().Cast<object[]>().Select(row => (string)row[0]), path => path.EndsWith("Test-CommerceApiKey.Tests.ps1", System.StringComparison.Ordinal));
        }
    }
}
