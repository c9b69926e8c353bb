using System.Collections.Generic;
using System.Linq;

namespace CommerceServices.Keys
{
    /// <summary>
    /// The answer to "is this API key pair usable?": the pair itself when it is, otherwise the
    /// problems; in both cases what could be learned about the private key and the paste
    /// accidents that were repaired.
    /// </summary>
    public sealed class ApiKeyPairReadResult
    {
        internal ApiKeyPairReadResult(
            GatewayEnvironment environment,
            ApiKeyPair? keyPair,
            IReadOnlyList<ApiKeyProblem> problems,
            IReadOnlyCollection<PemRepair> repairs,
            PrivateKeyFormat? format,
            int? keySize,
            string? fingerprint,
            string apiKeyHint)
        {
            Environment = environment;
            KeyPair = keyPair;
            Problems = problems;
            Repairs = repairs.ToArray();
            Format = format;
            KeySize = keySize;
            Fingerprint = fingerprint;
            ApiKeyHint = apiKeyHint;
        }

        /// <summary>True when both keys are usable.</summary>
        public bool IsValid => KeyPair != null && Problems.Count == 0;

        /// <summary>The gateway environment the pair was read for.</summary>
        public GatewayEnvironment Environment { get; }

        /// <summary>The usable key pair, or null when there are problems.</summary>
        public ApiKeyPair? KeyPair { get; }

        /// <summary>Everything that makes the pair unusable; empty when it is valid.</summary>
        public IReadOnlyList<ApiKeyProblem> Problems { get; }

        /// <summary>Paste accidents in the private key text that were repaired.</summary>
        public IReadOnlyList<PemRepair> Repairs { get; }

        /// <summary>The form the private key was supplied in, when it could be told.</summary>
        public PrivateKeyFormat? Format { get; }

        /// <summary>The RSA key size in bits, when it could be read (also for a key that is too short).</summary>
        public int? KeySize { get; }

        /// <summary>The public key fingerprint, when the private key is usable.</summary>
        public string? Fingerprint { get; }

        /// <summary>The API key's first and last four characters; empty when the API key is invalid.</summary>
        public string ApiKeyHint { get; }
    }
}
