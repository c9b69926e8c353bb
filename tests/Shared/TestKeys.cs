using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CommerceServices.Testing
{
    /// <summary>
    /// Real keys for tests, made with .NET's own cryptography (independent of the code under
    /// test), in every form users paste. RSA keys are generated once per test run.
    /// </summary>
    public static class TestKeys
    {
        private static readonly Lazy<RSA> Rsa2048 = new Lazy<RSA>(() => RSA.Create(2048));
        private static readonly Lazy<RSA> Rsa2048Other = new Lazy<RSA>(() => RSA.Create(2048));
        private static readonly Lazy<RSA> Rsa4096 = new Lazy<RSA>(() => RSA.Create(4096));
        private static readonly Lazy<RSA> Rsa1024 = new Lazy<RSA>(() => RSA.Create(1024));

        /// <summary>The key most tests use.</summary>
        public static RSA Main => Rsa2048.Value;

        /// <summary>A second 2048-bit key, for "two keys" cases.</summary>
        public static RSA Other => Rsa2048Other.Value;

        public static RSA Large => Rsa4096.Value;

        public static RSA Short => Rsa1024.Value;

        public const string ApiKey = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

        public static string Pkcs8Pem(RSA rsa) => rsa.ExportPkcs8PrivateKeyPem() + "\n";

        public static string Pkcs1Pem(RSA rsa) => rsa.ExportRSAPrivateKeyPem() + "\n";

        public static string EncryptedPkcs8Pem(RSA rsa) =>
            rsa.ExportEncryptedPkcs8PrivateKeyPem("correct horse battery staple", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)) + "\n";

        public static string PublicKeyPem(RSA rsa) => rsa.ExportSubjectPublicKeyInfoPem() + "\n";

        public static string RsaPublicKeyPem(RSA rsa) => rsa.ExportRSAPublicKeyPem() + "\n";

        public static string CertificatePem(RSA rsa)
        {
            var request = new CertificateRequest("CN=commerce.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            return cert.ExportCertificatePem() + "\n";
        }

        public static string EcPkcs8Pem() => ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem() + "\n";

        public static string EcSec1Pem() => ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportECPrivateKeyPem() + "\n";

        public static string DsaPkcs8Pem()
        {
            using DSA dsa = DSA.Create(2048);
            return dsa.ExportPkcs8PrivateKeyPem() + "\n";
        }

        /// <summary>The base64 body of a PEM text: the key material a leak scan looks for.</summary>
        public static string Body(string pem)
        {
            var body = new StringBuilder();
            foreach (string line in pem.Split('\n'))
            {
                if (!line.StartsWith("-----", StringComparison.Ordinal))
                {
                    body.Append(line.Trim());
                }
            }

            return body.ToString();
        }

        /// <summary>Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo, computed by .NET.</summary>
        public static string Fingerprint(RSA rsa) =>
            Convert.ToHexString(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo())).ToLowerInvariant();

        /// <summary>The ways people mangle a PEM key when they copy it, each with the repair it needs.</summary>
        public static (string Name, Func<string, string> Mangle, string Repair)[] PasteAccidents { get; } =
        {
            ("whole key on one line", pem => pem.Replace("\n", string.Empty), "SingleLine"),
            ("spaces instead of newlines", pem => pem.TrimEnd('\n').Replace("\n", " "), "SpacesForNewlines"),
            ("CRLF line endings", pem => pem.Replace("\n", "\r\n"), "LineEndings"),
            ("indented lines", pem => "    " + pem.TrimEnd('\n').Replace("\n", "\n    ") + "\n", "Indentation"),
            ("byte order mark", pem => "\uFEFF" + pem, "ByteOrderMark"),
            ("trailing blanks", pem => pem.Replace("\n", "  \n") + "\n\n", "TrailingWhitespace"),
            ("literal \\n from JSON", pem => pem.TrimEnd('\n').Replace("\n", "\\n"), "EscapedNewlines"),
            ("marker dashes as in Adobe's docs", pem => pem.Replace("-----BEGIN ", "----BEGIN ").Replace("-----END ", "----END ").Replace("KEY-----", "KEY---"), "MarkerDashes"),
            ("label and quotes around the key", pem => "Private key: \"" + pem.TrimEnd('\n') + "\"\n", "SurroundingText"),
        };
    }
}
