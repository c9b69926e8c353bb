namespace CommerceServices.Instances
{
    /// <summary>
    /// What an installation is for. Undeclared counts as not production: a Production data space
    /// may only be bound to an instance declared Production (R7), so a staging copy of a live shop
    /// can never write into live data by accident.
    /// </summary>
    public enum InstanceRole
    {
        /// <summary>Not declared; treated as non-production.</summary>
        Undeclared,

        /// <summary>The live installation: the only one that may use the Production data space (R7).</summary>
        Production,

        /// <summary>A staging or pre-production installation.</summary>
        Staging,

        /// <summary>A development or test installation.</summary>
        Development,
    }
}
