namespace CommerceServices.Config
{
    /// <summary>One configuration path of the Commerce Services Connector (a default-scope path of core_config_data, env.php or config.php).</summary>
    public sealed class ConnectorPath
    {
        internal ConnectorPath(string path, ConnectorValueKind kind, string? defaultValue)
        {
            Path = path;
            Kind = kind;
            DefaultValue = defaultValue;
        }

        public string Path { get; }

        public ConnectorValueKind Kind { get; }

        /// <summary>Whether Magento stores the value encrypted (the connector's KeyEncrypted backend).</summary>
        public bool IsEncrypted => Kind != ConnectorValueKind.Plain;

        /// <summary>The module default from config.xml, if there is one.</summary>
        public string? DefaultValue { get; }
    }
}
