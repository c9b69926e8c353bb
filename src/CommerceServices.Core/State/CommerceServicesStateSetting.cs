namespace CommerceServices.State
{
    /// <summary>What a desired state (<see cref="CommerceServicesState"/>) can say about an instance, in the order it is applied.</summary>
    public enum CommerceServicesStateSetting
    {
        /// <summary>What the instance is declared to be (Connect-CommerceInstance -Role); not a stored setting, so it is checked, never written.</summary>
        Role,

        /// <summary>magento_saas/environment: which gateway environment the connector uses.</summary>
        GatewayEnvironment,

        /// <summary>The Production API key pair, compared by API key and public key fingerprint.</summary>
        ProductionKeyPair,

        /// <summary>The Sandbox API key pair, compared by API key and public key fingerprint.</summary>
        SandboxKeyPair,

        /// <summary>services_connector/services_id/ims_organization_id.</summary>
        ImsOrganizationId,

        /// <summary>The SaaS project (services_id/project_id and project_name).</summary>
        Project,

        /// <summary>The SaaS data space (services_id/environment_id, environment_name and environment).</summary>
        DataSpace,
    }
}
