namespace CommerceServices.Tests.Commands
{
    public sealed class InstanceCommandsTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        private string Instance(string name, SampleInstance? sample = null) => (sample ?? new SampleInstance()).WriteTo(Path.Combine(folder.Path, name));

        private ScriptResult Run(string script) => PowerShellRunner.Run(script, location: folder.Path);

        [Fact]
        public void ConnectReadsWhatTheInstanceIs()
        {
            Instance("shop");

            ScriptResult run = Run("Connect-CommerceInstance -Path ./shop -PassThru");

            Assert.Empty(run.Errors);
            PSObject instance = PSObject.AsPSObject(Assert.Single(run.Output));
            Assert.Equal(Path.Combine(folder.Path, "shop"), instance.Properties["Path"].Value);
            Assert.Equal("AdobeCommerce", instance.Properties["Edition"].Value.ToString());
            Assert.Equal("2.4.7-p3", instance.Properties["Version"].Value);
            Assert.Equal("production", instance.Properties["MageMode"].Value);
            Assert.Equal(true, instance.Properties["ServicesConnectorEnabled"].Value);
            Assert.Equal(true, instance.Properties["ServicesIdEnabled"].Value);
            Assert.Equal("Database", instance.Properties["ConfigStore"].Value.ToString());
            PSObject database = PSObject.AsPSObject(instance.Properties["Database"].Value);
            Assert.Equal(("db.internal", 3307, "magento", "mg_"), ((string)database.Properties["Host"].Value, (int?)database.Properties["Port"].Value ?? 0, (string)database.Properties["Database"].Value, (string)database.Properties["TablePrefix"].Value));
            Assert.DoesNotContain(instance.Properties, p => p.Name.Contains("Password", StringComparison.OrdinalIgnoreCase) || p.Name.Contains("Crypt", StringComparison.OrdinalIgnoreCase));
        }

        [Theory]
        [InlineData("/var/run/mysqld/mysqld.sock", "", null, "/var/run/mysqld/mysqld.sock")]
        [InlineData("localhost", "localhost", null, null)]
        [InlineData("10.0.0.5:3306", "10.0.0.5", 3306, null)]
        public void DatabaseHostsInEveryForm(string host, string expectedHost, int? expectedPort, string? expectedSocket)
        {
            Instance("shop", new SampleInstance { DatabaseHost = host, TablePrefix = string.Empty });

            ScriptResult run = Run("(Connect-CommerceInstance ./shop -PassThru).Database");

            PSObject database = PSObject.AsPSObject(Assert.Single(run.Output));
            Assert.Equal(expectedHost, database.Properties["Host"].Value);
            Assert.Equal(expectedPort, database.Properties["Port"].Value);
            Assert.Equal(expectedSocket, database.Properties["Socket"].Value);
        }

        [Fact]
        public void AListOfInstancesConnectsEachWithItsRoleAndStore()
        {
            Instance("live");
            Instance("staging");
            Instance("new", new SampleInstance { Installed = false });

            ScriptResult run = Run(
                @"@(
                    [pscustomobject]@{ Path = './live'; Role = 'Production'; ConfigStore = 'Database' }
                    [pscustomobject]@{ Path = './staging'; Role = 'Staging'; ConfigStore = 'EnvPhp' }
                    [pscustomobject]@{ Path = './new' }
                  ) | Connect-CommerceInstance -PassThru | ForEach-Object { '{0} {1} {2} {3}' -f $_.Name, $_.Role, $_.ConfigStore, $_.IsInstalled }
                  (Get-CommerceInstance).Count");

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "live Production Database True", "staging Staging EnvPhp True", "new Undeclared Database False", 3 }, run.Output);
        }

        [Fact]
        public void OpenSourceAndAMissingComposerLock()
        {
            Instance("oss", new SampleInstance { AdobeCommerce = false, Version = "2.4.6-p8" });
            Instance("trimmed", new SampleInstance { WithComposerLock = false });

            ScriptResult run = Run("Connect-CommerceInstance ./oss, ./trimmed -PassThru | ForEach-Object { '{0} {1} {2}' -f $_.Name, $_.Edition, $_.Version }");

            Assert.Equal(new object[] { "oss MagentoOpenSource 2.4.6-p8", "trimmed AdobeCommerce " }, run.Output);
            Assert.Contains("no composer.lock", Assert.Single(run.Warnings).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ADisabledConnectorIsAWarning()
        {
            Instance("shop", new SampleInstance { ConnectorEnabled = false });

            ScriptResult run = Run("Connect-CommerceInstance ./shop");

            Assert.Empty(run.Output);
            Assert.Contains("module:enable Magento_ServicesConnector Magento_ServicesId", Assert.Single(run.Warnings).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void PathsFromThePipelineConnectManyAndTheLastIsTheDefault()
        {
            Instance("a");
            Instance("b");
            Instance("c");

            ScriptResult run = Run(
                @"'./a', './b' | Connect-CommerceInstance
                  [pscustomobject]@{ FullName = (Join-Path $PWD 'c') } | Connect-CommerceInstance
                  (Get-CommerceInstance).Name -join ','
                  (Get-CommerceInstance -Default).Name
                  (Get-CommerceInstance -Path 'b').Name
                  Connect-CommerceInstance ./a
                  (Get-CommerceInstance).Name -join ','".Replace("(Join-Path $PWD 'c')", "[System.IO.Path]::Combine($PWD, 'c')"));

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "a,b,c", "c", "b", "b,c,a" }, run.Output);
        }

        [Fact]
        public void DisconnectForgetsAndWipes()
        {
            Instance("a");
            Instance("b");

            ScriptResult run = Run(
                @"$a = Connect-CommerceInstance ./a -PassThru
                  $b = Connect-CommerceInstance ./b -PassThru
                  Disconnect-CommerceInstance
                  (Get-CommerceInstance).Name -join ','
                  $b.IsOpen
                  $a | Disconnect-CommerceInstance
                  @(Get-CommerceInstance).Count
                  $a.IsOpen
                  Connect-CommerceInstance ./a, ./b
                  Disconnect-CommerceInstance -All
                  @(Get-CommerceInstance).Count");

            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { "a", false, 0, false, 0 }, run.Output);
        }

        [Fact]
        public void ConnectionsBelongToTheirRunspace()
        {
            Instance("shop");

            Run("Connect-CommerceInstance ./shop");
            ScriptResult other = Run("@(Get-CommerceInstance).Count");

            Assert.Equal(new object[] { 0 }, other.Output);
        }

        [Fact]
        public void BadFoldersAndFilesAreErrorsThatSayWhatToDo()
        {
            Instance("good");
            Directory.CreateDirectory(Path.Combine(folder.Path, "empty"));
            string broken = Instance("broken");
            File.WriteAllText(Path.Combine(broken, "app", "etc", "env.php"), "<?php\nreturn [\n    'db' => [\n        'host' => getenv('DB_HOST'),\n    ],\n];\n");

            ScriptResult run = Run("Connect-CommerceInstance ./missing, ./empty, ./broken, ./good; (Get-CommerceInstance).Name");

            Assert.Equal(new[] { "InstancePathNotFound", "NotACommerceInstance", "ConfigFileNotReadable" }, run.Errors.Select(Id));
            Assert.Equal(ErrorCategory.ObjectNotFound, run.Errors[0].CategoryInfo.Category);
            Assert.Contains("app/etc/env.php", run.Errors[1].Exception.Message, StringComparison.Ordinal);
            Assert.Contains("line 4", run.Errors[2].Exception.Message, StringComparison.Ordinal);
            Assert.Contains("getenv", run.Errors[2].Exception.Message, StringComparison.Ordinal);
            Assert.Equal(new object[] { "good" }, run.Output);
        }

        [Fact]
        public void NoSecretOfTheInstanceAppearsAnywhere()
        {
            var sample = new SampleInstance();
            Instance("shop", sample);

            ScriptResult run = PowerShellRunner.Run(
                "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $i = Connect-CommerceInstance ./shop -PassThru; $i; $i.ToString(); $i.Database.ToString(); Get-CommerceInstance",
                location: folder.Path,
                formatOutput: true);

            string everything = run.AllText();
            Assert.DoesNotContain(sample.DatabasePassword, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(sample.CryptKey.Substring(6, 20), everything, StringComparison.Ordinal);
            Assert.Contains("magento@db.internal:3307/magento (prefix mg_)", run.HostText, StringComparison.Ordinal);
        }
    }
}
