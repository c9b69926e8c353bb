using System;
using System.Linq;
using CommerceServices.Php;
using CommerceServices.Stores;

namespace CommerceServices.Instances
{
    /// <summary>
    /// One Adobe Commerce or Magento Open Source installation as read from its files: where it is,
    /// what it is, whether the Commerce Services Connector modules are enabled, and where its
    /// database is. Secrets it read (the database password, crypt/key) are held inside, never
    /// exposed as properties, and wiped by <see cref="Forget"/>.
    /// </summary>
    public sealed class CommerceInstance
    {
        private PhpArray? deploymentConfig;
        private PhpArray? envPhp;
        private PhpArray? configPhp;

        internal CommerceInstance(
            string path,
            CommerceEdition edition,
            string? version,
            bool editionFromComposerLock,
            string mageMode,
            bool servicesConnectorEnabled,
            bool servicesIdEnabled,
            DatabaseEndpoint? database,
            ConfigStore configStore,
            CloudMarkers cloud,
            PhpArray deploymentConfig,
            PhpArray envPhp,
            PhpArray configPhp)
        {
            this.envPhp = envPhp;
            this.configPhp = configPhp;
            Path = path;
            Edition = edition;
            Version = version;
            EditionFromComposerLock = editionFromComposerLock;
            MageMode = mageMode;
            ServicesConnectorEnabled = servicesConnectorEnabled;
            ServicesIdEnabled = servicesIdEnabled;
            Database = database;
            ConfigStore = configStore;
            Platform = cloud.Platform;
            CloudProjectId = cloud.ProjectId;
            CloudEnvironment = cloud.Environment;
            CloudMarkers = cloud.Found.ToArray();
            CloudVariableNames = cloud.VariableNames;
            this.deploymentConfig = deploymentConfig;
            IsInstalled = Installed(deploymentConfig);
            ConnectedAt = DateTimeOffset.Now;
        }

        /// <summary>The Magento root folder (the one holding app/etc/env.php).</summary>
        public string Path { get; }

        /// <summary>The folder's name, for display.</summary>
        public string Name => System.IO.Path.GetFileName(Path.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar));

        /// <summary>Adobe Commerce or Magento Open Source.</summary>
        public CommerceEdition Edition { get; }

        /// <summary>The product version from composer.lock, when it could be read.</summary>
        public string? Version { get; }

        /// <summary>False when composer.lock was missing and the edition was inferred from the enabled modules.</summary>
        public bool EditionFromComposerLock { get; }

        /// <summary>env.php MAGE_MODE: default, developer or production.</summary>
        public string MageMode { get; }

        /// <summary>Whether Magento_ServicesConnector is enabled (R12, both connector modules enabled).</summary>
        public bool ServicesConnectorEnabled { get; }

        /// <summary>Whether Magento_ServicesId is enabled (R12, both connector modules enabled).</summary>
        public bool ServicesIdEnabled { get; }

        /// <summary>Whether a module is enabled in the deployment configuration (config.php "modules", as Magento reads it).</summary>
        public bool IsModuleEnabled(string module) => CommerceInstanceReader.IsEnabled(DeploymentConfig, module);

        /// <summary>
        /// Whether Magento is installed here: env.php holds install/date, as Magento's own
        /// DeploymentConfig::isAvailable() asks. Before 'bin/magento setup:install' there is no
        /// core_config_data and no configuration hash: the files are all there is.
        /// </summary>
        public bool IsInstalled { get; private set; }

        /// <summary>Magento's test: the install/date key exists (even with a null value).</summary>
        private static bool Installed(PhpArray deploymentConfig)
        {
            deploymentConfig.GetPath("install/date", out bool found);
            return found;
        }

        /// <summary>The database endpoint from env.php (never the password); null when env.php names none.</summary>
        public DatabaseEndpoint? Database { get; }

        /// <summary>Where connector settings are written for this connection.</summary>
        public ConfigStore ConfigStore { get; }

        /// <summary>OnPremises, or Cloud (Adobe Commerce on Cloud) when any of <see cref="CloudMarkers"/> was found.</summary>
        public InstancePlatform Platform { get; }

        /// <summary>
        /// The Cloud project id (MAGENTO_CLOUD_PROJECT) when this process runs in the Cloud application at
        /// <see cref="Path"/> (MAGENTO_CLOUD_APP_DIR is that folder); null when not known.
        /// </summary>
        public string? CloudProjectId { get; }

        /// <summary>The Cloud environment (MAGENTO_CLOUD_ENVIRONMENT), under the same rule as <see cref="CloudProjectId"/>; null when not known.</summary>
        public string? CloudEnvironment { get; }

        /// <summary>
        /// What the Cloud environment is for (Production, Staging or Integration), as ece-tools reads it from
        /// <see cref="CloudEnvironment"/>, the environment's branch; null when that is not known.
        /// </summary>
        public Cloud.CloudEnvironmentType? CloudEnvironmentType => Cloud.CloudEnvironmentTypes.Of(CloudEnvironment);

        /// <summary>The names in MAGENTO_CLOUD_VARIABLES (see <see cref="Instances.CloudMarkers.VariableNames"/>); null when not known. Core use.</summary>
        internal System.Collections.Generic.IReadOnlyList<string>? CloudVariableNames { get; }

        /// <summary>What showed the instance to be on Cloud (a composer package, a file in the root, the Cloud host's variables); empty on premises.</summary>
        public string[] CloudMarkers { get; }

        /// <summary>What the installation is for, as declared with Connect-CommerceInstance -Role.</summary>
        public InstanceRole Role { get; internal set; }

        /// <summary>When this connection was made.</summary>
        public DateTimeOffset ConnectedAt { get; }

        /// <summary>Whether the connection still holds what it read (false after <see cref="Forget"/>).</summary>
        public bool IsOpen => deploymentConfig != null;

        /// <summary>The merged deployment configuration (config.php overlaid by env.php). Core use only: it holds secrets.</summary>
        internal PhpArray DeploymentConfig => deploymentConfig ?? throw new InvalidOperationException("The connection to " + Path + " was closed; connect again with Connect-CommerceInstance.");

        /// <summary>app/etc/env.php as read. Core use only: it holds secrets.</summary>
        internal PhpArray EnvPhp => envPhp ?? throw Closed();

        /// <summary>app/etc/config.php as read (empty when the file is missing).</summary>
        internal PhpArray ConfigPhp => configPhp ?? throw Closed();

        /// <summary>Takes the files as they are after this module changed them.</summary>
        internal void Refresh(PhpArray merged, PhpArray env, PhpArray config)
        {
            deploymentConfig = merged;
            envPhp = env;
            configPhp = config;
            IsInstalled = Installed(merged);
        }

        /// <summary>
        /// The encryptor of crypt/key with the crypt/key it was made from (<see cref="ConnectorConfigReader.EncryptorOf"/>);
        /// one reference, so threads reading the instance at once never see one without the other.
        /// </summary>
        internal Tuple<string, Encryption.MagentoEncryptor>? Encryptor { get; set; }

        /// <summary>Drops what was read from the instance, secrets included, and every key pair read from stored settings.</summary>
        public void Forget()
        {
            deploymentConfig = null;
            envPhp = null;
            configPhp = null;
            Encryptor = null;
            Keys.StoredKeyPairCache.Clear();
        }

        private InvalidOperationException Closed() => new InvalidOperationException("The connection to " + Path + " was closed; connect again with Connect-CommerceInstance.");

        /// <summary>Names the instance; no secret.</summary>
        public override string ToString() => Path + " (" + Edition + (Version != null ? " " + Version : string.Empty) + ")";
    }
}
