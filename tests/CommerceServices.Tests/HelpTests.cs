using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.Testing;
using CommerceServices.Tests.Support;
using Xunit;

namespace CommerceServices.Tests
{
    /// <summary>Get-Help shows full help for every cmdlet, and every example in it really runs.</summary>
    public class HelpTests
    {
        public static TheoryData<string> ExportedCmdlets()
        {
            ScriptResult result = PowerShellRunner.Run("Get-Command -Module CommerceServices | ForEach-Object Name");
            return new TheoryData<string>(result.Output.Cast<string>());
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void FullHelpHasSynopsisDescriptionEveryParameterAndExamples(string cmdlet)
        {
            ScriptResult result = PowerShellRunner.Run(
                @"$help = Get-Help $cmdlet -Full
                  $help.Synopsis
                  ($help.description | ForEach-Object { $_.Text }) -join ' '
                  (Get-Command $cmdlet).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters } | ForEach-Object {
                      $name = $_
                      $doc = $help.parameters.parameter | Where-Object { $_.name -eq $name }
                      '{0}={1}' -f $name, (($doc.description | ForEach-Object { $_.Text }) -join ' ')
                  }
                  @($help.examples.example).Count",
                new() { ["cmdlet"] = cmdlet });

            Assert.Empty(result.Errors);
            var lines = result.Output.Select(o => o.ToString()!).ToList();
            string synopsis = lines[0];
            Assert.False(string.IsNullOrWhiteSpace(synopsis));
            Assert.NotEqual(cmdlet, synopsis.Trim());
            Assert.True(lines[1].Length > 100, "description: " + lines[1]);
            foreach (string parameter in lines.Skip(2).Take(lines.Count - 3))
            {
                string[] parts = parameter.Split('=', 2);
                Assert.True(parts[1].Length > 20, "parameter " + parts[0] + " of " + cmdlet + " has no description");
            }

            Assert.True(int.Parse(lines[^1]) >= 2, cmdlet + " needs at least two examples");
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void EveryHelpExampleRunsWithoutErrors(string cmdlet)
        {
            using var folder = new TempFolder();
            folder.Write("production.pem", TestKeys.Pkcs8Pem(TestKeys.Main));
            folder.Write("sandbox.pem", TestKeys.Pkcs8Pem(TestKeys.Other));
            folder.Write("old-key.pem", TestKeys.Pkcs8Pem(TestKeys.Short));

            ScriptResult help = PowerShellRunner.Run("(Get-Help $cmdlet -Full).examples.example | ForEach-Object { $_.code }", new() { ["cmdlet"] = cmdlet });
            var examples = help.Output.Cast<string>().ToList();
            Assert.NotEmpty(examples);

            foreach (string code in examples)
            {
                ScriptResult run = PowerShellRunner.Run("$ErrorActionPreference = 'Stop'\n" + code, location: folder.Path);
                Assert.True(run.Errors.Count == 0, "example failed:\n" + code + "\n" + string.Join("\n", run.Errors.Select(e => e.ToString())));
            }
        }

        [Fact]
        public void ExampleOutputsAreWhatTheirRemarksSay()
        {
            using var folder = new TempFolder();
            folder.Write("production.pem", TestKeys.Pkcs8Pem(TestKeys.Main));
            folder.Write("sandbox.pem", TestKeys.Pkcs8Pem(TestKeys.Other));
            folder.Write("old-key.pem", TestKeys.Pkcs8Pem(TestKeys.Short));

            ScriptResult run = PowerShellRunner.Run(
                "(Get-Help Test-CommerceApiKey -Full).examples.example | ForEach-Object { ,@(& ([scriptblock]::Create($_.code))) }",
                location: folder.Path);

            Assert.Empty(run.Errors);
            var outputs = run.Output.Select(o => ((object[])o).Select(PSObject.AsPSObject).ToArray()).ToList();
            Assert.Equal(true, outputs[0].Single().Properties["IsValid"].Value);
            Assert.Empty(outputs[1]);
            Assert.Equal(new object[] { true, true, false }, outputs[2].Select(r => r.Properties["IsValid"].Value));
            Assert.Equal("KeyTooShort", outputs[3].Single().Properties["Id"].Value.ToString());
        }

        [Fact]
        public void AboutTopicExplainsTheModel()
        {
            ScriptResult result = PowerShellRunner.Run("Get-Help about_CommerceServices");

            Assert.Empty(result.Errors);
            string text = string.Concat(result.Output.Select(o => o.ToString()));
            foreach (string concept in new[] { "about_CommerceServices", "GATEWAY ENVIRONMENTS", "API KEY PAIRS", "SAAS PROJECTS AND DATA SPACES", "Fingerprint", "Test-CommerceApiKey" })
            {
                Assert.Contains(concept, text, StringComparison.Ordinal);
            }
        }
    }
}
