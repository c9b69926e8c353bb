using System;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json.Nodes;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// Checks the keys of a gateway request (every route but the emulator's control routes): the
    /// <c>x-api-key</c> is registered for this environment and not revoked, <c>magento-api-key</c>
    /// repeats it, and <c>x-gw-signature</c> is a token signed with the key's private half
    /// (<see cref="GatewaySignatureVerifier"/>). A refused request gets a 403, and its log entry
    /// says why in <see cref="EmulatorRequest.Rejection"/>.
    /// </summary>
    internal sealed class GatewayAuthenticator
    {
        private readonly EmulatorState state;

        public GatewayAuthenticator(EmulatorState state)
        {
            this.state = state;
        }

        /// <summary>The registered key the request was signed with, or the 403 to answer.</summary>
        public bool TryAuthenticate(HttpListenerRequest request, EmulatorEnvironment environment, EmulatorRequest entry, [NotNullWhen(true)] out EmulatedKey? key, [NotNullWhen(false)] out Reply? rejection)
        {
            key = null;
            string? apiKey = request.Headers["x-api-key"];
            if (string.IsNullOrEmpty(apiKey))
            {
                rejection = InvalidApiKey(entry, "no x-api-key");
                return false;
            }

            EmulatedKey? registered;
            lock (state.Gate)
            {
                registered = state.FindKey(apiKey, environment);
            }

            if (registered == null || registered.Revoked)
            {
                rejection = InvalidApiKey(entry, "unknown or revoked API key");
                return false;
            }

            if (!string.Equals(request.Headers["magento-api-key"], apiKey, StringComparison.Ordinal))
            {
                // Assumption: the gateway ties magento-api-key to x-api-key; the connector always sends both equal.
                rejection = InvalidJwt(entry, "magento-api-key does not match x-api-key");
                return false;
            }

            string? problem = GatewaySignatureVerifier.Check(request.Headers["x-gw-signature"], registered.PublicKeyPem, DateTimeOffset.UtcNow);
            if (problem != null)
            {
                rejection = InvalidJwt(entry, problem);
                return false;
            }

            key = registered;
            rejection = null;
            return true;
        }

        /// <summary>
        /// Assumption: a missing, unknown or revoked key gets Adobe I/O's usual 403
        /// {"error_code":"403003","message":"Api Key is invalid"}.
        /// </summary>
        private static Reply InvalidApiKey(EmulatorRequest entry, string reason)
        {
            entry.Rejection = reason;
            return Reply.Json(403, new JsonObject { ["error_code"] = "403003", ["message"] = "Api Key is invalid" });
        }

        /// <summary>
        /// Fact: Magento's connector recognises a body {"message":"JWT is invalid"} as "keys not
        /// valid". Assumption: the gateway gives that answer to a bad signature.
        /// </summary>
        private static Reply InvalidJwt(EmulatorRequest entry, string reason)
        {
            entry.Rejection = reason;
            return Reply.Json(403, new JsonObject { ["message"] = "JWT is invalid" });
        }
    }
}
