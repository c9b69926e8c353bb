using System;
using System.Net;

namespace CommerceServices.Gateway
{
    /// <summary>Where the gateway is and how patiently to talk to it.</summary>
    public sealed class GatewayOptions
    {
        /// <summary>The real production gateway.</summary>
        public static readonly Uri DefaultProductionUri = new Uri("https://commerce.adobe.io/");

        /// <summary>The real sandbox gateway.</summary>
        public static readonly Uri DefaultSandboxUri = new Uri("https://commerce-beta.adobe.io/");

        /// <summary>The production gateway's base URI.</summary>
        public Uri ProductionUri { get; set; } = DefaultProductionUri;

        /// <summary>The sandbox gateway's base URI.</summary>
        public Uri SandboxUri { get; set; } = DefaultSandboxUri;

        /// <summary>How long one request may take.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Attempts for an idempotent request, the first included.</summary>
        public int MaxAttempts { get; set; } = 4;

        /// <summary>The most time spent retrying one operation, waits included.</summary>
        public TimeSpan MaxRetryTime { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>The first back-off delay; it doubles with each retry. Retry-After wins when the gateway sends it.</summary>
        public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>An explicit proxy; null uses the system proxy.</summary>
        public IWebProxy? Proxy { get; set; }

        /// <summary>The base URI for <paramref name="environment"/>.</summary>
        public Uri UriFor(GatewayEnvironment environment) => environment == GatewayEnvironment.Sandbox ? SandboxUri : ProductionUri;

        /// <summary>
        /// Checks a gateway base URI: absolute, and https unless it points at this machine (an emulator).
        /// Returns it unchanged.
        /// </summary>
        public static Uri Validate(Uri uri)
        {
            if (uri == null)
            {
                throw new ArgumentNullException(nameof(uri));
            }

            if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new ArgumentException("The gateway URI '" + uri + "' must be an absolute https:// URI.", nameof(uri));
            }

            if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            {
                throw new ArgumentException("The gateway URI '" + uri + "' uses plain http. Keys and signatures may only travel over https; http is allowed for loopback addresses (a local emulator) only.", nameof(uri));
            }

            // Kept exactly as configured: the connector resolves its paths against it as it is (RFC 3986).
            return uri;
        }
    }
}
