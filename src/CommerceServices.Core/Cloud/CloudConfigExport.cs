using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CommerceServices.Config;
using CommerceServices.Encryption;
using CommerceServices.Instances;
using CommerceServices.Keys;

namespace CommerceServices.Cloud
{
    /// <summary>What <see cref="CloudConfigExport"/> is asked for.</summary>
    public sealed class CloudConfigExportOptions
    {
        /// <summary>Put the values of secrets (API keys, private keys, the IMS client secret) in plain text into the export.</summary>
        public bool IncludeSecrets { get; set; }

        /// <summary>The Cloud project the commands name (--project); the instance's own when null, none when neither is known.</summary>
        public string? ProjectId { get; set; }

        /// <summary>The Cloud environment the commands name (--environment); the instance's own when null, none when neither is known.</summary>
        public string? Environment { get; set; }
    }

    /// <summary>A setting that cannot be exported, and why.</summary>
    public sealed class ConfigExportRefusal
    {
        internal ConfigExportRefusal(ConnectorSetting setting, string message)
        {
            Setting = setting;
            Message = message;
        }

        /// <summary>The setting.</summary>
        public ConnectorSetting Setting { get; }

        /// <summary>What stops it, and what to do.</summary>
        public string Message { get; }
    }

    /// <summary>The export of one instance: its variables, and the settings that could not be exported.</summary>
    public sealed class CloudConfigExportResult
    {
        internal CloudConfigExportResult(IReadOnlyList<CloudConfigVariable> variables, IReadOnlyList<ConfigExportRefusal> refused)
        {
            Variables = variables;
            Refused = refused;
        }

        /// <summary>The settings, as variables, in the Admin's order.</summary>
        public IReadOnlyList<CloudConfigVariable> Variables { get; }

        /// <summary>The settings that have a value but cannot be exported.</summary>
        public IReadOnlyList<ConfigExportRefusal> Refused { get; }
    }

    /// <summary>
    /// The connector settings of an instance as the CONFIG__ environment variables that set them on Adobe Commerce on
    /// Cloud (or wherever Magento's PHP reads its environment): every setting that has a value above the module
    /// defaults, under the name Magento reads (<see cref="ConnectorPaths.EnvironmentVariableFor"/>), each name checked
    /// against Magento's rule (<see cref="ConnectorPaths.DecodeEnvironmentVariable"/>).
    /// <para>
    /// The rule for secrets: a variable holds the plain value, never Magento ciphertext. Magento does not decrypt
    /// CONFIG__ variables (its MetadataConfigTypeProcessor leaves values from $_ENV alone), and the connector's
    /// KeyEncrypted backend uses a value it cannot decrypt as it is (<see cref="StoredSecret.PlainValue(string, bool, MagentoEncryptor, out bool)"/>).
    /// So the plain key is the key wherever it is read, while ciphertext would be used as the key itself: a different,
    /// unusable one on every environment (each Cloud environment has its own crypt/key). A value that is ciphertext
    /// this instance cannot open is refused, since its plain value is not known here.
    /// </para>
    /// </summary>
    public static class CloudConfigExport
    {
        /// <summary>The prefix that makes a Cloud variable an environment variable of the application.</summary>
        public const string EnvPrefix = "env:";

        /// <summary>The settings of <paramref name="instance"/> (read with <see cref="ConnectorConfigReader"/>) as variables.</summary>
        public static CloudConfigExportResult Export(CommerceInstance instance, IReadOnlyList<ConnectorSetting> settings, CloudConfigExportOptions options)
        {
            MagentoEncryptor? encryptor = ConnectorConfigReader.EncryptorOf(instance);
            string? project = options.ProjectId ?? instance.CloudProjectId;
            string? environment = options.Environment ?? instance.CloudEnvironment;
            var variables = new List<CloudConfigVariable>();
            var refused = new List<ConfigExportRefusal>();
            foreach (ConnectorSetting setting in settings.Where(s => s.Layer.HasValue && s.Layer != ConfigLayer.Default))
            {
                string name = ConnectorPaths.EnvironmentVariableFor(setting.Path);
                if (ConnectorPaths.DecodeEnvironmentVariable(name) != "default/" + setting.Path)
                {
                    // Cannot happen for the connector's paths; guards the rule should a path ever hold other characters.
                    throw new InvalidOperationException("'" + name + "' is not a name Magento reads as " + setting.Path + ".");
                }

                if (setting.IsAmbiguous)
                {
                    refused.Add(new ConfigExportRefusal(setting, "'" + setting.Path + "' of " + instance.Path + " is set by several environment variables with different values (" + string.Join(", ", setting.EnvironmentVariableNames) + "), so the value Magento uses is not known here. Keep one of them, then export again."));
                    continue;
                }

                if (setting.IsUndecryptable)
                {
                    refused.Add(new ConfigExportRefusal(setting, "'" + setting.Path + "' of " + instance.Path + " (" + setting.Layer + ") is encrypted with a key that is not in the instance's crypt/key, so its plain value is not known here, and Magento ciphertext in a variable would be used as the key itself. Store the value again (Set-CommerceApiKey for a key pair), then export again."));
                    continue;
                }

                string? plain = setting.Definition.IsEncrypted
                    ? StoredSecret.PlainValue(setting.RawValue, setting.Layer == ConfigLayer.EnvironmentVariable, encryptor, out _)
                    : setting.RawValue;
                if (string.IsNullOrEmpty(plain))
                {
                    // Not set, as the connector reads it; a variable holding nothing would hide the lower layers' values.
                    continue;
                }

                bool sensitive = setting.Definition.IsEncrypted;
                string? value = sensitive && !options.IncludeSecrets ? null : plain;
                variables.Add(new CloudConfigVariable(instance, setting.Path, name, sensitive, setting.Layer!.Value, value, Command(setting.Path, name, sensitive, value, project, environment)));
            }

            return new CloudConfigExportResult(variables, refused);
        }

        /// <summary>
        /// The shell variable a command reads a left-out secret from: the path's last part in capitals
        /// (PRODUCTION_PRIVATE_KEY, SANDBOX_API_KEY, CLIENT_SECRET).
        /// </summary>
        public static string ShellVariableFor(string path) => path.Substring(path.LastIndexOf('/') + 1).ToUpperInvariant();

        /// <summary>
        /// magento-cloud variable:create for one variable: at the environment level (each environment its own data space
        /// and keys, R6), created or updated (--update), not inherited by child environments (a branch of production
        /// must not send to its data space, R7), visible at runtime only (the build does not need it), sensitive for secrets.
        /// </summary>
        private static string Command(string path, string name, bool sensitive, string? value, string? project, string? environment)
        {
            var arguments = new List<string> { "magento-cloud", "variable:create", "--update" };
            if (!string.IsNullOrEmpty(project))
            {
                arguments.Add("--project");
                arguments.Add(PosixShell.Quote(project!));
            }

            if (!string.IsNullOrEmpty(environment))
            {
                arguments.Add("--environment");
                arguments.Add(PosixShell.Quote(environment!));
            }

            string shellVariable = ShellVariableFor(path);
            arguments.AddRange(new[]
            {
                "--level", "environment",
                "--name", EnvPrefix + name,
                "--value", value != null ? PosixShell.QuoteAlways(value) : "\"${" + shellVariable + ":?set " + shellVariable + " to the " + path + " value first}\"",
                "--json", "false",
                "--sensitive", sensitive ? "true" : "false",
                "--inheritable", "false",
                "--visible-build", "false",
                "--visible-runtime", "true",
            });
            return string.Join(" ", arguments);
        }

        /// <summary>
        /// The variables as a .env file: a comment naming the instance, then NAME='value' per variable (single quotes
        /// keep every character as it is, newlines of a private key too; a value holding a single quote is written
        /// in double quotes with \, ", $ and ` escaped, as POSIX shells and the common dotenv readers take it). A secret
        /// left out is a comment, not an empty variable, which would hide the value the instance holds.
        /// </summary>
        public static string Dotenv(CommerceInstance instance, IReadOnlyList<CloudConfigVariable> variables)
        {
            var text = new StringBuilder();
            text.Append("# Commerce Services Connector settings of ").Append(instance.Path.Replace('\n', ' ')).Append('\n');
            text.Append("# as the CONFIG__ environment variables Magento reads from $_ENV (above every other layer); values in plain text, which Magento uses as they are.\n");
            foreach (CloudConfigVariable variable in variables)
            {
                if (variable.Value == null)
                {
                    text.Append("# ").Append(variable.EnvironmentVariable).Append(": a secret, left out (add -IncludeSecret to export it)\n");
                    continue;
                }

                text.Append(variable.EnvironmentVariable).Append('=').Append(DotenvQuote(variable.Value)).Append('\n');
            }

            return text.ToString();
        }

        private static string DotenvQuote(string value)
        {
            if (value.IndexOf('\'') < 0)
            {
                return "'" + value + "'";
            }

            var quoted = new StringBuilder("\"");
            foreach (char c in value)
            {
                if (c == '\\' || c == '"' || c == '$' || c == '`')
                {
                    quoted.Append('\\');
                }

                quoted.Append(c);
            }

            return quoted.Append('"').ToString();
        }

        /// <summary>Why there is no .magento.env.yaml form: ece-tools reads none of the connector's settings from that file.</summary>
        public static string MagentoEnvYamlRefusal { get; } =
            "ece-tools reads no Commerce Services Connector setting from .magento.env.yaml: its variables are a fixed list (deploy, build and post-deploy options such as CRYPT_KEY or SCD_THREADS), "
            + "and the only store configuration it writes from there is the search engine's. Set the settings as Cloud environment variables instead: "
            + "-Format CloudVariables gives the magento-cloud commands (keys marked sensitive); -Format Dotenv gives the same variables as a .env file.";
    }
}
