using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Cloud;
using CommerceServices.Config;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Encryption;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Cloud
{
    /// <summary>
    /// The connector settings of a Cloud project as CONFIG__ variables, proven with the real readers: bash reads the
    /// .env file, PHP files the variables under Magento's placeholder rule (Php/config-env-vars.php), the
    /// connector's reading rule (<see cref="StoredSecret"/>) turns them into the key pair on an environment with
    /// another crypt/key, and bash runs the magento-cloud commands against a stand-in that records its arguments.
    /// </summary>
    public sealed class CloudConfigExportTests : MagentoDatabaseTests
    {
        private const string DataSpaceName = "Joe's \"shop\" $HOME `date` \\ €";
        private static readonly string ProductionPem = TestKeys.Pkcs8Pem(TestKeys.Main);
        private static readonly string SandboxPem = TestKeys.Pkcs8Pem(TestKeys.Other);
        private const string SandboxApiKey = "plainsandboxkey0123456789";

        public CloudConfigExportTests(MariaDbFixture fixture)
            : base(fixture)
        {
        }

        /// <summary>
        /// A Cloud project whose keys are in core_config_data, three of them encrypted with its crypt/key and the sandbox
        /// API key in plain text, with a data space id locked in env.php and a data space name that holds every character
        /// a shell or a .env reader treats specially.
        /// </summary>
        private CommerceInstance CloudShop(out MagentoEncryptor encryptor)
        {
            SampleInstance sample = SampleInstance.CloudProject();
            sample.TablePrefix = Prefix;
            sample.EnvPhpSystem = "'services_connector' => ['services_id' => ['environment_id' => '4f1c2b7e-9a41-4c1e-b0d5-3e8a1f2c4d90']]";
            sample.UseDatabase(Server, Database);
            encryptor = new MagentoEncryptor(sample.CryptKey);
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProductionApiKey, encryptor.Encrypt(TestKeys.ApiKey));
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProductionPrivateKey, encryptor.Encrypt(ProductionPem));
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.SandboxApiKey, SandboxApiKey);
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.SandboxPrivateKey, encryptor.Encrypt(SandboxPem));
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProjectId, "project-1");
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.DataSpaceName, DataSpaceName);
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProjectName, string.Empty);
            return CommerceInstanceReader.Open(sample.WriteTo(Path.Combine(Folder.Path, "cloud")));
        }

        /// <summary>
        /// What the instance holds, as the connector uses it: the plain values, by path. Magento's decrypt() trims what it
        /// decrypts, so a key stored encrypted comes without the PEM's final newline.
        /// </summary>
        private static readonly Dictionary<string, string> Expected = new Dictionary<string, string>
        {
            [ConnectorPaths.SandboxApiKey] = SandboxApiKey,
            [ConnectorPaths.SandboxPrivateKey] = SandboxPem.Trim(),
            [ConnectorPaths.ProductionApiKey] = TestKeys.ApiKey,
            [ConnectorPaths.ProductionPrivateKey] = ProductionPem.Trim(),
            [ConnectorPaths.ProjectId] = "project-1",
            [ConnectorPaths.DataSpaceId] = "4f1c2b7e-9a41-4c1e-b0d5-3e8a1f2c4d90",
            [ConnectorPaths.DataSpaceName] = DataSpaceName,
        };

        private static async Task<CloudConfigExportResult> Export(CommerceInstance instance, bool secrets, IDictionary? environment = null) =>
            CloudConfigExport.Export(
                instance,
                await ConnectorConfigReader.ReadAsync(instance, environment ?? new Hashtable(), includeDatabase: true, CancellationToken.None),
                new CloudConfigExportOptions { IncludeSecrets = secrets, ProjectId = "abcdef123456", Environment = "staging" });

        [Fact]
        public async Task TheDotenvFileGivesPhpThePlainValuesUnderThePathsMagentoReadsThemAs()
        {
            CommerceInstance instance = CloudShop(out _);
            CloudConfigExportResult result = await Export(instance, secrets: true);
            Assert.Empty(result.Refused);

            // Every setting with a value, and only those: no module default, not the empty project name.
            Assert.Equal(Expected.Keys.OrderBy(k => k), result.Variables.Select(v => v.Path).OrderBy(k => k));
            Assert.Equal(
                new[] { ConnectorPaths.SandboxApiKey, ConnectorPaths.SandboxPrivateKey, ConnectorPaths.ProductionApiKey, ConnectorPaths.ProductionPrivateKey },
                result.Variables.Where(v => v.IsSensitive).Select(v => v.Path));
            Assert.Equal(ConfigLayer.EnvPhp, result.Variables.Single(v => v.Path == ConnectorPaths.DataSpaceId).Source);

            JsonElement php = PhpReadsDotenv(CloudConfigExport.Dotenv(instance, result.Variables));

            JsonElement winners = php.GetProperty("winners");
            foreach (CloudConfigVariable variable in result.Variables)
            {
                Assert.Equal(CloudConfigExport.EnvPrefix + variable.EnvironmentVariable, variable.Name);
                JsonElement filed = winners.GetProperty("default/" + variable.Path);
                Assert.Equal((variable.Path, variable.EnvironmentVariable, Expected[variable.Path]), (variable.Path, filed.GetProperty("name").GetString(), filed.GetProperty("value").GetString()));
            }

            // Nothing else reached PHP's $_ENV from the file.
            Assert.Equal(result.Variables.Count, winners.EnumerateObject().Count());
        }

        /// <summary>
        /// The rule for secrets, against the connector's reading rule: the exported plain keys are the key pair on an
        /// environment whose crypt/key differs, whether they arrive as variables (used verbatim) or are stored there
        /// (a value that does not decrypt is used as it is); the instance's ciphertext would not be.
        /// </summary>
        [Fact]
        public async Task TheExportedKeysAreTheKeyPairUnderAnotherCryptKeyWhereCiphertextWouldNotBe()
        {
            CommerceInstance instance = CloudShop(out MagentoEncryptor encryptor);
            CloudConfigExportResult result = await Export(instance, secrets: true);
            JsonElement winners = PhpReadsDotenv(CloudConfigExport.Dotenv(instance, result.Variables)).GetProperty("winners");
            var phpEnvironment = new Hashtable();
            foreach (JsonProperty filed in winners.EnumerateObject())
            {
                phpEnvironment[filed.Value.GetProperty("name").GetString()!] = filed.Value.GetProperty("value").GetString();
            }

            var other = new SampleInstance { CryptKey = "base64" + Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray()), DatabaseHost = "127.0.0.1:9" };
            CommerceInstance otherEnvironment = CommerceInstanceReader.Open(other.WriteTo(Path.Combine(Folder.Path, "other-environment")));
            var otherEncryptor = new MagentoEncryptor(other.CryptKey);
            IReadOnlyList<ConnectorSetting> read = await ConnectorConfigReader.ReadAsync(otherEnvironment, phpEnvironment, includeDatabase: false, CancellationToken.None);

            foreach (GatewayEnvironment environment in new[] { GatewayEnvironment.Production, GatewayEnvironment.Sandbox })
            {
                ApiKeyPair pair = StoredKeyPairs.From(otherEnvironment, read, environment).KeyPair;
                Assert.Equal(environment == GatewayEnvironment.Production ? TestKeys.ApiKey : SandboxApiKey, pair.ApiKey);
                Assert.Equal(TestKeys.Fingerprint(environment == GatewayEnvironment.Production ? TestKeys.Main : TestKeys.Other), pair.Fingerprint);
            }

            foreach (CloudConfigVariable secret in result.Variables.Where(v => v.IsSensitive))
            {
                Assert.False(ConnectorConfigReader.LooksEncrypted(secret.Value!), secret.Path);
                Assert.Equal(Expected[secret.Path], StoredSecret.PlainValue(secret.Value, fromVariable: true, otherEncryptor, out _));
                Assert.Equal(Expected[secret.Path], StoredSecret.PlainValue(secret.Value, fromVariable: false, otherEncryptor, out _));
            }

            // What the rule prevents: the instance's ciphertext, read where its crypt/key is not, is the key itself.
            string ciphertext = encryptor.Encrypt(ProductionPem);
            Assert.Equal(ciphertext, StoredSecret.PlainValue(ciphertext, fromVariable: true, otherEncryptor, out _));
            Assert.Equal(ciphertext, StoredSecret.PlainValue(ciphertext, fromVariable: false, otherEncryptor, out _));
        }

        [Fact]
        public async Task SecretsAreLeftOutUnlessAskedForAndNeverShownByToString()
        {
            CommerceInstance instance = CloudShop(out _);
            CloudConfigExportResult result = await Export(instance, secrets: false);

            Assert.All(result.Variables.Where(v => v.IsSensitive), v => Assert.Equal((v.Path, false, (string?)null), (v.Path, v.HasValue, v.Value)));
            Assert.All(result.Variables.Where(v => !v.IsSensitive), v => Assert.Equal(Expected[v.Path], v.Value));
            string dotenv = CloudConfigExport.Dotenv(instance, result.Variables);
            Assert.Contains("# " + ConnectorPaths.EnvironmentVariableFor(ConnectorPaths.ProductionPrivateKey) + ": a secret, left out (add -IncludeSecret to export it)\n", dotenv, StringComparison.Ordinal);
            Assert.DoesNotContain(ConnectorPaths.EnvironmentVariableFor(ConnectorPaths.ProductionApiKey) + "=", dotenv, StringComparison.Ordinal);

            // PHP sees only the plain settings: a left-out secret is no empty variable that would hide the stored key.
            JsonElement winners = PhpReadsDotenv(dotenv).GetProperty("winners");
            Assert.Equal(result.Variables.Where(v => !v.IsSensitive).Select(v => "default/" + v.Path).OrderBy(p => p), winners.EnumerateObject().Select(p => p.Name).OrderBy(p => p));

            string shown = dotenv + string.Join("\n", result.Variables.Select(v => v.ToString() + v.Command));
            foreach (string secret in new[] { TestKeys.ApiKey, SandboxApiKey, TestKeys.Body(ProductionPem).Substring(40, 24), TestKeys.Body(SandboxPem).Substring(40, 24) })
            {
                Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
            }

            CloudConfigVariable withSecret = (await Export(instance, secrets: true)).Variables.Single(v => v.Path == ConnectorPaths.ProductionApiKey);
            Assert.Equal("env:" + ConnectorPaths.EnvironmentVariableFor(ConnectorPaths.ProductionApiKey) + " (sensitive)", withSecret.ToString());
        }

        /// <summary>Each command, run by bash, hands the Cloud CLI exactly the variable: name, value (a multi-line key, shell characters), flags.</summary>
        [Fact]
        public async Task TheCommandsGiveTheCloudCliTheVariableExactly()
        {
            CommerceInstance instance = CloudShop(out _);
            foreach (CloudConfigVariable variable in (await Export(instance, secrets: true)).Variables)
            {
                var (exit, arguments, _) = RunCommand(variable.Command, new Dictionary<string, string>());
                Assert.Equal(0, exit);
                Assert.Equal(CliArguments(variable.Name, Expected[variable.Path], variable.IsSensitive), arguments);
            }

            // A secret left out is read from a shell variable named after the path; unset, the command stops before the CLI runs.
            CloudConfigVariable privateKey = (await Export(instance, secrets: false)).Variables.Single(v => v.Path == ConnectorPaths.ProductionPrivateKey);
            var (failed, none, error) = RunCommand(privateKey.Command, new Dictionary<string, string>());
            Assert.NotEqual(0, failed);
            Assert.Empty(none);
            Assert.Contains("PRODUCTION_PRIVATE_KEY: set PRODUCTION_PRIVATE_KEY to the " + ConnectorPaths.ProductionPrivateKey + " value first", error, StringComparison.Ordinal);
            var (set, given, _) = RunCommand(privateKey.Command, new Dictionary<string, string> { ["PRODUCTION_PRIVATE_KEY"] = ProductionPem });
            Assert.Equal(0, set);
            Assert.Equal(CliArguments(privateKey.Name, ProductionPem, sensitive: true), given);
        }

        [Fact]
        public async Task CiphertextOfAnotherCryptKeyAndAmbiguousVariablesAreRefusedTheRestExported()
        {
            CommerceInstance instance = CloudShop(out _);
            var stranger = new MagentoEncryptor("base64" + Convert.ToBase64String(new byte[32]));
            MagentoDatabase.SetValue(Server, Database, Prefix, ConnectorPaths.ProductionApiKey, stranger.Encrypt(TestKeys.ApiKey));
            var environment = new Hashtable
            {
                ["CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_NAME"] = "One",
                ["CONFIG__default__services_connector__services_id__project_name"] = "Two",
            };

            CloudConfigExportResult result = await Export(instance, secrets: true, environment);

            Assert.Equal(new[] { ConnectorPaths.ProductionApiKey, ConnectorPaths.ProjectName }.OrderBy(p => p, StringComparer.Ordinal), result.Refused.Select(r => r.Setting.Path).OrderBy(p => p, StringComparer.Ordinal));
            Assert.Contains("is encrypted with a key that is not in the instance's crypt/key", result.Refused.Single(r => r.Setting.Path == ConnectorPaths.ProductionApiKey).Message, StringComparison.Ordinal);
            Assert.Contains("set by several environment variables with different values", result.Refused.Single(r => r.Setting.Path == ConnectorPaths.ProjectName).Message, StringComparison.Ordinal);
            Assert.Equal(Expected.Keys.Where(k => k != ConnectorPaths.ProductionApiKey).OrderBy(k => k), result.Variables.Select(v => v.Path).OrderBy(k => k));
        }

        [Theory]
        [InlineData("master", CloudEnvironmentType.Production)]
        [InlineData("production", CloudEnvironmentType.Production)]
        [InlineData("Production-a1b2c3", CloudEnvironmentType.Production)]
        [InlineData("staging", CloudEnvironmentType.Staging)]
        [InlineData("staging-2", CloudEnvironmentType.Staging)]
        [InlineData("integration", CloudEnvironmentType.Integration)]
        [InlineData("feature-production", CloudEnvironmentType.Integration)]
        [InlineData(null, null)]
        [InlineData(" ", null)]
        public void TheEnvironmentTypeIsReadFromTheBranchAsEceToolsReadsIt(string? branch, CloudEnvironmentType? type) =>
            Assert.Equal(type, CloudEnvironmentTypes.Of(branch));

        private static string[] CliArguments(string name, string value, bool sensitive) => new[]
        {
            "variable:create", "--update", "--project", "abcdef123456", "--environment", "staging", "--level", "environment",
            "--name", name, "--value", value, "--json", "false", "--sensitive", sensitive ? "true" : "false",
            "--inheritable", "false", "--visible-build", "false", "--visible-runtime", "true",
        };

        /// <summary>bash reads the .env file (set -a exports what it sets) and starts PHP with nothing else in its environment.</summary>
        private JsonElement PhpReadsDotenv(string dotenv)
        {
            string file = Path.Combine(Folder.Path, "connector-" + Guid.NewGuid().ToString("n") + ".env");
            File.WriteAllText(file, dotenv);
            string script = Path.Combine(AppContext.BaseDirectory, "Php", "config-env-vars.php");
            var (exit, output, error) = Bash("set -a; . \"$1\"; set +a; exec php -d variables_order=EGPCS \"$2\"", new Dictionary<string, string>(), file, script);
            Assert.True(exit == 0, error);
            return JsonDocument.Parse(output).RootElement;
        }

        /// <summary>Runs a printed command with a magento-cloud stand-in first on PATH that writes each argument it gets, NUL-terminated.</summary>
        private (int Exit, string[] Arguments, string Error) RunCommand(string command, Dictionary<string, string> environment)
        {
            string bin = Path.Combine(Folder.Path, "bin");
            string cli = Path.Combine(bin, "magento-cloud");
            if (!File.Exists(cli))
            {
                Directory.CreateDirectory(bin);
                File.WriteAllText(cli, "#!/bin/sh\nfor argument in \"$@\"; do printf '%s\\0' \"$argument\"; done\n");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            environment["PATH"] = bin + ":/usr/local/bin:/usr/bin:/bin";
            var (exit, output, error) = Bash(command, environment);
            return (exit, output.Length == 0 ? Array.Empty<string>() : output.TrimEnd('\0').Split('\0'), error);
        }

        private static (int Exit, string Output, string Error) Bash(string script, Dictionary<string, string> environment, params string[] arguments)
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.Environment.Clear();
            start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
            foreach (KeyValuePair<string, string> variable in environment)
            {
                start.Environment[variable.Key] = variable.Value;
            }

            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(script);
            start.ArgumentList.Add("bash");
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using (Process process = Process.Start(start)!)
            {
                System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                return (process.ExitCode, output, error.Result);
            }
        }
    }
}
