using CommerceServices.Keys;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// What -ApiKey accepts: a key pair object (from Import-CommerceApiKey, or the ApiKey property
    /// of a SaasProject or SaasDataSpace), or the public API key as a string, which then needs
    /// -PrivateKey or -PrivateKeyPath. PowerShell converts either into this type.
    /// </summary>
    public sealed class ApiKeyParameter
    {
        /// <summary>The public API key as text.</summary>
        public ApiKeyParameter(string apiKey)
        {
            Text = apiKey;
        }

        /// <summary>A key pair that is ready to sign.</summary>
        public ApiKeyParameter(ApiKeyPair keyPair)
        {
            KeyPair = keyPair;
        }

        /// <summary>The public API key, when a string was given.</summary>
        public string? Text { get; }

        /// <summary>The key pair, when one was given.</summary>
        public ApiKeyPair? KeyPair { get; }

        /// <summary>Never repeats the text: it may be a key pasted into the wrong parameter.</summary>
        public override string ToString() => KeyPair?.ToString() ?? "API key (given as text)";
    }
}
