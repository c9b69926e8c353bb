using System;
using System.Linq;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Keys;
using CommerceServices.Testing;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Xunit;

namespace CommerceServices.Core.Tests.Keys
{
    public class PrivateKeyReaderTests
    {
        private static readonly string MainPkcs8 = TestKeys.Pkcs8Pem(TestKeys.Main);

        [Fact]
        public void ReadsTheDocumentedPkcs8FormWithoutRepairs()
        {
            PrivateKeyReadResult result = PrivateKeyReader.Read(MainPkcs8);

            Assert.Null(result.Problem);
            Assert.Equal(PrivateKeyFormat.Pkcs8, result.Format);
            Assert.Equal(2048, result.KeySize);
            Assert.Empty(result.Repairs);
            Assert.Equal(TestKeys.Main.ExportParameters(false).Modulus, result.Key!.Modulus.ToByteArrayUnsigned());
        }

        [Fact]
        public void ReadsPkcs1AndReportsItsFormat()
        {
            PrivateKeyReadResult result = PrivateKeyReader.Read(TestKeys.Pkcs1Pem(TestKeys.Main));

            Assert.Null(result.Problem);
            Assert.Equal(PrivateKeyFormat.Pkcs1, result.Format);
            Assert.Equal(TestKeys.Main.ExportParameters(false).Modulus, result.Key!.Modulus.ToByteArrayUnsigned());
        }

        [Fact]
        public void Reads4096BitKeys()
        {
            PrivateKeyReadResult result = PrivateKeyReader.Read(TestKeys.Pkcs8Pem(TestKeys.Large));

            Assert.Null(result.Problem);
            Assert.Equal(4096, result.KeySize);
        }

        public static TheoryData<string> PasteAccidentNames() =>
            new TheoryData<string>(TestKeys.PasteAccidents.Select(a => a.Name));

        [Theory]
        [MemberData(nameof(PasteAccidentNames))]
        public void RepairsEveryPasteAccidentToTheSameKey(string accident)
        {
            var (_, mangle, repair) = TestKeys.PasteAccidents.Single(a => a.Name == accident);

            foreach (string pem in new[] { MainPkcs8, TestKeys.Pkcs1Pem(TestKeys.Main) })
            {
                string mangled = mangle(pem);
                PrivateKeyReadResult result = PrivateKeyReader.Read(mangled);

                Assert.True(result.Problem == null, accident + ": " + result.Problem);
                Assert.Contains(Enum.Parse<PemRepair>(repair), result.Repairs);
                Assert.Equal(TestKeys.Main.ExportParameters(false).Modulus, result.Key!.Modulus.ToByteArrayUnsigned());
            }
        }

        [Fact]
        public void RepairsSeveralAccidentsAtOnce()
        {
            string mangled = "\uFEFF  " + MainPkcs8.TrimEnd('\n').Replace("\n", " ").Replace("-----BEGIN", "----BEGIN") + "\r\n\r\n";

            PrivateKeyReadResult result = PrivateKeyReader.Read(mangled);

            Assert.Null(result.Problem);
            Assert.Superset(
                new[] { PemRepair.ByteOrderMark, PemRepair.SingleLine, PemRepair.SpacesForNewlines, PemRepair.MarkerDashes, PemRepair.LineEndings }.ToHashSet(),
                result.Repairs.ToHashSet());
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   \n\t  \r\n")]
        [InlineData("\uFEFF")]
        public void EmptyTextIsEmptyPrivateKey(string? text) =>
            AssertProblem(text, ApiKeyProblemId.EmptyPrivateKey);

        /// <summary>An internally consistent RSA key whose modulus has the factor <paramref name="p"/>; BouncyCastle's own validation would refuse it.</summary>
        private static string KeyWithFactor(Org.BouncyCastle.Math.BigInteger p)
        {
            var random = new SecureRandom();
            Org.BouncyCastle.Math.BigInteger one = Org.BouncyCastle.Math.BigInteger.One;
            Org.BouncyCastle.Math.BigInteger e = Org.BouncyCastle.Math.BigInteger.ValueOf(65537);
            Org.BouncyCastle.Math.BigInteger q;
            do
            {
                q = Org.BouncyCastle.Math.BigInteger.ProbablePrime(2047, random);
            }
            while (!q.Subtract(one).Gcd(e).Equals(one));

            Org.BouncyCastle.Math.BigInteger p1 = p.Subtract(one).SignValue == 0 ? one : p.Subtract(one);
            Org.BouncyCastle.Math.BigInteger q1 = q.Subtract(one);
            Org.BouncyCastle.Math.BigInteger lambda = p1.Multiply(q1).Divide(p1.Gcd(q1));
            Org.BouncyCastle.Math.BigInteger d = e.ModInverse(lambda);
            var structure = new Org.BouncyCastle.Asn1.Pkcs.RsaPrivateKeyStructure(
                p.Multiply(q), e, d, p, q, d.Mod(p1), d.Mod(q1), p.Equals(one) ? one : q.ModInverse(p));
            return "-----BEGIN RSA PRIVATE KEY-----\n" + Convert.ToBase64String(structure.GetDerEncoded(), Base64FormattingOptions.InsertLineBreaks) + "\n-----END RSA PRIVATE KEY-----\n";
        }

        [Theory]
        [InlineData(3)]
        [InlineData(743)]
        public void AModulusWithATinyPrimeFactorIsCorrupt(int factor) =>
            AssertProblem(KeyWithFactor(Org.BouncyCastle.Math.BigInteger.ValueOf(factor)), ApiKeyProblemId.MalformedPem, "does not hold a well-formed RSA private key");

        [Fact]
        public void APrimeOfOneIsCorruptNotAnException() =>
            AssertProblem(KeyWithFactor(Org.BouncyCastle.Math.BigInteger.One), ApiKeyProblemId.MalformedPem, "does not hold a well-formed RSA private key");

        [Fact]
        public void BodyWithoutMarkersIsMalformed() =>
            AssertProblem(TestKeys.Body(MainPkcs8), ApiKeyProblemId.MalformedPem, "BEGIN PRIVATE KEY");

        [Fact]
        public void MismatchedMarkersAreMalformed() =>
            AssertProblem(MainPkcs8.Replace("-----END PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----"), ApiKeyProblemId.MalformedPem, "END RSA PRIVATE KEY");

        [Fact]
        public void MissingEndIsMalformed() =>
            AssertProblem(MainPkcs8.Substring(0, MainPkcs8.IndexOf("-----END", StringComparison.Ordinal)), ApiKeyProblemId.MalformedPem, "cut off");

        [Fact]
        public void EndWithoutBeginIsMalformed() =>
            AssertProblem(MainPkcs8.Substring(MainPkcs8.IndexOf('\n') + 1), ApiKeyProblemId.MalformedPem, "without a BEGIN");

        [Fact]
        public void TruncatedBodyIsMalformed()
        {
            // Lose the last three characters of the body: the length is no longer a multiple of four.
            int end = MainPkcs8.IndexOf("\n-----END", StringComparison.Ordinal);
            AssertProblem(MainPkcs8.Remove(end - 3, 3), ApiKeyProblemId.MalformedPem, "truncated");
        }

        [Fact]
        public void BodyCutAtALineBoundaryIsMalformed()
        {
            // Whole lines lost: still valid base64, but the DER inside is incomplete.
            string[] lines = MainPkcs8.TrimEnd('\n').Split('\n');
            string cut = string.Join("\n", lines.Take(8).Concat(new[] { lines[^1] })) + "\n";
            AssertProblem(cut, ApiKeyProblemId.MalformedPem);
        }

        [Fact]
        public void ForeignCharacterInBodyIsMalformed()
        {
            string corrupted = MainPkcs8.Insert(MainPkcs8.IndexOf('\n') + 10, "*");
            AssertProblem(corrupted, ApiKeyProblemId.MalformedPem, "not base64");
        }

        [Fact]
        public void ChangedCharacterInsideTheKeyIsCaught()
        {
            // A single changed character deep in the body still decodes, but the key's numbers no longer fit.
            string[] lines = MainPkcs8.Split('\n');
            char[] line = lines[12].ToCharArray();
            line[20] = line[20] == 'A' ? 'B' : 'A';
            lines[12] = new string(line);
            AssertProblem(string.Join("\n", lines), ApiKeyProblemId.MalformedPem);
        }

        [Fact]
        public void APkcs8KeyWhoseRsaKeyIsAnEmptyOctetStringIsCorrupt()
        {
            // Found by the fuzz test: the empty DER inside reads as no object at all, and the answer had neither a key nor a problem.
            PrivateKeyReadResult result = AssertProblem(
                "-----BEGIN PRIVATE KEY-----\nMBQCAQAwDQYJKoZIhvcNAQEBBQAEAA==\n-----END PRIVATE KEY-----\n", ApiKeyProblemId.MalformedPem, "does not hold a well-formed RSA private key");
            Assert.Equal(PrivateKeyFormat.Pkcs8, result.Format);
        }

        [Theory]
        [InlineData("-----BEGIN PRIVATE   KEY-----", "-----END PRIVATE   KEY-----")]
        [InlineData("----- BEGIN PRIVATE KEY -----", "-----END PRIVATE KEY-----")]
        [InlineData("-----BEGIN\tPRIVATE KEY-----", "-----END PRIVATE\tKEY-----")]
        public void ExtraSpacesInTheMarkersAreARepair(string begin, string end)
        {
            // Found by the fuzz test: read without a word, though OpenSSL (and so the connector) refuses these lines.
            string text = MainPkcs8.Replace("-----BEGIN PRIVATE KEY-----", begin).Replace("-----END PRIVATE KEY-----", end);

            PrivateKeyReadResult result = PrivateKeyReader.Read(text);

            Assert.Null(result.Problem);
            Assert.Equal(new[] { PemRepair.MarkerSpacing }, result.Repairs);
        }

        [Theory]
        [InlineData("Comment: \"exported by a tool\"\n")]
        [InlineData("Proc-Type: 4,MIC-ONLY\n\n")]
        [InlineData("DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n")]
        public void HeaderLinesOfAnUnencryptedKeyAreARepair(string headers)
        {
            // Found by the fuzz test: read without a word, though OpenSSL refuses every header but an encrypted Proc-Type.
            string text = MainPkcs8.Insert(MainPkcs8.IndexOf('\n') + 1, headers);

            PrivateKeyReadResult result = PrivateKeyReader.Read(text);

            Assert.Null(result.Problem);
            Assert.Contains(PemRepair.HeaderLines, result.Repairs);
        }

        [Fact]
        public void ANullParameterNotInDerIsCorruptAsForOpenSsl()
        {
            // Found by the fuzz test: rsaEncryption's NULL written 05 81 00, which BouncyCastle read and OpenSSL refuses.
            byte[] der = TestKeys.Main.ExportPkcs8PrivateKey();
            byte[] algorithm = { 0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00 };
            int at = der.AsSpan().IndexOf(algorithm);
            Assert.True(der[0] == 0x30 && der[1] == 0x82 && at > 0);
            byte[] longNull = der.Take(at).Concat(new byte[] { 0x30, 0x0E }).Concat(algorithm.Skip(2).Take(11)).Concat(new byte[] { 0x05, 0x81, 0x00 }).Concat(der.Skip(at + algorithm.Length)).ToArray();
            int length = ((der[2] << 8) | der[3]) + 1;
            (longNull[2], longNull[3]) = ((byte)(length >> 8), (byte)length);
            string pem = "-----BEGIN PRIVATE KEY-----\n" + Convert.ToBase64String(longNull, Base64FormattingOptions.InsertLineBreaks) + "\n-----END PRIVATE KEY-----\n";
            using var dir = new TempFolder();

            Assert.Equal("0", PhpCli.Run("connector-signature.php", "accepts", dir.Write("key.pem", pem)));
            AssertProblem(pem, ApiKeyProblemId.MalformedPem, "does not hold a well-formed RSA private key");
        }

        [Fact]
        public void EmptyBlockIsMalformed() =>
            AssertProblem("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n", ApiKeyProblemId.MalformedPem, "nothing between");

        [Fact]
        public void EncryptedPkcs8IsEncrypted() =>
            AssertProblem(TestKeys.EncryptedPkcs8Pem(TestKeys.Main), ApiKeyProblemId.EncryptedPrivateKey, "openssl pkcs8");

        [Fact]
        public void LegacyEncryptedPkcs1IsEncrypted()
        {
            // OpenSSL's traditional encrypted form: Proc-Type and DEK-Info headers, written by BouncyCastle.
            var generator = new RsaKeyPairGenerator();
            generator.Init(new Org.BouncyCastle.Crypto.KeyGenerationParameters(new SecureRandom(), 2048));
            var pair = generator.GenerateKeyPair();
            var text = new System.IO.StringWriter();
            var writer = new PemWriter(text);
            writer.WriteObject(new MiscPemGenerator(pair.Private, "AES-128-CBC", "secret".ToCharArray(), new SecureRandom()));
            writer.Writer.Flush();

            Assert.Contains("Proc-Type: 4,ENCRYPTED", text.ToString());
            AssertProblem(text.ToString(), ApiKeyProblemId.EncryptedPrivateKey);
        }

        [Fact]
        public void PublicKeyIsNotAPrivateKey() =>
            AssertProblem(TestKeys.PublicKeyPem(TestKeys.Main), ApiKeyProblemId.NotAPrivateKey, "public key");

        [Fact]
        public void RsaPublicKeyIsNotAPrivateKey() =>
            AssertProblem(TestKeys.RsaPublicKeyPem(TestKeys.Main), ApiKeyProblemId.NotAPrivateKey, "public key");

        [Fact]
        public void CertificateIsNotAPrivateKey() =>
            AssertProblem(TestKeys.CertificatePem(TestKeys.Main), ApiKeyProblemId.NotAPrivateKey, "certificate");

        [Fact]
        public void CertificateBundledWithTheKeyIsAccepted()
        {
            PrivateKeyReadResult result = PrivateKeyReader.Read(TestKeys.CertificatePem(TestKeys.Main) + MainPkcs8);

            Assert.Null(result.Problem);
            Assert.Equal(2048, result.KeySize);
        }

        [Fact]
        public void EcPkcs8KeyIsUnsupported() =>
            AssertProblem(TestKeys.EcPkcs8Pem(), ApiKeyProblemId.UnsupportedKeyType, "EC");

        [Fact]
        public void EcSec1KeyIsUnsupported() =>
            AssertProblem(TestKeys.EcSec1Pem(), ApiKeyProblemId.UnsupportedKeyType, "EC");

        [Fact]
        public void DsaKeyIsUnsupported() =>
            AssertProblem(TestKeys.DsaPkcs8Pem(), ApiKeyProblemId.UnsupportedKeyType, "DSA");

        [Fact]
        public void Ed25519KeyIsUnsupported()
        {
            var generator = new Ed25519KeyPairGenerator();
            generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
            byte[] der = PrivateKeyInfoFactory.CreatePrivateKeyInfo(generator.GenerateKeyPair().Private).GetDerEncoded();
            string pem = "-----BEGIN PRIVATE KEY-----\n" + Convert.ToBase64String(der) + "\n-----END PRIVATE KEY-----\n";

            AssertProblem(pem, ApiKeyProblemId.UnsupportedKeyType, "Ed25519");
        }

        [Fact]
        public void OpenSshKeyIsUnsupportedWithConversionHint() =>
            AssertProblem("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n", ApiKeyProblemId.UnsupportedKeyType, "ssh-keygen");

        [Fact]
        public void Rsa1024IsTooShortAndStillReportsItsSize()
        {
            PrivateKeyReadResult result = AssertProblem(TestKeys.Pkcs8Pem(TestKeys.Short), ApiKeyProblemId.KeyTooShort, "1024 bits");
            Assert.Equal(1024, result.KeySize);
        }

        [Fact]
        public void TwoPrivateKeysAreRefused() =>
            AssertProblem(MainPkcs8 + TestKeys.Pkcs8Pem(TestKeys.Other), ApiKeyProblemId.MultiplePrivateKeys, "2 private keys");

        [Fact]
        public void TwoPrivateKeysOnOneLineAreRefused() =>
            AssertProblem((MainPkcs8 + TestKeys.Pkcs1Pem(TestKeys.Other)).Replace("\n", string.Empty), ApiKeyProblemId.MultiplePrivateKeys);

        [Fact]
        public void ProblemMessagesNeverQuoteTheKey()
        {
            string body = TestKeys.Body(MainPkcs8);
            string[] broken =
            {
                body,
                MainPkcs8.Insert(MainPkcs8.IndexOf('\n') + 10, "*"),
                MainPkcs8.Replace("-----END PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----"),
                MainPkcs8 + TestKeys.Pkcs8Pem(TestKeys.Other),
                MainPkcs8.Remove(MainPkcs8.IndexOf("\n-----END", StringComparison.Ordinal) - 3, 3),
            };

            foreach (string text in broken)
            {
                string message = PrivateKeyReader.Read(text).Problem!.Message;
                for (int i = 0; i + 12 <= body.Length; i += 6)
                {
                    Assert.DoesNotContain(body.Substring(i, 12), message, StringComparison.Ordinal);
                }
            }
        }

        [Fact]
        public void Reads4096BitPkcs1Keys()
        {
            PrivateKeyReadResult result = PrivateKeyReader.Read(TestKeys.Pkcs1Pem(TestKeys.Large));

            Assert.Null(result.Problem);
            Assert.Equal(PrivateKeyFormat.Pkcs1, result.Format);
            Assert.Equal(4096, result.KeySize);
        }

        [Theory]
        [InlineData(8194, false)]
        [InlineData(8194, true)]
        [InlineData(16384, false)]
        public void AConsistentKeyOverTheMaximumIsKeyTooLong(int bits, bool pkcs8)
        {
            PrivateKeyReadResult result = AssertProblem(ConsistentKeyPem(bits, pkcs8), ApiKeyProblemId.KeyTooLong, bits + " bits");

            Assert.Equal(bits, result.KeySize);
            Assert.Contains("at most 8192 bits", result.Problem!.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A262144BitModulusIsKeyTooLongBeforeAnyCheckOfIt()
        {
            // Only the modulus is large (the rest would not even be consistent), so the text stays
            // under the text limit: the size alone decides, before any arithmetic on the key.
            string pem = KeyPem(RandomOdd(262144), Small(3), Small(5), Small(7), pkcs8: false);
            Assert.True(pem.Length < PrivateKeyReader.MaximumTextLength);

            PrivateKeyReadResult result = AssertProblem(pem, ApiKeyProblemId.KeyTooLong, "262144 bits");
            Assert.Equal(262144, result.KeySize);
        }

        [Fact]
        public void AConsistentKeyOfExactlyTheMaximumSizeIsRead()
        {
            PrivateKeyReadResult result = PrivateKeyReader.Read(ConsistentKeyPem(PrivateKeyReader.MaximumKeySize, pkcs8: true));

            Assert.Null(result.Problem);
            Assert.Equal(8192, result.KeySize);
        }

        [Fact]
        public void AValueLongerThanTheModulusIsCorruptWithoutArithmeticOnIt()
        {
            // A 2048-bit modulus with 60,000-bit primes: refused on the lengths alone.
            string pem = KeyPem(RandomOdd(2048), Small(3), RandomOdd(60000), RandomOdd(60000), pkcs8: false);
            Assert.True(pem.Length < PrivateKeyReader.MaximumTextLength);

            AssertProblem(pem, ApiKeyProblemId.MalformedPem, "does not hold a well-formed RSA private key");
        }

        public static TheoryData<string> ManyBlocks() => new TheoryData<string> { "one per line", "on one line" };

        [Theory]
        [MemberData(nameof(ManyBlocks))]
        public void TwentyNineThousandBlocksAreRefusedBeforeTheyAreScanned(string layout)
        {
            string text = Blocks(29000, layout == "on one line");

            PrivateKeyReadResult result = AssertProblem(text, ApiKeyProblemId.PrivateKeyTextTooLong, "1,711,000 characters");
            Assert.Contains("at most 65,536", result.Problem!.Message, StringComparison.Ordinal);
            Assert.Empty(result.Repairs);
        }

        [Fact]
        public void AKeyPaddedBeyondTheMaximumLengthIsRefused() =>
            AssertProblem(MainPkcs8 + new string('\n', PrivateKeyReader.MaximumTextLength), ApiKeyProblemId.PrivateKeyTextTooLong);

        [Fact]
        public void AKeyPaddedToExactlyTheMaximumLengthIsRead()
        {
            string text = MainPkcs8 + new string('\n', PrivateKeyReader.MaximumTextLength - MainPkcs8.Length);

            PrivateKeyReadResult result = PrivateKeyReader.Read(text);

            Assert.Null(result.Problem);
            Assert.Equal(2048, result.KeySize);
        }

        [Fact]
        public void TheLongestTextOfBlocksOnOneLineIsAnswered()
        {
            // As many blocks as the limit allows, all on one line: the case that was quadratic.
            string block = "-----BEGIN CERTIFICATE----- AAAA -----END CERTIFICATE----- ";
            string text = Blocks(PrivateKeyReader.MaximumTextLength / block.Length, oneLine: true);

            AssertProblem(text, ApiKeyProblemId.NotAPrivateKey, "certificate");
        }

        [Theory]
        [MemberData(nameof(ManyBlocks))]
        public void TheScannerReadsTwentyNineThousandBlocks(string layout)
        {
            // Below the reader's text limit, the scanner itself is linear in the number of blocks
            // (on one line it searched each marker's whole line: 29,000 blocks took minutes).
            PemScanner.Result scan = PemScanner.Scan(Blocks(29000, layout == "on one line"));

            Assert.Null(scan.Problem);
            Assert.Equal(29000, scan.Blocks.Count);
            Assert.All(scan.Blocks, b => Assert.Equal("CERTIFICATE", b.Label));
        }

        private static string Blocks(int count, bool oneLine)
        {
            string block = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
            if (oneLine)
            {
                block = block.Replace('\n', ' ');
            }

            return string.Concat(Enumerable.Repeat(block, count));
        }

        private static Org.BouncyCastle.Math.BigInteger Small(int value) => Org.BouncyCastle.Math.BigInteger.ValueOf(value);

        private static Org.BouncyCastle.Math.BigInteger RandomOdd(int bits) =>
            new Org.BouncyCastle.Math.BigInteger(bits, new SecureRandom()).SetBit(bits - 1).SetBit(0);

        /// <summary>An RSA private key structure with the given modulus, exponent and primes; the other values are 1.</summary>
        private static string KeyPem(Org.BouncyCastle.Math.BigInteger n, Org.BouncyCastle.Math.BigInteger e, Org.BouncyCastle.Math.BigInteger p, Org.BouncyCastle.Math.BigInteger q, bool pkcs8)
        {
            Org.BouncyCastle.Math.BigInteger one = Org.BouncyCastle.Math.BigInteger.One;
            return Pem(new Org.BouncyCastle.Asn1.Pkcs.RsaPrivateKeyStructure(n, e, one, p, q, one, one, one), pkcs8);
        }

        /// <summary>
        /// An internally consistent RSA key of <paramref name="bits"/> bits, quick to make at any size:
        /// its "primes" are random numbers without small factors, which no check short of a primality
        /// test (seconds on large keys, so not made) tells from primes.
        /// </summary>
        private static string ConsistentKeyPem(int bits, bool pkcs8)
        {
            Org.BouncyCastle.Math.BigInteger one = Org.BouncyCastle.Math.BigInteger.One;
            Org.BouncyCastle.Math.BigInteger e = Small(65537);
            while (true)
            {
                Org.BouncyCastle.Math.BigInteger p = NoSmallFactors(bits / 2), q = NoSmallFactors(bits - bits / 2);
                Org.BouncyCastle.Math.BigInteger n = p.Multiply(q);
                Org.BouncyCastle.Math.BigInteger p1 = p.Subtract(one), q1 = q.Subtract(one);
                Org.BouncyCastle.Math.BigInteger lambda = p1.Multiply(q1).Divide(p1.Gcd(q1));
                if (n.BitLength != bits || !p.Gcd(q).Equals(one) || !lambda.Gcd(e).Equals(one))
                {
                    continue;
                }

                Org.BouncyCastle.Math.BigInteger d = e.ModInverse(lambda);
                return Pem(new Org.BouncyCastle.Asn1.Pkcs.RsaPrivateKeyStructure(n, e, d, p, q, d.Mod(p1), d.Mod(q1), q.ModInverse(p)), pkcs8);
            }
        }

        private static Org.BouncyCastle.Math.BigInteger NoSmallFactors(int bits)
        {
            while (true)
            {
                Org.BouncyCastle.Math.BigInteger candidate = RandomOdd(bits);
                bool small = false;
                for (int f = 3; f <= 743 && !small; f += 2)
                {
                    small = candidate.Mod(Small(f)).SignValue == 0;
                }

                if (!small)
                {
                    return candidate;
                }
            }
        }

        private static string Pem(Org.BouncyCastle.Asn1.Pkcs.RsaPrivateKeyStructure key, bool pkcs8)
        {
            byte[] der = pkcs8
                ? new Org.BouncyCastle.Asn1.Pkcs.PrivateKeyInfo(
                    new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.RsaEncryption, Org.BouncyCastle.Asn1.DerNull.Instance), key).GetDerEncoded()
                : key.GetDerEncoded();
            string label = pkcs8 ? "PRIVATE KEY" : "RSA PRIVATE KEY";
            return "-----BEGIN " + label + "-----\n" + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks) + "\n-----END " + label + "-----\n";
        }

        private static PrivateKeyReadResult AssertProblem(string? text, ApiKeyProblemId expected, string? messagePart = null)
        {
            PrivateKeyReadResult result = PrivateKeyReader.Read(text);

            Assert.NotNull(result.Problem);
            Assert.Equal(expected, result.Problem!.Id);
            Assert.Null(result.Key);
            if (messagePart != null)
            {
                Assert.Contains(messagePart, result.Problem.Message, StringComparison.Ordinal);
            }

            return result;
        }
    }
}
