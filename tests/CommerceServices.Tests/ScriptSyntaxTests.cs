using System.Management.Automation.Language;

namespace CommerceServices.Tests
{
    /// <summary>
    /// The Pester tests, build.ps1 and the examples all run in the real pwsh (build.ps1 -Task Test),
    /// so a syntax error fails there. What a run cannot see are the branches it does not take (an
    /// example's real-instance path, a test's error path): this reads every script with the
    /// engine's parser and checks each call of the modules' cmdlets against the cmdlets themselves.
    /// </summary>
    public class ScriptSyntaxTests
    {
        public static TheoryData<string> Scripts()
        {
            string root = ModuleLocation.RepositoryRoot;
            var files = Directory.GetFiles(Path.Combine(root, "tests", "Pester"), "*.ps1")
                .Concat(Directory.GetFiles(Path.Combine(root, "examples"), "*.ps1", SearchOption.AllDirectories))
                .Append(Path.Combine(root, "build.ps1"))
                .Append(Path.Combine(root, "CommerceServices.psd1"))
                .Select(f => Path.GetRelativePath(root, f));
            return new TheoryData<string>(files);
        }

        /// <summary>
        /// Every parameter a script passes to one of the modules' cmdlets exists on it (by name,
        /// alias or unambiguous prefix), in every branch, run or not; and the script parses.
        /// </summary>
        [Theory]
        [MemberData(nameof(Scripts))]
        public void CallsTheModulesCmdletsWithParametersTheyHave(string relativePath)
        {
            Dictionary<string, string[]> parameters = CmdletParameters.Value;
            Ast ast = Parser.ParseFile(Path.Combine(ModuleLocation.RepositoryRoot, relativePath), out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.Extent.StartLineNumber + ": " + e.Message)));
            var wrong = new List<string>();
            foreach (CommandAst command in ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>())
            {
                string? name = command.GetCommandName();
                if (name == null || !parameters.TryGetValue(name, out string[]? known))
                {
                    continue;
                }

                foreach (CommandParameterAst parameter in command.CommandElements.OfType<CommandParameterAst>())
                {
                    string used = parameter.ParameterName;
                    bool exact = known.Contains(used, StringComparer.OrdinalIgnoreCase);
                    if (!exact && known.Count(k => k.StartsWith(used, StringComparison.OrdinalIgnoreCase)) != 1)
                    {
                        wrong.Add(parameter.Extent.StartLineNumber + ": " + name + " -" + used);
                    }
                }
            }

            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        }

        /// <summary>Each cmdlet of both modules with its parameter names and aliases, common parameters included.</summary>
        private static readonly Lazy<Dictionary<string, string[]>> CmdletParameters = new Lazy<Dictionary<string, string[]>>(() =>
        {
            ScriptResult run = PowerShellRunner.Run(
                "Get-Command -Module CommerceServices, CommerceServices.Emulator | ForEach-Object { $_.Name + '|' + (@($_.Parameters.Values | ForEach-Object { $_.Name; $_.Aliases }) -join ',') }");
            Assert.Empty(run.Errors);
            return run.Output.Cast<string>().Select(line => line.Split('|')).ToDictionary(p => p[0], p => p[1].Split(','), StringComparer.OrdinalIgnoreCase);
        });

        [Fact]
        public void EveryPesterFileIsFound()
        {
            Assert.Contains(Scripts().Cast<object[]>().Select(row => (string)row[0]), path => path.EndsWith("Test-CommerceApiKey.Tests.ps1", System.StringComparison.Ordinal));
        }
    }
}
