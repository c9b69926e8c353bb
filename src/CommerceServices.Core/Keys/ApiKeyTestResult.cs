using System.Linq;

namespace CommerceServices.Keys
{
    /// <summary>
    /// What <c>Test-CommerceApiKey</c> writes: whether a key pair is usable and, if not, why.
    /// Holds no key material.
    /// </summary>
    public sealed class ApiKeyTestResult
    {
        /// <summary>Builds the result from a read result and, when the gateway was asked, its answer.</summary>
        /// <param name="read">The local check.</param>
        /// <param name="online">True when the gateway accepted the pair, false when it refused it, null when it was not asked or could not answer.</param>
        /// <param name="onlineProblem">The error id when the gateway could not answer (for example GatewayUnavailable).</param>
        public ApiKeyTestResult(ApiKeyPairReadResult read, bool? online = null, string? onlineProblem = null)
        {
            var details = read.Problems.ToList();
            if (online == false)
            {
                details.Add(new ApiKeyProblem(
                    ApiKeyProblemId.ApiKeyRejected,
                    "The " + read.Environment + " gateway refused this key pair. If new keys were generated in the API Portal, this pair stopped working (only one pair per environment is active): use the new pair. Otherwise check that the API key and private key belong together and to the " + read.Environment + " environment."));
            }

            if (onlineProblem != null)
            {
                details.Add(new ApiKeyProblem(
                    ApiKeyProblemId.GatewayUnavailable,
                    "The " + read.Environment + " gateway could not be asked whether it accepts this key pair (" + onlineProblem + "); the pair is not confirmed. The error record says why; try again when the gateway is reachable."));
            }

            Online = online;
            IsValid = read.IsValid && online != false && onlineProblem == null;
            Environment = read.Environment;
            Problems = details.Select(p => p.Id.ToString()).ToArray();
            Details = details.ToArray();
            KeySize = read.KeySize;
            Format = read.Format;
            Fingerprint = read.Fingerprint;
            ApiKeyHint = read.ApiKeyHint;
            Repairs = read.Repairs.Select(r => r.ToString()).ToArray();
        }

        /// <summary>True when the API key and private key are both usable.</summary>
        public bool IsValid { get; }

        /// <summary>With -Online: true when the gateway accepted the pair, false when it refused it; null when not asked or no answer.</summary>
        public bool? Online { get; }

        /// <summary>The gateway environment the pair was tested for.</summary>
        public GatewayEnvironment Environment { get; }

        /// <summary>The problem ids (for example <c>KeyTooShort</c>); empty when valid.</summary>
        public string[] Problems { get; }

        /// <summary>Each problem with the message that says how to fix it.</summary>
        public ApiKeyProblem[] Details { get; }

        /// <summary>The RSA key size in bits, when it could be read.</summary>
        public int? KeySize { get; }

        /// <summary><c>Pkcs8</c> or <c>Pkcs1</c>, when it could be told.</summary>
        public PrivateKeyFormat? Format { get; }

        /// <summary>Lowercase hex SHA-256 of the public key (DER SubjectPublicKeyInfo).</summary>
        public string? Fingerprint { get; }

        /// <summary>The API key shortened to its first and last four characters.</summary>
        public string ApiKeyHint { get; }

        /// <summary>Paste accidents that were repaired in the private key text.</summary>
        public string[] Repairs { get; }

        /// <inheritdoc />
        public override string ToString() =>
            IsValid
                ? Environment + " key pair is valid (RSA " + KeySize + ", SHA256:" + Fingerprint + ")"
                : Environment + " key pair is not valid: " + string.Join(", ", Problems);
    }
}
