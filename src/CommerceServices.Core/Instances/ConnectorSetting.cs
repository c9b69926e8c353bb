using System.Collections.Generic;
using System.Linq;
using CommerceServices.Config;

namespace CommerceServices.Instances
{
    /// <summary>
    /// One connector configuration path of an instance: its effective value (secrets masked), the
    /// layer it comes from, whether it is locked, and which lower layers it shadows.
    /// </summary>
    public sealed class ConnectorSetting
    {
        private readonly Dictionary<ConfigLayer, string?> rawByLayer;

        internal ConnectorSetting(CommerceInstance instance, ConnectorPath path, Dictionary<ConfigLayer, string?> rawByLayer, string? displayValue, bool? storedEncrypted)
        {
            Instance = instance;
            Definition = path;
            this.rawByLayer = rawByLayer;
            Layer = rawByLayer.Count == 0 ? (ConfigLayer?)null : rawByLayer.Keys.Max();
            Value = displayValue;
            IsStoredEncrypted = storedEncrypted;
        }

        internal ConnectorPath Definition { get; }

        /// <summary>The instance the setting belongs to.</summary>
        public CommerceInstance Instance { get; }

        /// <summary>The configuration path, e.g. services_connector/services_id/project_id.</summary>
        public string Path => Definition.Path;

        /// <summary>The effective value; API keys show their first and last four characters, private keys only their size and fingerprint.</summary>
        public string? Value { get; }

        /// <summary>The layer the effective value comes from; null when no layer sets it.</summary>
        public ConfigLayer? Layer { get; }

        /// <summary>True when the value comes from config.php, env.php or an environment variable: the Admin cannot change it.</summary>
        public bool IsLocked => Layer.HasValue && Layer.Value >= ConfigLayer.ConfigPhp;

        /// <summary>
        /// True when config.php or env.php sets the path: no value in the database can change it.
        /// (An environment variable of this process says nothing about the instance's PHP processes.)
        /// </summary>
        internal bool IsLockedInFiles => rawByLayer.ContainsKey(ConfigLayer.ConfigPhp) || rawByLayer.ContainsKey(ConfigLayer.EnvPhp);

        /// <summary>For encrypted fields: whether the stored value is encrypted (false: a plaintext key, which the connector also accepts).</summary>
        public bool? IsStoredEncrypted { get; }

        /// <summary>Each layer's value as shown (secrets masked). Core use.</summary>
        internal Dictionary<ConfigLayer, string?> DisplayByLayer { get; set; } = new Dictionary<ConfigLayer, string?>();

        /// <summary>The hidden values of the shadowed layers, as "Layer: value" (secrets masked).</summary>
        public string[] ShadowedValues => ShadowedLayers.Select(l => l + ": " + (DisplayByLayer.TryGetValue(l, out string? v) ? v ?? "(null)" : string.Empty)).ToArray();

        /// <summary>Lower layers that also set this path and are hidden by <see cref="Layer"/>.</summary>
        public ConfigLayer[] ShadowedLayers => rawByLayer.Keys.Where(l => l != Layer && l != ConfigLayer.Default).OrderBy(l => l).ToArray();

        /// <summary>
        /// The CONFIG__ environment variable the value comes from, as it is spelled (Magento reads the name in
        /// any letter case after CONFIG__). Null when no variable sets the path at the default scope, or when
        /// several do: see <see cref="EnvironmentValues"/>.
        /// </summary>
        public string? EnvironmentVariable { get; internal set; }

        /// <summary>Every CONFIG__ variable that sets this path at the default scope, as "NAME: value" (secrets masked); more than one is a conflict.</summary>
        public string[] EnvironmentValues { get; internal set; } = new string[0];

        /// <summary>
        /// True when several environment variables set this path with different values. Magento takes the one
        /// that comes last in the environment of its PHP process, an order that cannot be seen from here, so
        /// the effective value is not known: <see cref="Value"/> says so.
        /// </summary>
        public bool IsAmbiguous { get; internal set; }

        /// <summary>
        /// Values set for a website or store view (CONFIG__WEBSITES__/CONFIG__STORES__ variables, system/websites
        /// and system/stores in env.php or config.php). Magento uses them instead of the default-scope value
        /// wherever it reads the path for that website or store view.
        /// </summary>
        public ConfigScopeOverride[] ScopeOverrides { get; internal set; } = new ConfigScopeOverride[0];

        /// <summary>The names of the variables of <see cref="EnvironmentValues"/>. Core use.</summary>
        internal string[] EnvironmentVariableNames { get; set; } = new string[0];

        /// <summary>"the environment variable NAME" (or "variables A, B"), naming them as they are spelled. Core use, for messages.</summary>
        internal string DescribeEnvironmentVariables() => EnvironmentVariableNames.Length > 1
            ? "the environment variables " + string.Join(", ", EnvironmentVariableNames)
            : "the environment variable " + (EnvironmentVariableNames.Length == 1 ? EnvironmentVariableNames[0] : ConnectorPaths.EnvironmentVariableFor(Path));

        /// <summary>True when the stored value is Magento ciphertext this instance's crypt/key cannot open.</summary>
        public bool IsUndecryptable { get; internal set; }

        /// <summary>The effective stored value, encrypted as stored. Core use only.</summary>
        internal string? RawValue => Layer.HasValue ? rawByLayer[Layer.Value] : null;

        /// <summary>The stored value of one layer. Core use only.</summary>
        internal bool TryGetRaw(ConfigLayer layer, out string? value) => rawByLayer.TryGetValue(layer, out value);

        public override string ToString() => Path + " = " + (Value ?? "(not set)") + (Layer.HasValue ? " [" + Layer + "]" : string.Empty);
    }
}
