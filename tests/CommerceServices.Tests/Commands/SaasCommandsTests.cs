using System.Threading;

namespace CommerceServices.Tests.Commands
{
    /// <summary>The project and data space cmdlets against the emulator, over real HTTP on 127.0.0.1.</summary>
    public sealed class SaasCommandsTests : EmulatorTests
    {
        private Dictionary<string, object?> KeyOf(string mageId, string edition = "AdobeCommerce") =>
            new() { ["key"] = Emulator.IssueKey(mageId, edition).BaseObject };

        private static PSObject[] Objects(ScriptResult run) => run.Output.Select(PSObject.AsPSObject).ToArray();

        [Fact]
        public void AdobeCommerceAndOpenSourceProjectsGetTheirDataSpaces()
        {
            ScriptResult ac = Emulator.Run("$key | New-SaasProject -Name 'Storefront'", KeyOf("MAGE-AC"));
            ScriptResult os = Emulator.Run("$key | New-SaasProject -Name 'Shop'", KeyOf("MAGE-OS", "MagentoOpenSource"));

            Assert.Empty(ac.Errors);
            Assert.Empty(os.Errors);
            PSObject storefront = Assert.Single(Objects(ac));
            Assert.Equal("CommerceServices.Saas.SaasProject", storefront.BaseObject.GetType().FullName);
            Assert.Equal(new[] { "Production", "Testing", "Testing" }, ((IEnumerable<object>)storefront.Properties["DataSpaces"].Value).Select(d => PSObject.AsPSObject(d).Properties["Type"].Value));
            Assert.Single((IEnumerable<object>)Objects(os)[0].Properties["DataSpaces"].Value);
        }

        [Fact]
        public void ListFilterRenameAndPipeline()
        {
            ScriptResult run = Emulator.Run(
                @"$pair = $key | Import-CommerceApiKey
                  $g = $key.GatewayUri
                  $null = New-SaasProject -ApiKey $pair -GatewayUri $g -Name 'Storefront'
                  $null = New-SaasProject -ApiKey $pair -GatewayUri $g -Name 'Outlet'
                  ,@(Get-SaasProject -ApiKey $pair -GatewayUri $g)
                  ,@(Get-SaasProject -ApiKey $pair -GatewayUri $g -Name 'store*')
                  ,@(Get-SaasProject -ApiKey $pair -GatewayUri $g -Name 'Outlet' | Get-SaasDataSpace -Type Testing)
                  ,@(Get-SaasProject -ApiKey $pair -GatewayUri $g -Name 'Outlet' | Rename-SaasProject -NewName 'Outlet EU' -PassThru)
                  ,@(Get-SaasDataSpace -ApiKey $pair -GatewayUri $g -Name 'Testing 2' | Where-Object ProjectName -eq 'Storefront' | Rename-SaasDataSpace -NewName 'Staging' -PassThru)
                  ,@(Get-SaasDataSpace -ApiKey $pair -GatewayUri $g -Name 'Staging' | Get-SaasDataSpace)
                  ,@(Get-SaasProject -ApiKey $pair -GatewayUri $g -Name 'Outlet EU' | Rename-SaasProject -NewName 'Outlet')",
                KeyOf("MAGE-L"));

            Assert.Empty(run.Errors);
            var results = run.Output.Select(o => ((object[])o).Select(PSObject.AsPSObject).ToArray()).ToArray();
            Assert.Equal(new[] { "Storefront", "Outlet" }, results[0].Select(p => (string)p.Properties["Name"].Value));
            Assert.Equal("Storefront", Assert.Single(results[1]).Properties["Name"].Value);
            Assert.Equal(new[] { "Testing 1", "Testing 2" }, results[2].Select(d => (string)d.Properties["Name"].Value));
            Assert.All(results[2], d => Assert.Equal("Outlet", d.Properties["ProjectName"].Value));
            Assert.Equal("Outlet EU", Assert.Single(results[3]).Properties["Name"].Value);
            Assert.Equal("Staging", Assert.Single(results[4]).Properties["Name"].Value);
            PSObject again = Assert.Single(results[5]);
            Assert.Equal(("Staging", "Testing", "Storefront"), ((string)again.Properties["Name"].Value, (string)again.Properties["Type"].Value, (string)again.Properties["ProjectName"].Value));
            Assert.Empty(results[6]);
        }

        [Fact]
        public void ByIdAndNotFound()
        {
            ScriptResult run = Emulator.Run(
                @"$p = $key | New-SaasProject -Name 'P'
                  ($key | Get-SaasProject -ProjectId $p.ProjectId).Name
                  ($key | Get-SaasDataSpace -DataSpaceId $p.DataSpaces[0].DataSpaceId).Name
                  $key | Get-SaasProject -ProjectId 'missing-project'
                  $key | Get-SaasDataSpace -DataSpaceId 'missing-space'
                  $key | Get-SaasProject -Name 'No such project'
                  $key | Get-SaasProject -Name 'No such*'",
                KeyOf("MAGE-N"));

            Assert.Equal(new object[] { "P", "Production" }, run.Output);
            Assert.Equal(new[] { "ProjectNotFound", "DataSpaceNotFound", "ProjectNotFound" }, run.Errors.Select(Id));
            Assert.All(run.Errors, e => Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category));
            Assert.Equal("missing-project", run.Errors[0].TargetObject);
        }

        [Fact]
        public void ADuplicateNameIsRefusedUnlessForced()
        {
            ScriptResult run = Emulator.Run(
                @"$null = $key | New-SaasProject -Name 'Same'
                  $key | New-SaasProject -Name 'same'
                  ($key | New-SaasProject -Name 'Same' -Force).Name
                  @($key | Get-SaasProject -Name 'Same').Count",
                KeyOf("MAGE-D"));

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("ProjectAlreadyExists", Id(error));
            Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Equal(new object[] { "Same", 2 }, run.Output);
        }

        [Fact]
        public void WhatIfSendsNothingAndWritesNothing()
        {
            var variables = KeyOf("MAGE-W");
            ScriptResult setup = Emulator.Run("$key | New-SaasProject -Name 'Real'", variables);
            var project = Objects(setup)[0];
            variables["project"] = project.BaseObject;
            Emulator.ClearRequests();

            ScriptResult run = Emulator.Run(
                @"$key | New-SaasProject -Name 'Imagined' -WhatIf
                  $project | Rename-SaasProject -NewName 'Other' -WhatIf -PassThru
                  $project.DataSpaces | Rename-SaasDataSpace -NewName 'Other' -WhatIf -PassThru",
                variables,
                formatOutput: true);

            Assert.Empty(run.Errors);
            Assert.Empty(run.Output);
            Assert.Empty(Emulator.Requests());
            Assert.Contains("What if: Performing the operation \"Create\" on target \"SaaS project 'Imagined' in the Production registry at " + Emulator.ProductionUri, run.HostText, StringComparison.Ordinal);
            Assert.Equal(5, run.HostText.Split("What if:").Length - 1);
        }

        [Fact]
        public void ConfirmImpactMatchesTheRisk()
        {
            ScriptResult run = PowerShellRunner.Run(
                "'New-SaasProject', 'Rename-SaasProject', 'Rename-SaasDataSpace' | ForEach-Object { $t = (Get-Command $_).ImplementingType; $a = $t.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; '{0}={1}/{2}' -f $_, $a.SupportsShouldProcess, $a.ConfirmImpact }");

            Assert.Equal(new object[] { "New-SaasProject=True/Medium", "Rename-SaasProject=True/Low", "Rename-SaasDataSpace=True/Low" }, run.Output);
        }

        [Fact]
        public void AKeyPairRevokedByReissueIsRejected()
        {
            var variables = KeyOf("MAGE-RV");
            Emulator.IssueKey("MAGE-RV");

            ScriptResult run = Emulator.Run("$key | Get-SaasProject; $key | Test-CommerceApiKey -Online", variables);

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("ApiKeyRejected", Id(error));
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("HTTP 403", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("new keys were generated", error.Exception.Message, StringComparison.Ordinal);
            string apiKey = (string)PSObject.AsPSObject(variables["key"]).Properties["ApiKey"].Value;
            Assert.DoesNotContain(apiKey, error.ToString() + error.Exception, StringComparison.Ordinal);
            PSObject test = Assert.Single(Objects(run));
            Assert.Equal(false, test.Properties["IsValid"].Value);
            Assert.Equal(false, test.Properties["Online"].Value);
            Assert.Equal(new[] { "ApiKeyRejected" }, (string[])test.Properties["Problems"].Value);
        }

        [Fact]
        public void TestCommerceApiKeyOnlineAcceptsAGoodPairAndSaysSoInTheResult()
        {
            ScriptResult run = Emulator.Run("$key | Test-CommerceApiKey -Online; $key | Test-CommerceApiKey", KeyOf("MAGE-T"));

            Assert.Empty(run.Errors);
            PSObject[] results = Objects(run);
            Assert.Equal(true, results[0].Properties["Online"].Value);
            Assert.Null(results[1].Properties["Online"].Value);
            Assert.Equal(new[] { "/merchant-registry/v1/ping" }, Emulator.Requests().Select(r => r.Split(' ')[1]));
        }

        [Fact]
        public void AnUnreachableGatewayIsGatewayUnavailableForOnlineChecks()
        {
            var variables = KeyOf("MAGE-U");
            ScriptResult run = Emulator.Run("$key | Test-CommerceApiKey -Online -GatewayUri 'http://127.0.0.1:9/'", variables);

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("GatewayUnavailable", Id(error));
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            PSObject result = Assert.Single(Objects(run));
            Assert.Equal(false, result.Properties["IsValid"].Value);
            Assert.Null(result.Properties["Online"].Value);
            Assert.Equal(new[] { "GatewayUnavailable" }, (string[])result.Properties["Problems"].Value);
            Assert.Equal("GatewayUnavailable", PSObject.AsPSObject(Assert.Single((object[])result.Properties["Details"].Value)).Properties["Id"].Value.ToString());
        }

        [Fact]
        public void ReadsSurviveA429AndWritesAreNotRetried()
        {
            var variables = KeyOf("MAGE-R");
            ScriptResult run = Emulator.Run(
                @"$null = $emulator.AddFault([CommerceServices.Emulator.EmulatorFault]::new('TooManyRequests', 1))
                  @($key | Get-SaasProject).Count
                  $f = [CommerceServices.Emulator.EmulatorFault]::new('ServiceUnavailable', 1); $f.Method = 'POST'; $null = $emulator.AddFault($f)
                  $key | New-SaasProject -Name 'Once' -Force",
                variables);

            Assert.Equal(new object[] { 0 }, run.Output);
            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("GatewayUnavailable", Id(error));
            Assert.Contains("not retried", error.Exception.Message, StringComparison.Ordinal);
            IReadOnlyList<string> requests = Emulator.Requests();
            Assert.Equal(new[] { "GET /merchant-registry/v1/registry 429", "GET /merchant-registry/v1/registry 200", "POST /merchant-registry/v1/registry/initialize 503" }, requests);
        }

        [Fact]
        public void MalformedBodiesAreGatewayProtocolErrors()
        {
            ScriptResult run = Emulator.Run(
                "$null = $emulator.AddFault([CommerceServices.Emulator.EmulatorFault]::new('MalformedJson', 1)); $key | Get-SaasDataSpace",
                KeyOf("MAGE-M"));

            ErrorRecord error = Assert.Single(run.Errors);
            Assert.Equal("GatewayProtocolError", Id(error));
            Assert.Equal(ErrorCategory.ProtocolError, error.CategoryInfo.Category);
            Assert.IsType<System.Text.Json.JsonException>(error.Exception.InnerException, exactMatch: false);
        }

        [Fact]
        public void StoppingThePipelineCancelsASlowCall()
        {
            var variables = KeyOf("MAGE-S");
            Emulator.Run("$f = [CommerceServices.Emulator.EmulatorFault]::new('Latency', 1); $f.Delay = [TimeSpan]::FromSeconds(20); $null = $emulator.AddFault($f)");

            using var runspace = System.Management.Automation.Runspaces.RunspaceFactory.CreateRunspace(CreateState(variables));
            runspace.Open();
            using PowerShell ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript("$key | Get-SaasProject");
            IAsyncResult pending = ps.BeginInvoke();
            Assert.True(SpinWait.SpinUntil(() => Emulator.Requests().Count == 1, TimeSpan.FromSeconds(15)), "the request never reached the emulator");
            ps.Stop();

            // Stop() returns only when the cmdlet has returned. Had it waited for the gateway, the
            // emulator would have answered by now (status 200); cancelled, the request is still open.
            Assert.Equal("GET /merchant-registry/v1/registry 0", Assert.Single(Emulator.Requests()));
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(pending));
            Assert.Empty(ps.Streams.Error);
        }

        [Fact]
        public void AKeyPastedIntoApiKeyIsNeverRepeated()
        {
            var variables = KeyOf("MAGE-LEAK");
            string pem = System.IO.File.ReadAllText((string)PSObject.AsPSObject(variables["key"]).Properties["PrivateKeyPath"].Value);
            variables["pem"] = pem;

            ScriptResult run = Emulator.Run(
                "Get-SaasProject -ApiKey $pem -GatewayUri $emulator.ProductionUri; Get-SaasProject -ApiKey $pem -PrivateKeyPath $key.PrivateKeyPath -GatewayUri $emulator.ProductionUri; $Error | ForEach-Object { $_.TargetObject }",
                variables,
                formatOutput: true);

            Assert.Equal(new[] { "PrivateKeyMissing", "InvalidApiKeyPair" }, run.Errors.Select(Id));
            string everything = run.AllText();
            string body = TestKeys.Body(pem);
            for (int i = 32; i + 12 <= body.Length; i += 3)
            {
                Assert.DoesNotContain(body.Substring(i, 12), everything, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void AKeyPairPipedWithoutANameCreatesNothing()
        {
            ScriptResult run = Emulator.Run("$key | Import-CommerceApiKey | New-SaasProject -GatewayUri $key.GatewayUri", KeyOf("MAGE-NN"));

            Assert.Single(run.Errors);
            Assert.IsAssignableFrom<ParameterBindingException>(run.Errors[0].Exception);
            Assert.DoesNotContain(Emulator.Requests(), r => r.StartsWith("POST", StringComparison.Ordinal));
        }

        [Fact]
        public void NamesOfOnlySpacesAreRefusedBeforeAnyRequest()
        {
            ScriptResult run = Emulator.Run("$key | New-SaasProject -Name '   '; $key | Rename-SaasProject -ProjectId x -NewName ' '", KeyOf("MAGE-SP"));

            Assert.Equal(2, run.Errors.Count);
            Assert.All(run.Errors, e => Assert.IsAssignableFrom<ParameterBindingException>(e.Exception));
            Assert.Empty(Emulator.Requests());
        }

        [Fact]
        public void ARenameIsReadBackFromTheRegistry()
        {
            var variables = KeyOf("MAGE-RB");
            variables["project"] = Objects(Emulator.Run("$key | New-SaasProject -Name 'A'", variables))[0].BaseObject;
            Emulator.ClearRequests();

            ScriptResult run = Emulator.Run("($project | Rename-SaasProject -NewName 'B' -PassThru).Name", variables);

            Assert.Equal(new object[] { "B" }, run.Output);
            Assert.Equal(new[] { "PATCH", "GET" }, Emulator.Requests().Select(r => r.Split(' ')[0]));
        }

        [Fact]
        public void AJwtInvalidBodyIsARejectedKeyWhateverTheStatus()
        {
            ScriptResult run = Emulator.Run(
                "$f = [CommerceServices.Emulator.EmulatorFault]::new('MessageBody', 1); $f.Message = 'JWT is invalid'; $null = $emulator.AddFault($f); $key | Get-SaasProject",
                KeyOf("MAGE-J"));

            Assert.Equal("ApiKeyRejected", Id(Assert.Single(run.Errors)));
        }

        [Fact]
        public void ALiteralDataSpaceNameThatMatchesNothingIsAnError()
        {
            ScriptResult run = Emulator.Run("$null = $key | New-SaasProject -Name 'P'; $key | Get-SaasDataSpace -Name 'Nope'; $key | Get-SaasDataSpace -Name 'Nope*'", KeyOf("MAGE-DN"));

            Assert.Equal("DataSpaceNotFound", Id(Assert.Single(run.Errors)));
            Assert.Empty(run.Output);
        }

        [Fact]
        public void DebugShowsEachRequestWithoutSecrets()
        {
            var variables = KeyOf("MAGE-DBG");
            string apiKey = (string)PSObject.AsPSObject(variables["key"]).Properties["ApiKey"].Value;

            ScriptResult run = Emulator.Run("$DebugPreference = 'Continue'; $key | Get-SaasProject", variables);

            DebugRecord debug = Assert.Single(run.Debug);
            Assert.Matches(@"^GET http://127\.0\.0\.1:\d+/merchant-registry/v1/registry -> 200 \(attempt 1, \d+ ms, request id [0-9a-f]{32}\)$", debug.Message);
            Assert.DoesNotContain(apiKey, run.AllText().Replace("ApiKey = " + apiKey, string.Empty), StringComparison.Ordinal);
        }

        [Fact]
        public void KeyPairInputMistakesAreClearErrors()
        {
            var variables = KeyOf("MAGE-K");
            ScriptResult run = Emulator.Run(
                @"Get-SaasProject -ApiKey 'abc' -GatewayUri $key.GatewayUri
                  $pair = $key | Import-CommerceApiKey
                  Get-SaasProject -ApiKey $pair -Environment Sandbox -GatewayUri $key.GatewayUri
                  Get-SaasProject -ApiKey $pair -GatewayUri 'http://commerce.example.com/'",
                variables);

            Assert.Equal(new[] { "PrivateKeyMissing", "EnvironmentMismatch", "InvalidGatewayUri" }, run.Errors.Select(Id));
            Assert.Empty(Emulator.Requests());
        }

        [Fact]
        public void AnInvalidKeyPairIsRefusedBeforeAnyRequest()
        {
            using var folder = new TempFolder();
            string shortKey = folder.Write("short.pem", TestKeys.Pkcs8Pem(TestKeys.Short));

            ScriptResult run = Emulator.Run("Get-SaasProject -ApiKey 'abc123' -PrivateKeyPath $path -GatewayUri $emulator.ProductionUri; Import-CommerceApiKey -ApiKey 'abc123' -PrivateKeyPath $path", new() { ["path"] = shortKey });

            Assert.Equal(new[] { "InvalidApiKeyPair", "InvalidApiKeyPair" }, run.Errors.Select(Id));
            Assert.Contains("KeyTooShort", run.Errors[0].Exception.Message, StringComparison.Ordinal);
            Assert.Empty(Emulator.Requests());
        }

        [Fact]
        public void ImportedKeyPairsShowNoKeyMaterial()
        {
            var variables = KeyOf("MAGE-I");
            string pem = System.IO.File.ReadAllText((string)PSObject.AsPSObject(variables["key"]).Properties["PrivateKeyPath"].Value);

            ScriptResult run = Emulator.Run(
                "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $pair = $key | Import-CommerceApiKey; $pair; $pair.ToString(); $pair | New-SaasProject -GatewayUri $key.GatewayUri -Name 'X' | Get-SaasDataSpace",
                variables,
                formatOutput: true);

            Assert.True(run.Errors.Count == 0, string.Join("\n", run.Errors));
            string everything = run.AllText();
            string body = TestKeys.Body(pem);
            for (int i = 32; i + 12 <= body.Length; i += 3)
            {
                Assert.DoesNotContain(body.Substring(i, 12), everything, StringComparison.Ordinal);
            }

            Assert.Contains("Environment ApiKey      KeySize Format Fingerprint", run.HostText, StringComparison.Ordinal);
            Assert.Contains("ProjectName : X", run.HostText, StringComparison.Ordinal);
        }

        private static System.Management.Automation.Runspaces.InitialSessionState CreateState(Dictionary<string, object?> variables)
        {
            var state = System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { PowerShellRunner.ManifestPath, CommerceServices.Testing.ModuleLocation.EmulatorManifestPath });
            foreach (var pair in variables)
            {
                state.Variables.Add(new System.Management.Automation.Runspaces.SessionStateVariableEntry(pair.Key, pair.Value, string.Empty));
            }

            return state;
        }
    }
}
