namespace CommerceServices.Instances
{
    /// <summary>A value of a connector path set for one website or store view, which replaces the default-scope value there.</summary>
    public sealed class ConfigScopeOverride
    {
        internal ConfigScopeOverride(string scope, string code, ConfigLayer layer, string source, string? value)
        {
            Scope = scope;
            ScopeCode = code;
            Layer = layer;
            Source = source;
            Value = value;
        }

        /// <summary>"websites" or "stores".</summary>
        public string Scope { get; }

        /// <summary>
        /// The website or store view code, as Magento reads it: lower-cased for a variable (Magento matches it to
        /// the codes of store_website and store in any letter case), as written for a file.
        /// </summary>
        public string ScopeCode { get; }

        /// <summary>Where the value is set: EnvironmentVariable, EnvPhp or ConfigPhp.</summary>
        public ConfigLayer Layer { get; }

        /// <summary>The variable's name as it is spelled, or the file: app/etc/env.php or app/etc/config.php (under system/&lt;Scope&gt;/&lt;ScopeCode&gt;/).</summary>
        public string Source { get; }

        /// <summary>The value, secrets masked as in <see cref="ConnectorSetting.Value"/>.</summary>
        public string? Value { get; }

        public override string ToString() => Scope + "/" + ScopeCode + ": " + (Value ?? "(null)") + " [" + Source + "]";
    }
}
