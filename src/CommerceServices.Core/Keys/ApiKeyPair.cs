using System;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace CommerceServices.Keys
{
    /// <summary>
    /// A validated Commerce Services API key pair for one gateway environment: the public API key
    /// and an RSA private key (at least 2048 bits) that can sign gateway requests.
    /// The private key is held inside and never exposed: not by a property, not by
    /// <see cref="ToString"/>, not by serialization. Create one with <see cref="ApiKeyPairReader"/>.
    /// </summary>
    public sealed class ApiKeyPair : IDisposable
    {
        private readonly object signingLock = new object();
        private RsaPrivateKeyStructure? privateKey;
        private RsaPrivateCrtKeyParameters? bouncyCastleKey;
        private readonly bool usePlatformRsa;
        private RSA? platformRsa;
        private bool platformRsaTried;
        private bool disposed;

        internal ApiKeyPair(GatewayEnvironment environment, string apiKey, RsaPrivateKeyStructure privateKey, PrivateKeyFormat format, bool usePlatformRsa = true)
        {
            Environment = environment;
            ApiKey = apiKey;
            this.privateKey = privateKey;
            Format = format;
            KeySize = privateKey.Modulus.BitLength;
            Fingerprint = ComputeFingerprint(privateKey);

            // Imported into the platform's RSA on the first signature only: on Linux that import
            // validates the key (tens of milliseconds), and most pairs read are only described.
            this.usePlatformRsa = usePlatformRsa;
        }

        /// <summary>The gateway environment this pair belongs to.</summary>
        public GatewayEnvironment Environment { get; }

        /// <summary>
        /// The API key, sent as <c>x-api-key</c> and <c>magento-api-key</c>. Internal: Magento keeps
        /// it encrypted, so an object a user saves (Export-Clixml, ConvertTo-Json, a job, a remote
        /// session) carries only <see cref="ApiKeyHint"/>.
        /// </summary>
        internal string ApiKey { get; }

        /// <summary>The API key shortened to its first and last four characters, for display.</summary>
        public string ApiKeyHint => ApiKeyValidator.Hint(ApiKey);

        /// <summary>The RSA modulus size in bits.</summary>
        public int KeySize { get; }

        /// <summary>The form the private key was supplied in. It is always held, and stored, as PKCS#8.</summary>
        public PrivateKeyFormat Format { get; }

        /// <summary>
        /// Lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo, the same value as
        /// <c>openssl pkey -pubout -outform DER | sha256sum</c>. Safe to show and to compare.
        /// </summary>
        public string Fingerprint { get; }

        /// <summary>True when signing uses the platform's RSA; false when it falls back to BouncyCastle.</summary>
        internal bool UsesPlatformRsa
        {
            get
            {
                lock (signingLock)
                {
                    RequireKey();
                    return PlatformRsa() != null;
                }
            }
        }

        /// <summary>A fresh <c>x-gw-signature</c> token that expires 300 seconds from now.</summary>
        public string CreateGatewaySignature() => CreateGatewaySignature(DateTimeOffset.UtcNow);

        /// <summary>A fresh <c>x-gw-signature</c> token that expires 300 seconds after <paramref name="now"/>.</summary>
        public string CreateGatewaySignature(DateTimeOffset now)
        {
            string signingInput = GatewaySignature.SigningInput(GatewaySignature.ExpiryFor(now));
            byte[] signature = Sign(Encoding.ASCII.GetBytes(signingInput));
            return signingInput + "." + GatewaySignature.Base64Url(signature);
        }

        /// <summary>
        /// The private key as PKCS#8 PEM, for the instance's own encrypted configuration only.
        /// Internal on purpose: nothing outside the core may read key material.
        /// </summary>
        internal string ExportPkcs8Pem()
        {
            RsaPrivateKeyStructure key = RequireKey();
            byte[] der = new PrivateKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance), key).GetDerEncoded();
            try
            {
                string base64 = Convert.ToBase64String(der);
                var pem = new StringBuilder(base64.Length + 80);
                pem.Append("-----BEGIN PRIVATE KEY-----\n");
                for (int i = 0; i < base64.Length; i += 64)
                {
                    pem.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
                }

                pem.Append("-----END PRIVATE KEY-----\n");
                return pem.ToString();
            }
            finally
            {
                Array.Clear(der, 0, der.Length);
            }
        }

        /// <summary>Signs with RSASSA-PKCS1-v1_5 / SHA-256 (RS256).</summary>
        internal byte[] Sign(byte[] data)
        {
            lock (signingLock)
            {
                RsaPrivateKeyStructure key = RequireKey();
                RSA? rsa = PlatformRsa();
                if (rsa != null)
                {
                    return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }

                bouncyCastleKey ??= new RsaPrivateCrtKeyParameters(key);
                var signer = new RsaDigestSigner(new Sha256Digest());
                signer.Init(true, bouncyCastleKey);
                signer.BlockUpdate(data, 0, data.Length);
                return signer.GenerateSignature();
            }
        }

        /// <summary>The platform's RSA for the key, created once, under the signing lock; null when not used or refused.</summary>
        private RSA? PlatformRsa()
        {
            if (!platformRsaTried && usePlatformRsa && privateKey != null)
            {
                platformRsaTried = true;
                platformRsa = TryCreatePlatformRsa(privateKey);
            }

            return platformRsa;
        }

        /// <summary>Forgets the private key. The pair cannot sign afterwards.</summary>
        public void Dispose()
        {
            lock (signingLock)
            {
                disposed = true;
                platformRsa?.Dispose();
                platformRsa = null;
                privateKey = null;
                bouncyCastleKey = null;
            }
        }

        /// <summary>Describes the pair without any secret: environment, API key hint, size and fingerprint.</summary>
        public override string ToString() =>
            Environment + " API key pair " + ApiKeyHint + " (RSA " + KeySize + ", SHA256:" + Fingerprint + ")";

        private RsaPrivateKeyStructure RequireKey()
        {
            if (disposed || privateKey == null)
            {
                throw new ObjectDisposedException(nameof(ApiKeyPair), "This API key pair was disposed; read the key pair again.");
            }

            return privateKey;
        }

        private static string ComputeFingerprint(RsaPrivateKeyStructure key)
        {
            byte[] spki = new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance),
                    new RsaPublicKeyStructure(key.Modulus, key.PublicExponent))
                .GetDerEncoded();
            using (SHA256 sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(spki);
                var hex = new StringBuilder(hash.Length * 2);
                foreach (byte b in hash)
                {
                    hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                }

                return hex.ToString();
            }
        }

        /// <summary>
        /// Imports the key into the platform's RSA (fast, native). Returns null when the platform
        /// refuses the parameters (unusual prime sizes, for example); BouncyCastle signs then.
        /// </summary>
        private static RSA? TryCreatePlatformRsa(RsaPrivateKeyStructure key)
        {
            int modulusLength = (key.Modulus.BitLength + 7) / 8;
            int halfLength = (modulusLength + 1) / 2;
            var parameters = new RSAParameters
            {
                Modulus = Unsigned(key.Modulus, modulusLength),
                Exponent = key.PublicExponent.ToByteArrayUnsigned(),
                D = Unsigned(key.PrivateExponent, modulusLength),
                P = Unsigned(key.Prime1, halfLength),
                Q = Unsigned(key.Prime2, halfLength),
                DP = Unsigned(key.Exponent1, halfLength),
                DQ = Unsigned(key.Exponent2, halfLength),
                InverseQ = Unsigned(key.Coefficient, halfLength),
            };

            RSA rsa = RSA.Create();
            try
            {
                rsa.ImportParameters(parameters);
                return rsa;
            }
            catch (CryptographicException)
            {
                rsa.Dispose();
                return null;
            }
            finally
            {
                Clear(parameters.D);
                Clear(parameters.P);
                Clear(parameters.Q);
                Clear(parameters.DP);
                Clear(parameters.DQ);
                Clear(parameters.InverseQ);
            }
        }

        private static byte[]? Unsigned(Org.BouncyCastle.Math.BigInteger value, int length)
        {
            byte[] raw = value.ToByteArrayUnsigned();
            if (raw.Length > length)
            {
                // Does not fit the platform's layout; BouncyCastle will sign instead.
                return raw;
            }

            if (raw.Length == length)
            {
                return raw;
            }

            byte[] padded = new byte[length];
            Buffer.BlockCopy(raw, 0, padded, length - raw.Length, raw.Length);
            Array.Clear(raw, 0, raw.Length);
            return padded;
        }

        private static void Clear(byte[]? data)
        {
            if (data != null)
            {
                Array.Clear(data, 0, data.Length);
            }
        }
    }
}
