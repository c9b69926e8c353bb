

namespace CommerceServices.Instances
{
    /// <summary>Where the connector settings of an instance are written.</summary>
    public enum ConfigStore
    {
        /// <summary>The core_config_data table, as the Admin writes them.</summary>
        Database,

        /// <summary>Locked values in app/etc/env.php, as bin/magento config:set --lock-env writes them.</summary>
        EnvPhp,
    }
}
