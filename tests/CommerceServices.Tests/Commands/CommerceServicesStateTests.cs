using System.Text.Json;

namespace CommerceServices.Tests.Commands
{
    /// <summary>
    /// Test-CommerceServicesState and Set-CommerceServicesState on a shop whose settings MariaDB holds, against the
    /// gateway emulator: desired states in .psd1 and JSON files next to the shop, key pairs from the emulator's key files.
    /// </summary>
    public sealed class CommerceServicesStateTests : ShopTests
    {
        private readonly SampleShop shop;
        private readonly PSObject production;
        private readonly string productionApiKey;
        private readonly string productionPem;
        private readonly Dictionary<string, object?> variables;

        public CommerceServicesStateTests(MariaDbFixture fixture)
            : base(fixture)
        {
            shop = Shop("shop", gateways: Gateways.Production);
            production = Emulator.IssueKey("MAGE-STATE");
            productionApiKey = (string)production.Properties["ApiKey"].Value;
            productionPem = File.ReadAllText((string)production.Properties["PrivateKeyPath"].Value);
            variables = new() { ["key"] = production.BaseObject, ["pem"] = TempFolder.Secure(productionPem) };

            // The account's project, made with the pair itself (the shop holds no key yet).
            ScriptResult made = Emulator.Run("$null = $key | New-SaasProject -Name 'Storefront'", variables);
            Assert.Empty(made.Errors);
        }

        /// <summary>Writes a state file into the folder of the shop's parent and returns its name, relative to the scripts' location.</summary>
        private string State(string name, string text)
        {
            File.WriteAllText(Path.Combine(Emulator.Folder.Path, name), text);
            return "./" + name;
        }

        private string StagingState(string dataSpace = "Testing 1", string privateKey = "PrivateKeyPath = 'keys/MAGE-STATE-production.pem'", string file = "shop.psd1") => State(file, $@"@{{
    Instance = 'shop'
    Role = 'Staging'
    GatewayEnvironment = 'Production'
    ImsOrganizationId = 'ABCDEF0123456789ABCDEF01@AdobeOrg'
    KeyPairs = @{{ Production = @{{ ApiKey = '{productionApiKey}'; {privateKey} }} }}
    Project = 'Storefront'
    DataSpace = '{dataSpace}'
}}");

        private ScriptResult Run(string script) => Emulator.Run(script, variables);

        private static PSObject[] Objects(ScriptResult run) => run.Output.Select(PSObject.AsPSObject).ToArray();

        [Fact]
        public void AppliesWhatDiffersInOneWriteAndTheSecondRunChangesNothing()
        {
            string state = StagingState();

            ScriptResult first = Run($"Test-CommerceServicesState -Path {state}; Set-CommerceServicesState -Path {state} -PassThru -Verbose; Test-CommerceServicesState -Path {state} -Quiet");

            Assert.Empty(first.Errors);
            PSObject before = Objects(first)[0];
            Assert.False((bool)before.Properties["InDesiredState"].Value);
            Assert.Equal(
                new[] { "ProductionKeyPair", "ImsOrganizationId", "Project", "DataSpace" },
                ((object[])before.Properties["Differences"].Value).Select(d => PSObject.AsPSObject(d).Properties["Setting"].Value.ToString()));
            PSObject result = Objects(first)[1];
            Assert.Equal("Changed", result.Properties["Status"].Value.ToString());
            Assert.Equal(true, first.Output[2]);
            Assert.Single(first.Verbose, v => v.Message.StartsWith("Changed 8 setting(s) of ", StringComparison.Ordinal));
            Assert.Equal("Storefront", shop.Value("services_connector/services_id/project_name"));
            Assert.Equal("Testing 1", shop.Value("services_connector/services_id/environment_name"));
            Assert.Equal("ABCDEF0123456789ABCDEF01@AdobeOrg", shop.Value("services_connector/services_id/ims_organization_id"));
            Assert.StartsWith("0:3:", shop.Value("services_connector/services_connector_integration/production_private_key"), StringComparison.Ordinal);

            Emulator.ClearRequests();
            ScriptResult second = Run($"Set-CommerceServicesState -Path {state} -PassThru -Verbose");

            Assert.Empty(second.Errors);
            Assert.Equal("Unchanged", Objects(second)[0].Properties["Status"].Value.ToString());
            Assert.Contains(second.Verbose, v => v.Message.Contains("is in the desired state", StringComparison.Ordinal));
            Assert.DoesNotContain(second.Verbose, v => v.Message.StartsWith("Changed ", StringComparison.Ordinal));
            Assert.Empty(Emulator.Requests());
        }

        [Fact]
        public void WhatIfWritesNothingAndSaysWhatWouldChange()
        {
            string state = StagingState();
            Emulator.ClearRequests();

            ScriptResult run = Run($"Set-CommerceServicesState -Path {state} -WhatIf -AsJson");

            Assert.Empty(run.Errors);
            using JsonDocument json = JsonDocument.Parse(Assert.IsType<string>(Assert.Single(run.Output)));
            Assert.True(json.RootElement.GetProperty("changed").GetBoolean());
            Assert.Equal("WouldChange", json.RootElement.GetProperty("status").GetString());
            Assert.Contains("What if:", run.HostText, StringComparison.Ordinal);
            Assert.Equal(string.Empty, shop.Value("services_connector/services_id/project_id"));
            Assert.Equal(string.Empty, shop.Value("services_connector/services_connector_integration/production_private_key"));
            Assert.DoesNotContain(Emulator.Requests(), r => r.StartsWith("PUT", StringComparison.Ordinal) || r.StartsWith("POST", StringComparison.Ordinal));
        }

        [Fact]
        public void JsonSaysChangedThenUnchangedAndAStateInJsonReadsTheSame()
        {
            string state = State("shop.json", $@"{{
  // comments are allowed, as in the configuration repositories that keep these files
  ""Instance"": ""shop"",
  ""Role"": ""Staging"",
  ""KeyPairs"": {{ ""Production"": {{ ""ApiKey"": ""{productionApiKey}"", ""PrivateKeyPath"": ""keys/MAGE-STATE-production.pem"" }} }},
  ""Project"": ""Storefront"",
  ""DataSpace"": ""Testing 2""
}}");

            ScriptResult run = Run($"Set-CommerceServicesState -Path {state} -AsJson; Set-CommerceServicesState -Path {state} -AsJson");

            Assert.Empty(run.Errors);
            string[] lines = run.Output.Cast<string>().ToArray();
            Assert.Equal(2, lines.Length);
            Assert.DoesNotContain('\n', lines[0]);
            using JsonDocument first = JsonDocument.Parse(lines[0]);
            using JsonDocument second = JsonDocument.Parse(lines[1]);
            Assert.True(first.RootElement.GetProperty("changed").GetBoolean());
            Assert.False(first.RootElement.GetProperty("failed").GetBoolean());
            JsonElement instance = Assert.Single(first.RootElement.GetProperty("instances").EnumerateArray());
            Assert.Equal(InstancePath("shop"), instance.GetProperty("path").GetString());
            Assert.Equal("Changed", instance.GetProperty("status").GetString());
            Assert.False(second.RootElement.GetProperty("changed").GetBoolean());
            Assert.Equal("Unchanged", second.RootElement.GetProperty("status").GetString());
            Assert.Equal("Testing 2", shop.Value("services_connector/services_id/environment_name"));
        }

        [Fact]
        public void WithAsJsonTheWarningsGoIntoTheJsonSoThatStandardOutputIsTheJsonAlone()
        {
            // A project without a data space: the instance is left without one, which is worth a warning.
            string state = State("project.psd1", $"@{{ Instance = 'shop'; KeyPairs = @{{ Production = @{{ ApiKey = '{productionApiKey}'; PrivateKeyPath = 'keys/MAGE-STATE-production.pem' }} }}; Project = 'Storefront' }}");

            ScriptResult run = Run($"Set-CommerceServicesState -Path {state} -AsJson");

            Assert.Empty(run.Errors);
            Assert.Empty(run.Warnings);
            using JsonDocument json = JsonDocument.Parse((string)Assert.Single(run.Output));
            string warning = json.RootElement.GetProperty("instances")[0].GetProperty("warnings")[0].GetString()!;
            Assert.Contains("has no data space now: add DataSpace to the desired state", warning, StringComparison.Ordinal);
            Assert.Equal("Storefront", shop.Value("services_connector/services_id/project_name"));

            ScriptResult again = Run($"Set-CommerceServicesState -State @{{ Instance = './shop'; Project = 'Storefront' }} -PassThru");
            Assert.Empty(again.Warnings);
            Assert.Equal("Unchanged", Objects(again)[0].Properties["Status"].Value.ToString());
        }

        [Fact]
        public void TheGuardRailsRefuseAndNothingIsWritten()
        {
            // R7: a Production data space on an instance declared Staging.
            string state = StagingState(dataSpace: "Production");

            ScriptResult run = Run($"Set-CommerceServicesState -Path {state} -AsJson");

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("ProductionDataSpaceOnNonProduction", Id(error));
            using JsonDocument json = JsonDocument.Parse((string)run.Output.Single());
            Assert.True(json.RootElement.GetProperty("failed").GetBoolean());
            Assert.False(json.RootElement.GetProperty("changed").GetBoolean());
            Assert.Contains("R7", json.RootElement.GetProperty("instances")[0].GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
            Assert.Equal(string.Empty, shop.Value("services_connector/services_id/project_id"));
            Assert.Equal(string.Empty, shop.Value("services_connector/services_connector_integration/production_private_key"));
        }

        [Fact]
        public void InstancesOpenedByTheStatesOfOneCommandAreComparedWithEachOther()
        {
            // R6 across the states of one command: two instances must not take the same data space, although neither is in the session.
            Shop("other", gateways: Gateways.Production);
            string shopState = StagingState();
            string otherState = State("other.psd1", File.ReadAllText(Path.Combine(Emulator.Folder.Path, "shop.psd1")).Replace("Instance = 'shop'", "Instance = 'other'", StringComparison.Ordinal));

            ScriptResult run = Run($"Set-CommerceServicesState -Path {shopState}, {otherState} -AsJson; Set-CommerceServicesState -Path {shopState}, {shopState} -PassThru | ForEach-Object {{ $_.Status.ToString() }}");

            Assert.Equal(new[] { "DataSpaceInUse", "DesiredStateInstanceRepeated" }, run.Errors.Select(Id));
            Assert.Contains(InstancePath("shop"), run.Errors[0].Exception.Message, StringComparison.Ordinal);
            using JsonDocument json = JsonDocument.Parse((string)run.Output[0]);
            Assert.True(json.RootElement.GetProperty("failed").GetBoolean());
            Assert.True(json.RootElement.GetProperty("changed").GetBoolean());
            Assert.Equal(new[] { "Changed", "Failed" }, json.RootElement.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("status").GetString()));
            Assert.Equal(new object[] { "Unchanged", "Failed" }, run.Output.Skip(1));
        }

        [Fact]
        public void AnInstanceConnectedWithAnotherRoleIsNotChanged()
        {
            string state = StagingState();

            ScriptResult run = Run($"$shop = Connect-CommerceInstance ./shop -Role Production -PassThru; Test-CommerceServicesState -Path {state} -Instance $shop | ForEach-Object {{ $_.Differences[0].ToString() }}; Set-CommerceServicesState -Path {state} -Instance $shop");

            Assert.Equal("Role: Production -> Staging", Assert.Single(run.Output));
            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("DesiredStateRoleMismatch", Id(error));
            Assert.Contains("-Role Staging", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(string.Empty, shop.Value("services_connector/services_id/project_id"));
        }

        [Fact]
        public void NamesThatMatchNothingAreErrorsThatSayWhatIsThere()
        {
            ScriptResult run = Run($"Set-CommerceServicesState -Path {StagingState(dataSpace: "Nowhere")}; Set-CommerceServicesState -Path {State("other.psd1", $"@{{ Instance = 'shop'; KeyPairs = @{{ Production = @{{ ApiKey = '{productionApiKey}'; PrivateKeyPath = 'keys/MAGE-STATE-production.pem' }} }}; Project = 'Backoffice' }}")}");

            Assert.Equal(new[] { "DesiredStateDataSpaceNotFound", "DesiredStateProjectNotFound" }, run.Errors.Select(Id));
            Assert.Contains("Testing 1", run.Errors[0].Exception.Message, StringComparison.Ordinal);
            Assert.Contains("New-SaasProject -Name 'Backoffice'", run.Errors[1].Exception.Message, StringComparison.Ordinal);
            Assert.Equal(string.Empty, shop.Value("services_connector/services_id/project_id"));
        }

        [Fact]
        public void AStateThatCannotBeUsedNamesEveryProblemAndNeverRepeatsAKey()
        {
            string pemLine = productionPem.Split('\n')[3];
            string state = State("bad.psd1", $@"@{{
    Instance = 'shop'
    Rol = 'Staging'
    GatewayEnvironment = 'Staging'
    KeyPairs = @{{ Production = @{{ ApiKey = '{productionApiKey}'; PrivateKey = '-----BEGIN PRIVATE KEY-----{pemLine}' }} }}
}}");

            ScriptResult run = Run($"Set-CommerceServicesState -Path {state}; Test-CommerceServicesState -Path ./missing.psd1; Set-CommerceServicesState -State @{{ Instance = 'shop'; DataSpace = '' }}");

            Assert.Equal(new[] { "DesiredStateInvalid", "DesiredStateNotFound", "DesiredStateInvalid" }, run.Errors.Select(Id));
            string message = run.Errors[0].Exception.Message;
            Assert.Contains("Rol is not a key", message, StringComparison.Ordinal);
            Assert.Contains("GatewayEnvironment 'Staging' is not one of Production, Sandbox", message, StringComparison.Ordinal);
            Assert.Contains("KeyPairs.Production.PrivateKey is not a key", message, StringComparison.Ordinal);
            Assert.Contains("holds a PEM key", message, StringComparison.Ordinal);
            Assert.DoesNotContain(pemLine, run.AllText(), StringComparison.Ordinal);
            // The table given with -State is the invocation itself: its error ends the command.
            Assert.Contains("DataSpace is empty", run.Errors[2].Exception.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void APrivateKeyComesFromASecretOrAnEnvironmentVariableAndNeverAsPlainText()
        {
            string state = StagingState(privateKey: "PrivateKeySecret = 'production-private-key'");
            // A variable of this test's own name: no other test sets or reads it.
            ScriptResult run = ProcessEnvironment.With(new Dictionary<string, string?> { ["CS_STATE_PRIVATE_KEY"] = productionPem }, () => Run(
                "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'\n"
                + $"Set-CommerceServicesState -Path {state} -Secret @{{ 'production-private-key' = $pem }} -AsJson\n"
                + $"Test-CommerceServicesState -Path {StagingState(privateKey: "PrivateKeyEnvironmentVariable = 'CS_STATE_PRIVATE_KEY'", file: "variable.psd1")} -Quiet\n"
                + $"Test-CommerceServicesState -Path {StagingState(privateKey: "PrivateKeySecret = 'production-private-key'", file: "vault.psd1")}\n"
                + $"Set-CommerceServicesState -Path {state} -Secret @{{ 'production-private-key' = 'pasted' }}"));

            Assert.Equal(new[] { "DesiredStateSecretNotFound", "PlainTextSecretRefused" }, run.Errors.Select(Id));
            Assert.Contains("SecretManagement", run.Errors[0].Exception.Message, StringComparison.Ordinal);
            using JsonDocument json = JsonDocument.Parse((string)run.Output[0]);
            Assert.Equal("Changed", json.RootElement.GetProperty("status").GetString());
            Assert.Equal(true, run.Output[1]);
            string everything = run.AllText() + string.Concat(run.Records.Select(r => PSSerializer.Serialize(r.Value, 4)));
            SecretScan.AssertNone(new[] { ("private key", TestKeys.Body(productionPem).Substring(32)), ("API key", productionApiKey) }, everything, "desired state streams");
        }
    }
}
