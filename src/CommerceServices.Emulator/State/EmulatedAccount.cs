namespace CommerceServices.Emulator
{
    /// <summary>A Commerce account (a MageID) as the API Portal knows it.</summary>
    public sealed class EmulatedAccount
    {
        public string MageId { get; set; } = string.Empty;

        public CommerceEdition Edition { get; set; }
    }
}
