namespace CommerceServices.Emulator
{
    /// <summary>What an injected fault does to a matching request.</summary>
    public enum FaultKind
    {
        /// <summary>Waits <see cref="EmulatorFault.Delay"/>, then answers normally.</summary>
        Latency,

        /// <summary>Answers 429 Too Many Requests with <c>Retry-After</c>.</summary>
        TooManyRequests,

        /// <summary>Answers 500 Internal Server Error.</summary>
        InternalServerError,

        /// <summary>Answers 503 Service Unavailable (with <c>Retry-After</c> when <see cref="EmulatorFault.RetryAfterSeconds"/> is set).</summary>
        ServiceUnavailable,

        /// <summary>Closes the connection without an answer.</summary>
        DropConnection,

        /// <summary>Answers 200 with a body that is not valid JSON.</summary>
        MalformedJson,

        /// <summary>Answers 200 with a JSON body whose top-level <c>message</c> marks it as an error.</summary>
        MessageBody,
    }
}
