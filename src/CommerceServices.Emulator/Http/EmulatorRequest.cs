using System;

namespace CommerceServices.Emulator
{
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
