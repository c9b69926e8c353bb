namespace CommerceServices.State
{
    /// <summary>
    /// One way an instance differs from its desired state: the setting, what the instance has and what the state
    /// wants, both as text that holds no secret (a key pair is shown by its API key hint and fingerprint).
    /// </summary>
    public sealed class CommerceServicesStateDifference
    {
        public CommerceServicesStateDifference(CommerceServicesStateSetting setting, string current, string desired)
        {
            Setting = setting;
            Current = current;
            Desired = desired;
        }

        /// <summary>The setting that differs.</summary>
        public CommerceServicesStateSetting Setting { get; }

        /// <summary>What the instance has now.</summary>
        public string Current { get; }

        /// <summary>What the desired state wants.</summary>
        public string Desired { get; }

        /// <inheritdoc />
        public override string ToString() => Setting + ": " + Current + " -> " + Desired;
    }
}
