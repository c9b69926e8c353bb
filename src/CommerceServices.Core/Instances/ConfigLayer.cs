namespace CommerceServices.Instances
{
    /// <summary>Where a configuration value comes from, lowest precedence first, as Magento merges its config sources.</summary>
    public enum ConfigLayer
    {
        /// <summary>The module's config.xml default.</summary>
        Default = 0,

        /// <summary>The core_config_data table.</summary>
        Database = 1,

        /// <summary>system/default in app/etc/config.php (locked).</summary>
        ConfigPhp = 2,

        /// <summary>system/default in app/etc/env.php (locked; wins over config.php).</summary>
        EnvPhp = 3,

        /// <summary>A CONFIG__DEFAULT__... environment variable, its name in any letter case after CONFIG__ (locked; wins over everything).</summary>
        EnvironmentVariable = 4,
    }
}
