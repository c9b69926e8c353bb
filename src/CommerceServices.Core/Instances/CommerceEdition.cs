namespace CommerceServices.Instances
{
    /// <summary>The edition of an instance: decides the data spaces a new SaaS project gets (R5).</summary>
    public enum CommerceEdition
    {
        /// <summary>Adobe Commerce (a license): 1 Production + 2 Testing data spaces.</summary>
        AdobeCommerce,

        /// <summary>Magento Open Source: 1 Production data space.</summary>
        MagentoOpenSource,
    }

    /// <summary>Where the connector settings of an instance are written.</summary>
    public enum ConfigStore
    {
        /// <summary>The core_config_data table, as the Admin writes them.</summary>
        Database,

        /// <summary>Locked values in app/etc/env.php, as bin/magento config:set --lock-env writes them.</summary>
        EnvPhp,
    }
}
