using System.Text.RegularExpressions;

namespace CommerceServices.Cloud
{
    /// <summary>
    /// What an Adobe Commerce on Cloud environment is for, as ece-tools tells it from the environment's branch
    /// (MAGENTO_CLOUD_ENVIRONMENT): a branch whose name begins with master or production is the live site, one
    /// beginning with staging the staging site, any other an integration environment.
    /// </summary>
    public enum CloudEnvironmentType
    {
        /// <summary>An integration (development) environment: any branch but master, production and staging.</summary>
        Integration,

        /// <summary>The staging environment: a branch whose name begins with staging.</summary>
        Staging,

        /// <summary>The production environment: a branch whose name begins with master or production.</summary>
        Production,
    }

    /// <summary>Reads the type of a Cloud environment from its branch.</summary>
    public static class CloudEnvironmentTypes
    {
        // ece-tools' Environment::isMasterBranch: /^(master|production|staging)/i, the branches of the two
        // environments that are not integration ones.
        private static readonly Regex Production = new Regex("^(master|production)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex Staging = new Regex("^staging", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The type of the environment of <paramref name="branch"/>; null when the branch is not known.</summary>
        public static CloudEnvironmentType? Of(string? branch) =>
            string.IsNullOrWhiteSpace(branch) ? (CloudEnvironmentType?)null
            : Production.IsMatch(branch) ? CloudEnvironmentType.Production
            : Staging.IsMatch(branch) ? CloudEnvironmentType.Staging
            : CloudEnvironmentType.Integration;
    }
}
