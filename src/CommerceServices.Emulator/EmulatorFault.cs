using System;
using System.Text.RegularExpressions;

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

    /// <summary>
    /// A fault applied to the next <see cref="Count"/> requests that match <see cref="Method"/>
    /// and <see cref="PathPattern"/> (all requests when both are null), before authentication.
    /// </summary>
    public sealed class EmulatorFault
    {
        private int remaining;

        public EmulatorFault(FaultKind kind, int count = 1)
        {
            Kind = kind;
            Count = count;
            remaining = count;
        }

        public FaultKind Kind { get; }

        /// <summary>How many matching requests the fault applies to; 0 means every one until cleared.</summary>
        public int Count { get; }

        /// <summary>An HTTP method to match (GET, POST, ...), or null for any.</summary>
        public string? Method { get; set; }

        /// <summary>A regular expression matched against the request path, or null for any.</summary>
        public string? PathPattern { get; set; }

        /// <summary>The environment to match, or null for both.</summary>
        public EmulatorEnvironment? Environment { get; set; }

        /// <summary>For <see cref="FaultKind.Latency"/>.</summary>
        public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>For <see cref="FaultKind.MessageBody"/>: the top-level message of the body.</summary>
        public string Message { get; set; } = "Registry temporarily read-only";

        /// <summary>The <c>Retry-After</c> header for 429 and 503, in seconds.</summary>
        public int? RetryAfterSeconds { get; set; } = 1;

        /// <summary>How many requests the fault has been applied to.</summary>
        public int Applied => Count == 0 ? -remaining : Count - remaining;

        internal bool TryApply(string method, string path, EmulatorEnvironment environment)
        {
            if ((Method != null && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
                || (PathPattern != null && !Regex.IsMatch(path, PathPattern))
                || (Environment != null && Environment != environment))
            {
                return false;
            }

            lock (this)
            {
                if (Count == 0)
                {
                    remaining--;
                    return true;
                }

                if (remaining <= 0)
                {
                    return false;
                }

                remaining--;
                return true;
            }
        }

        public override string ToString() => Kind + (Method != null ? " " + Method : string.Empty) + (PathPattern != null ? " " + PathPattern : string.Empty);
    }

    /// <summary>One request the emulator received, as tests assert on it. Holds no key or signature.</summary>
    public sealed class EmulatorRequest
    {
        internal EmulatorRequest(DateTimeOffset time, EmulatorEnvironment environment, string method, string path, string? apiKey, string? body, string? userAgent, string? contentType = null)
        {
            ContentType = contentType;
            UserAgent = userAgent;
            Time = time;
            Environment = environment;
            Method = method;
            Path = path;
            ApiKey = apiKey;
            Body = body;
        }

        public DateTimeOffset Time { get; }

        public EmulatorEnvironment Environment { get; }

        public string Method { get; }

        /// <summary>Path and query, as sent.</summary>
        public string Path { get; }

        /// <summary>The public API key the request carried (x-api-key), if any.</summary>
        public string? ApiKey { get; }

        /// <summary>The Content-Type header, if the request had one.</summary>
        public string? ContentType { get; }

        /// <summary>The User-Agent header.</summary>
        public string? UserAgent { get; }

        /// <summary>The request body (registry bodies are names, never secrets).</summary>
        public string? Body { get; }

        public int Status { get; internal set; }

        /// <summary>The fault applied, if any.</summary>
        public FaultKind? Fault { get; internal set; }

        /// <summary>Why authentication failed, if it did.</summary>
        public string? Rejection { get; internal set; }

        public override string ToString() => Method + " " + Path + " -> " + Status;
    }
}
