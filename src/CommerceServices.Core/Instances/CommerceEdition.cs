

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
}
