namespace CommerceServices.Cloud
{
    /// <summary>The forms Export-CommerceServicesConfig writes the connector settings in.</summary>
    public enum ConfigExportFormat
    {
        /// <summary>One object per setting: the Cloud variable (env:CONFIG__…), whether it is sensitive, and the magento-cloud command that sets it.</summary>
        CloudVariables,

        /// <summary>A .env file of CONFIG__ variables (NAME='value'), for an environment a PHP process reads, such as Cloud Docker's or a PHP-FPM pool's.</summary>
        Dotenv,

        /// <summary>.magento.env.yaml: ece-tools reads none of the connector's settings from it, so this form is refused with the reason and the alternatives.</summary>
        MagentoEnvYaml,
    }
}
