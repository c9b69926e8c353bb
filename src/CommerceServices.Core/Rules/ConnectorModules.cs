using CommerceServices.Instances;

namespace CommerceServices.Rules
{
    /// <summary>R12: the connector works only with both of its modules enabled.</summary>
    public static class ConnectorModules
    {
        /// <summary>Whether Magento_ServicesConnector and Magento_ServicesId are both enabled in the instance's config.php.</summary>
        public static bool Enabled(CommerceInstance instance) => instance.ServicesConnectorEnabled && instance.ServicesIdEnabled;
    }
}
