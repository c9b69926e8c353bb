namespace CommerceServices
{
    /// <summary>
    /// The two Commerce Services gateway environments. Each has its own API key pair
    /// (one active pair per environment, rule R3).
    /// </summary>
    public enum GatewayEnvironment
    {
        /// <summary>https://commerce.adobe.io/</summary>
        Production = 0,

        /// <summary>https://commerce-beta.adobe.io/</summary>
        Sandbox = 1,
    }
}
