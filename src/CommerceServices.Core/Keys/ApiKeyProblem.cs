namespace CommerceServices.Keys
{
    /// <summary>
    /// One reason an API key pair is unusable, with a message that says what is wrong and how to
    /// fix it. Messages never contain key material.
    /// </summary>
    public sealed class ApiKeyProblem
    {
        internal ApiKeyProblem(ApiKeyProblemId id, string message)
        {
            Id = id;
            Message = message;
        }

        /// <summary>The stable identifier of the problem.</summary>
        public ApiKeyProblemId Id { get; }

        /// <summary>What is wrong and what to do about it.</summary>
        public string Message { get; }

        /// <inheritdoc />
        public override string ToString() => Id + ": " + Message;
    }
}
