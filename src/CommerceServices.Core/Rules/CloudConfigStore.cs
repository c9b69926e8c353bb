using CommerceServices.Instances;

namespace CommerceServices.Rules
{
    /// <summary>
    /// Adobe Commerce on Cloud: connector settings are never written into app/etc/env.php. ece-tools manages
    /// env.php there (every deploy merges its own settings into it from the Cloud variables and .magento.env.yaml),
    /// and the file is part of no commit and no variable, so a key pair kept there is missing from any environment
    /// built anew. The database store survives deploys; Cloud environment variables
    /// (CONFIG__DEFAULT__…) are the other supported way. Applied when an instance is opened
    /// (<see cref="CommerceInstanceReader.Open(string, ConfigStore, InstanceRole)"/>) and, as a guard, by the
    /// env.php store before every write.
    /// </summary>
    public static class CloudConfigStore
    {
        /// <summary>The lead of the refusal when connecting.</summary>
        internal const string Connecting = "Cannot connect '{0}' with -ConfigStore EnvPhp";

        /// <summary>The lead of the refusal when writing.</summary>
        internal const string Writing = "Cannot write the connector settings of '{0}' into app/etc/env.php";

        /// <summary>Why connector settings do not belong in app/etc/env.php on Cloud, one sentence for every message that says so.</summary>
        internal const string EnvPhpManaged =
            "On Cloud, ece-tools manages app/etc/env.php: every deploy writes its own settings into it from the Cloud variables and .magento.env.yaml, "
            + "and the file is in no commit and no Cloud variable, so settings kept there are missing from any environment built anew.";

        /// <summary>An example of the variable that holds a setting, for the message.</summary>
        private const string ExampleVariable = "CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_CONNECTOR_INTEGRATION__PRODUCTION_API_KEY";

        /// <summary>Whether connector settings of an instance on <paramref name="platform"/> may be written with <paramref name="store"/>.</summary>
        public static bool Allows(InstancePlatform platform, ConfigStore store) =>
            !(platform == InstancePlatform.Cloud && store == ConfigStore.EnvPhp);

        /// <summary>Throws the refusal when <see cref="Allows"/> says no.</summary>
        /// <exception cref="EnvPhpStoreOnCloudException">The store is EnvPhp on Cloud.</exception>
        internal static void EnsureAllowed(string root, CloudMarkers markers, ConfigStore store, string lead)
        {
            if (!Allows(markers.Platform, store))
            {
                throw new EnvPhpStoreOnCloudException(root, Message(root, markers.ToString(), lead));
            }
        }

        /// <summary>The env.php store's guard: an instance on Cloud is never written there, however it was opened.</summary>
        /// <exception cref="EnvPhpStoreOnCloudException">The instance is on Cloud.</exception>
        internal static void EnsureEnvPhpWritable(CommerceInstance instance)
        {
            if (instance.Platform == InstancePlatform.Cloud)
            {
                throw new EnvPhpStoreOnCloudException(instance.Path, Message(instance.Path, string.Join(", ", instance.CloudMarkers), Writing) + " Nothing was changed.");
            }
        }

        private static string Message(string root, string markers, string lead) =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, lead, root)
            + ": it is an Adobe Commerce on Cloud project (" + markers + "). " + EnvPhpManaged + " "
            + "Use the database store (-ConfigStore Database, the default): core_config_data survives deploys. "
            + "Or set the settings as Cloud environment variables named CONFIG__DEFAULT__ and the setting's path in capitals with / as __ "
            + "(for example env:" + ExampleVariable + "), with the Cloud CLI or the Cloud Console, marked sensitive for the keys; "
            + "Magento does not decrypt such variables, so they hold the keys in plain text.";
    }
}
