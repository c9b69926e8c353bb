using CommerceServices.Instances;

namespace CommerceServices.Cloud
{
    /// <summary>
    /// One connector setting as a Cloud environment variable: its name as the Cloud CLI and Console take it
    /// (env:CONFIG__DEFAULT__…), whether it is a secret to mark sensitive, and the command that sets it. The value
    /// is the plain one Magento uses, since Magento does not decrypt CONFIG__ variables; a secret's value is left
    /// out unless it was asked for (Export-CommerceServicesConfig -IncludeSecret), and never shown by <see cref="ToString"/>.
    /// </summary>
    public sealed class CloudConfigVariable
    {
        internal CloudConfigVariable(CommerceInstance instance, string path, string environmentVariable, bool isSensitive, ConfigLayer source, string? value, string command)
        {
            Instance = instance;
            Path = path;
            EnvironmentVariable = environmentVariable;
            IsSensitive = isSensitive;
            Source = source;
            Value = value;
            Command = command;
        }

        /// <summary>The instance the setting was read from.</summary>
        public CommerceInstance Instance { get; }

        /// <summary>The variable as the Cloud CLI and Console take it: env: and <see cref="EnvironmentVariable"/> (env: makes it an environment variable, which Magento reads).</summary>
        public string Name => CloudConfigExport.EnvPrefix + EnvironmentVariable;

        /// <summary>The environment variable Magento reads: CONFIG__DEFAULT__ and the path in capitals, each / as __.</summary>
        public string EnvironmentVariable { get; }

        /// <summary>The configuration path, e.g. services_connector/services_id/environment_id.</summary>
        public string Path { get; }

        /// <summary>True for API keys, private keys and other secrets: set the variable sensitive, so neither the Console nor the CLI shows it again.</summary>
        public bool IsSensitive { get; }

        /// <summary>Where the instance holds the value now (Database, EnvPhp, ConfigPhp or EnvironmentVariable).</summary>
        public ConfigLayer Source { get; }

        /// <summary>The plain value Magento uses; null for a secret unless secrets were asked for.</summary>
        public string? Value { get; }

        /// <summary>Whether <see cref="Value"/> holds the value (false: a secret left out).</summary>
        public bool HasValue => Value != null;

        /// <summary>
        /// The magento-cloud command, for a POSIX shell, that creates or updates the variable at the environment level,
        /// not inherited by child environments. A secret left out is read from a shell variable the command names
        /// (it stops with that name when the variable is not set).
        /// </summary>
        public string Command { get; }

        /// <summary>The variable's name, and its value unless it is sensitive.</summary>
        public override string ToString() => Name + (IsSensitive ? " (sensitive)" : " = " + Value);
    }
}
