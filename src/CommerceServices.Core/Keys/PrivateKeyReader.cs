using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Math;

namespace CommerceServices.Keys
{
    /// <summary>The outcome of reading private key text.</summary>
    internal sealed class PrivateKeyReadResult
    {
        /// <summary>
        /// The key's ASN.1 structure, checked for consistency here. Not yet BouncyCastle key
        /// parameters: building those validates the modulus again, at tens of milliseconds a key.
        /// </summary>
        public RsaPrivateKeyStructure? Key { get; set; }

        public PrivateKeyFormat? Format { get; set; }

        public ApiKeyProblem? Problem { get; set; }

        public IReadOnlyCollection<PemRepair> Repairs { get; set; } = Array.Empty<PemRepair>();

        /// <summary>The key size in bits, also known for a key rejected as too short or too long.</summary>
        public int? KeySize { get; set; }
    }

    /// <summary>
    /// Turns pasted PEM text into an RSA private key, or into the one problem that stops it.
    /// PEM armour is repaired by <see cref="PemScanner"/>; the DER inside is parsed by BouncyCastle.
    /// </summary>
    internal static class PrivateKeyReader
    {
        public const int MinimumKeySize = 2048;

        /// <summary>
        /// The largest RSA modulus accepted, in bits: four times what the API Portal issues. Larger
        /// keys are refused before any arithmetic on them. Up to this size, reading takes well under
        /// 0.1 s and the first signature well under 2 s even on BouncyCastle's path (about 1.3 s:
        /// its modulus validation and one signature); at 16384 bits that path takes about 9 s, and
        /// OpenSSL refuses to verify signatures of larger keys.
        /// </summary>
        public const int MaximumKeySize = 8192;

        /// <summary>
        /// The longest private key text read, in characters: what a <see cref="System.Security.SecureString"/>
        /// can hold, and ten times an RSA key of <see cref="MaximumKeySize"/> bits in PEM. Longer
        /// text is refused before it is scanned.
        /// </summary>
        public const int MaximumTextLength = 65536;

        /// <summary>The answer for private key text of <paramref name="length"/> characters, over <see cref="MaximumTextLength"/>.</summary>
        public static PrivateKeyReadResult TextTooLong(int length) =>
            new PrivateKeyReadResult { Problem = KeyProblems.PrivateKeyTextTooLong(length) };

        public static PrivateKeyReadResult Read(string? text)
        {
            if (text != null && text.Length > MaximumTextLength)
            {
                return TextTooLong(text.Length);
            }

            var result = new PrivateKeyReadResult();
            if (text == null || text.Trim().Trim('\uFEFF').Length == 0)
            {
                result.Problem = KeyProblems.EmptyPrivateKey();
                return result;
            }

            PemScanner.Result scan = PemScanner.Scan(text);
            result.Repairs = scan.Repairs.OrderBy(r => r).ToArray();
            try
            {
                if (scan.Problem != null)
                {
                    result.Problem = scan.Problem;
                    return result;
                }

                List<PemBlock> privateBlocks = scan.Blocks.Where(b => b.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal)).ToList();
                if (privateBlocks.Count > 1)
                {
                    result.Problem = KeyProblems.MultiplePrivateKeys(privateBlocks.Count);
                    return result;
                }

                if (privateBlocks.Count == 0)
                {
                    PemBlock? publicBlock = scan.Blocks.FirstOrDefault(b => IsPublicMaterial(b.Label));
                    result.Problem = publicBlock != null
                        ? KeyProblems.NotAPrivateKey(publicBlock.Label)
                        : KeyProblems.UnknownBlock(scan.Blocks[0].Label);
                    return result;
                }

                ReadPrivateBlock(privateBlocks[0], result);
                return result;
            }
            finally
            {
                foreach (PemBlock block in scan.Blocks)
                {
                    block.Clear();
                }
            }
        }

        private static bool IsPublicMaterial(string label) =>
            label.IndexOf("PUBLIC KEY", StringComparison.Ordinal) >= 0
            || label.IndexOf("CERTIFICATE", StringComparison.Ordinal) >= 0
            || label.IndexOf("CRL", StringComparison.Ordinal) >= 0
            || label.IndexOf("PKCS7", StringComparison.Ordinal) >= 0;

        private static void ReadPrivateBlock(PemBlock block, PrivateKeyReadResult result)
        {
            string label = block.Label;
            if (label == "ENCRYPTED PRIVATE KEY"
                || (block.Headers.TryGetValue("Proc-Type", out string? procType) && procType.IndexOf("ENCRYPTED", StringComparison.OrdinalIgnoreCase) >= 0))
            {
                result.Problem = KeyProblems.Encrypted();
                return;
            }

            if (block.Headers.Count > 0)
            {
                // Headers other than an encrypted Proc-Type make OpenSSL refuse the text; the key itself is read here.
                result.Repairs = result.Repairs.Append(PemRepair.HeaderLines).OrderBy(r => r).ToArray();
            }

            switch (label)
            {
                case "PRIVATE KEY":
                    ReadPkcs8(block, result);
                    return;
                case "RSA PRIVATE KEY":
                    result.Format = PrivateKeyFormat.Pkcs1;
                    Accept(ParseRsaStructure(block.Content, label, result), label, result);
                    return;
                case "EC PRIVATE KEY":
                    result.Problem = KeyProblems.UnsupportedKeyType("an EC (elliptic curve)");
                    return;
                case "DSA PRIVATE KEY":
                    result.Problem = KeyProblems.UnsupportedKeyType("a DSA");
                    return;
                case "OPENSSH PRIVATE KEY":
                    result.Problem = KeyProblems.OpenSshKey();
                    return;
                default:
                    result.Problem = KeyProblems.UnsupportedKeyType("a '" + label + "'");
                    return;
            }
        }

        private static void ReadPkcs8(PemBlock block, PrivateKeyReadResult result)
        {
            result.Format = PrivateKeyFormat.Pkcs8;
            PrivateKeyInfo info;
            try
            {
                info = PrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(block.Content));
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                result.Problem = KeyProblems.CorruptKey(block.Label);
                return;
            }

            DerObjectIdentifier algorithm = info.PrivateKeyAlgorithm.Algorithm;
            if (!algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption))
            {
                result.Problem = KeyProblems.UnsupportedKeyType(DescribeAlgorithm(algorithm));
                return;
            }

            // rsaEncryption's parameters are NULL (RFC 8017 A.1) or absent, in DER: OpenSSL refuses a NULL whose
            // length is not in the shortest form (05 81 00), which BouncyCastle reads, and the connector uses OpenSSL.
            Asn1Encodable? parameters = info.PrivateKeyAlgorithm.Parameters;
            if ((parameters != null && !(parameters is Asn1Null)) || new ReadOnlySpan<byte>(block.Content).IndexOf(info.PrivateKeyAlgorithm.GetDerEncoded()) < 0)
            {
                result.Problem = KeyProblems.CorruptKey(block.Label);
                return;
            }

            byte[] inner;
            try
            {
                inner = info.PrivateKey.GetOctets();
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                result.Problem = KeyProblems.CorruptKey(block.Label);
                return;
            }

            try
            {
                Accept(ParseRsaStructure(inner, block.Label, result), block.Label, result);
            }
            finally
            {
                Array.Clear(inner, 0, inner.Length);
            }
        }

        private static RsaPrivateKeyStructure? ParseRsaStructure(byte[] der, string label, PrivateKeyReadResult result)
        {
            try
            {
                // Empty DER (a PKCS#8 key whose OCTET STRING is empty) reads as no object and no exception: corrupt too.
                RsaPrivateKeyStructure? rsa = RsaPrivateKeyStructure.GetInstance(Asn1Object.FromByteArray(der));
                if (rsa == null)
                {
                    result.Problem = KeyProblems.CorruptKey(label);
                }

                return rsa;
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                result.Problem = KeyProblems.CorruptKey(label);
                return null;
            }
        }

        private static void Accept(RsaPrivateKeyStructure? rsa, string label, PrivateKeyReadResult result)
        {
            if (rsa == null)
            {
                return;
            }

            BigInteger n = rsa.Modulus;
            int bits = n.BitLength;
            if (n.SignValue > 0 && bits > MaximumKeySize)
            {
                // Before any arithmetic: on a crafted modulus of 262,144 bits the checks below took seconds.
                result.KeySize = bits;
                result.Problem = KeyProblems.KeyTooLong(bits);
                return;
            }

            if (n.SignValue <= 0 || !FitsTheModulus(rsa)
                || rsa.Prime1.CompareTo(BigInteger.One) <= 0 || rsa.Prime2.CompareTo(BigInteger.One) <= 0
                || !n.TestBit(0) || !n.Gcd(SmallPrimesProduct).Equals(BigInteger.One)
                || !rsa.Prime1.Multiply(rsa.Prime2).Equals(n)
                || rsa.PublicExponent.SignValue <= 0 || rsa.PrivateExponent.SignValue <= 0
                || !CrtValuesFit(rsa))
            {
                result.Problem = KeyProblems.CorruptKey(label);
                return;
            }

            result.KeySize = bits;
            if (bits < MinimumKeySize)
            {
                result.Problem = KeyProblems.KeyTooShort(bits);
                return;
            }

            result.Key = rsa;
        }

        /// <summary>
        /// True when no value of the key is longer than its modulus, as in every consistent key: the
        /// checks that follow then work on numbers of at most <see cref="MaximumKeySize"/> bits.
        /// </summary>
        private static bool FitsTheModulus(RsaPrivateKeyStructure rsa)
        {
            int bits = rsa.Modulus.BitLength;
            foreach (BigInteger value in new[] { rsa.PublicExponent, rsa.PrivateExponent, rsa.Prime1, rsa.Prime2, rsa.Exponent1, rsa.Exponent2, rsa.Coefficient })
            {
                if (value.BitLength > bits)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The product of the primes up to 743. A modulus sharing a factor with it has a tiny prime
        /// factor (the cheap part of BouncyCastle's own modulus validation, which also runs a slow
        /// compositeness test that a consistent n = p * q with p, q > 1 cannot fail).
        /// </summary>
        private static readonly BigInteger SmallPrimesProduct = ProductOfPrimesUpTo(743);

        private static BigInteger ProductOfPrimesUpTo(int limit)
        {
            var composite = new bool[limit + 1];
            BigInteger product = BigInteger.One;
            for (int i = 2; i <= limit; i++)
            {
                if (composite[i])
                {
                    continue;
                }

                product = product.Multiply(BigInteger.ValueOf(i));
                for (int j = i * i; j <= limit; j += i)
                {
                    composite[j] = true;
                }
            }

            return product;
        }

        /// <summary>
        /// True when the CRT values agree with the primes and exponents, so a signature made with
        /// them verifies. A key damaged in transit fails here instead of at the gateway.
        /// </summary>
        private static bool CrtValuesFit(RsaPrivateKeyStructure rsa)
        {
            BigInteger p1 = rsa.Prime1.Subtract(BigInteger.One);
            BigInteger q1 = rsa.Prime2.Subtract(BigInteger.One);
            BigInteger lambda = p1.Multiply(q1).Divide(p1.Gcd(q1));
            return rsa.PublicExponent.Multiply(rsa.PrivateExponent).Mod(lambda).Equals(BigInteger.One)
                && rsa.Exponent1.Equals(rsa.PrivateExponent.Mod(p1))
                && rsa.Exponent2.Equals(rsa.PrivateExponent.Mod(q1))
                && rsa.Coefficient.Multiply(rsa.Prime2).Mod(rsa.Prime1).Equals(BigInteger.One);
        }

        private static string DescribeAlgorithm(DerObjectIdentifier algorithm)
        {
            if (algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey))
            {
                return "an EC (elliptic curve)";
            }

            if (algorithm.Equals(EdECObjectIdentifiers.id_Ed25519) || algorithm.Equals(EdECObjectIdentifiers.id_Ed448))
            {
                return "an EdDSA (Ed25519/Ed448)";
            }

            if (algorithm.Equals(EdECObjectIdentifiers.id_X25519) || algorithm.Equals(EdECObjectIdentifiers.id_X448))
            {
                return "an X25519/X448";
            }

            if (algorithm.Equals(X9ObjectIdentifiers.IdDsa))
            {
                return "a DSA";
            }

            if (algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss))
            {
                return "an RSASSA-PSS-only";
            }

            if (algorithm.Equals(PkcsObjectIdentifiers.DhKeyAgreement) || algorithm.Equals(X9ObjectIdentifiers.DHPublicNumber))
            {
                return "a Diffie-Hellman";
            }

            return "a non-RSA (algorithm " + algorithm.Id + ")";
        }

        private static bool IsParseFailure(Exception ex) =>
            ex is ArgumentException || ex is InvalidCastException || ex is System.IO.IOException
            || ex is InvalidOperationException || ex is FormatException || ex is IndexOutOfRangeException
            || ex is Asn1Exception || ex is OverflowException;
    }
}
