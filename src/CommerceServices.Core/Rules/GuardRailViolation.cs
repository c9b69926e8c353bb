namespace CommerceServices.Rules
{
    /// <summary>Why a guard rail refuses a change: the rule, a stable error id and a message that says what to do instead.</summary>
    public sealed class GuardRailViolation
    {
        internal GuardRailViolation(string rule, string errorId, string message)
        {
            Rule = rule;
            ErrorId = errorId;
            Message = message;
        }

        /// <summary>The rule of docs/ARCHITECTURE.md that refuses the change, such as "R7".</summary>
        public string Rule { get; }

        /// <summary>The stable id of the error that reports it.</summary>
        public string ErrorId { get; }

        /// <summary>What is refused, why, and what to do instead.</summary>
        public string Message { get; }

        /// <inheritdoc />
        public override string ToString() => ErrorId + ": " + Message;
    }
}
