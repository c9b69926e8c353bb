namespace CommerceServices.Instances
{
    /// <summary>Where an installation runs, as its files (and, on the Cloud host, its environment) show.</summary>
    public enum InstancePlatform
    {
        /// <summary>Self-hosted: no marker of Adobe Commerce on Cloud was found.</summary>
        OnPremises,

        /// <summary>
        /// Adobe Commerce on Cloud: ece-tools manages app/etc/env.php on every deploy, so connector
        /// settings go to the database or to Cloud environment variables (see <see cref="Rules.CloudConfigStore"/>).
        /// </summary>
        Cloud,
    }
}
