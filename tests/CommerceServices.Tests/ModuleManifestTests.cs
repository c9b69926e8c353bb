using System.Collections;
using System.Reflection;

namespace CommerceServices.Tests
{
    public class ModuleManifestTests
    {
        private static string ModuleFolder => Path.GetDirectoryName(PowerShellRunner.ManifestPath)!;

        [Fact]
        public void ManifestPassesTestModuleManifest()
        {
            ScriptResult result = PowerShellRunner.Run("Test-ModuleManifest -Path $manifest", new() { ["manifest"] = PowerShellRunner.ManifestPath });

            Assert.Empty(result.Errors);
            var module = Assert.IsType<PSModuleInfo>(Assert.Single(result.Output));
            Assert.Equal("CommerceServices", module.Name);
        }

        [Fact]
        public void ModuleVersionAndAssemblyVersionAreTheSameNumber()
        {
            ScriptResult result = PowerShellRunner.Run("(Test-ModuleManifest -Path $manifest).Version.ToString()", new() { ["manifest"] = PowerShellRunner.ManifestPath });
            Version manifestVersion = Version.Parse((string)result.Output.Single());

            foreach (string dll in new[] { "CommerceServices.dll", "CommerceServices.Core.dll" })
            {
                Version assembly = AssemblyName.GetAssemblyName(Path.Combine(ModuleFolder, dll)).Version!;
                Assert.Equal(manifestVersion, new Version(assembly.Major, assembly.Minor, assembly.Build));
            }
        }

        [Fact]
        public void ManifestHasExplicitExportsEditionsAndGalleryMetadata()
        {
            Hashtable manifest = ReadManifest();

            var cmdlets = ((object[])manifest["CmdletsToExport"]!).Cast<string>().ToArray();
            Assert.NotEmpty(cmdlets);
            Assert.DoesNotContain(cmdlets, c => c.Contains('*', StringComparison.Ordinal));
            Assert.Empty((object[])manifest["FunctionsToExport"]!);
            Assert.Empty((object[])manifest["AliasesToExport"]!);
            Assert.Equal(new[] { "Desktop", "Core" }, ((object[])manifest["CompatiblePSEditions"]!).Cast<string>());
            Assert.Equal("5.1", manifest["PowerShellVersion"]);
            Assert.Equal(new[] { "CommerceServices.format.ps1xml" }, ((object[])manifest["FormatsToProcess"]!).Cast<string>());
            Assert.Equal(new[] { "CommerceServices.types.ps1xml" }, ((object[])manifest["TypesToProcess"]!).Cast<string>());
            Assert.False(manifest.ContainsKey("RequiredAssemblies"), "RequiredAssemblies would load assemblies at import");
            Assert.False(manifest.ContainsKey("NestedModules"));
            Assert.False(string.IsNullOrWhiteSpace((string)manifest["Description"]!));

            var psData = (Hashtable)((Hashtable)manifest["PrivateData"]!)["PSData"]!;
            Assert.NotEmpty((object[])psData["Tags"]!);
            foreach (string key in new[] { "ProjectUri", "LicenseUri", "ReleaseNotes" })
            {
                Assert.False(string.IsNullOrWhiteSpace((string)psData[key]!), key);
            }
        }

        [Fact]
        public void ExportedCmdletsAreExactlyTheCmdletsInTheAssembly()
        {
            ScriptResult result = PowerShellRunner.Run("Get-Command -Module CommerceServices | ForEach-Object Name");
            var exported = result.Output.Cast<string>().OrderBy(n => n).ToArray();

            var declared = ((object[])ReadManifest()["CmdletsToExport"]!).Cast<string>().OrderBy(n => n).ToArray();
            Assert.Equal(declared, exported);

            var inAssembly = CmdletTypes().Select(t => t.GetCustomAttribute<CmdletAttribute>()!).Select(a => a.VerbName + "-" + a.NounName).OrderBy(n => n).ToArray();
            Assert.Equal(inAssembly, exported);
        }

        [Fact]
        public void EveryCmdletUsesAnApprovedVerbAndDeclaresItsOutput()
        {
            var approved = new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic), typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity) }
                .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
                .Select(f => (string)f.GetValue(null)!)
                .ToHashSet();

            foreach (Type type in CmdletTypes())
            {
                CmdletAttribute cmdlet = type.GetCustomAttribute<CmdletAttribute>()!;
                Assert.Contains(cmdlet.VerbName, approved);
                Assert.True(cmdlet.NounName.StartsWith("Commerce", StringComparison.Ordinal) || cmdlet.NounName.StartsWith("Saas", StringComparison.Ordinal), cmdlet.NounName);
                Assert.NotEmpty(type.GetCustomAttributes<OutputTypeAttribute>());
            }
        }

        [Fact]
        public void NoSecretParameterIsAPlainString()
        {
            // The public API key is the one string credential: it travels in a header and is shown in the Admin.
            ScriptResult result = PowerShellRunner.Run(
                "Get-Command -Module CommerceServices | ForEach-Object { $c = $_; $_.Parameters.Values | ForEach-Object { '{0}|{1}|{2}' -f $c.Name, $_.Name, $_.ParameterType.FullName } }");

            foreach (string line in result.Output.Cast<string>())
            {
                string[] parts = line.Split('|');
                bool secretName = parts[1].Contains("PrivateKey", StringComparison.Ordinal) && !parts[1].EndsWith("Path", StringComparison.Ordinal)
                    || parts[1].Contains("Password", StringComparison.Ordinal) || parts[1].Contains("Secret", StringComparison.Ordinal) || parts[1].Contains("Token", StringComparison.Ordinal);
                if (secretName)
                {
                    Assert.True(parts[2] != typeof(string).FullName, line);
                }
            }
        }

        [Fact]
        public void CmdletAssemblyDoesNotReferenceBouncyCastle()
        {
            // BouncyCastle stays behind the core, so the cmdlet surface never exposes its types.
            var references = Assembly.LoadFile(Path.Combine(ModuleFolder, "CommerceServices.dll")).GetReferencedAssemblies().Select(a => a.Name).ToArray();

            Assert.Contains("CommerceServices.Core", references);
            Assert.DoesNotContain(references, r => r!.StartsWith("BouncyCastle", StringComparison.Ordinal));
        }

        private static Hashtable ReadManifest()
        {
            ScriptResult result = PowerShellRunner.Run(
                "$ast = [System.Management.Automation.Language.Parser]::ParseFile($manifest, [ref]$null, [ref]$null); $ast.Find({ $args[0] -is [System.Management.Automation.Language.HashtableAst] }, $false).SafeGetValue()",
                new() { ["manifest"] = PowerShellRunner.ManifestPath });
            Assert.Empty(result.Errors);
            return Assert.IsType<Hashtable>(Assert.Single(result.Output));
        }

        private static Type[] CmdletTypes()
        {
            // Reflection-only look at the built assembly, without loading it into this context's default binder.
            var context = new System.Runtime.Loader.AssemblyLoadContext("inspect", isCollectible: true);
            context.Resolving += (ctx, name) =>
            {
                string candidate = Path.Combine(ModuleFolder, name.Name + ".dll");
                return File.Exists(candidate) ? ctx.LoadFromAssemblyPath(candidate) : null;
            };
            try
            {
                Assembly assembly = context.LoadFromAssemblyPath(Path.Combine(ModuleFolder, "CommerceServices.dll"));
                return assembly.GetTypes().Where(t => t.GetCustomAttribute<CmdletAttribute>() != null).ToArray();
            }
            finally
            {
                context.Unload();
            }
        }
    }
}
