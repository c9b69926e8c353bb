namespace CommerceServices.Emulator
{
    /// <summary>The edition of the account's license: decides the data spaces a new project gets (R5).</summary>
    public enum CommerceEdition
    {
        AdobeCommerce,
        MagentoOpenSource,
    }
}
