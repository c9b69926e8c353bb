namespace CommerceServices.Emulator
{
    /// <summary>The two gateway environments the emulator serves, each on its own port.</summary>
    public enum EmulatorEnvironment
    {
        Production,
        Sandbox,
    }
}
