using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Keys;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Keys
{
    public class ApiKeyPairReaderTests
    {
        [Fact]
        public void ReadsAValidPairFromASecureString()
        {
            var secure = new NetworkCredential(string.Empty, TestKeys.Pkcs8Pem(TestKeys.Main)).SecurePassword;

            ApiKeyPairReadResult read = ApiKeyPairReader.Read(" " + TestKeys.ApiKey + " ", secure, GatewayEnvironment.Sandbox);

            Assert.True(read.IsValid);
            using ApiKeyPair pair = read.KeyPair!;
            Assert.Equal(GatewayEnvironment.Sandbox, pair.Environment);
            Assert.Equal(TestKeys.ApiKey, pair.ApiKey);
            Assert.Equal(2048, pair.KeySize);
            Assert.Equal(PrivateKeyFormat.Pkcs8, pair.Format);
            Assert.Equal(TestKeys.Fingerprint(TestKeys.Main), pair.Fingerprint);
        }

        [Fact]
        public void FingerprintMatchesPhpOpenSsl()
        {
            using var dir = new TempFolder();
            string keyFile = dir.Write("key.pem", TestKeys.Pkcs1Pem(TestKeys.Large));

            ApiKeyPairReadResult read = ApiKeyPairReader.ReadFile(TestKeys.ApiKey, keyFile, GatewayEnvironment.Production);

            Assert.Equal(PhpCli.Run("connector-signature.php", "fingerprint", keyFile), read.Fingerprint);
        }

        [Fact]
        public void ReportsApiKeyAndPrivateKeyProblemsTogether()
        {
            ApiKeyPairReadResult read = ApiKeyPairReader.Read("", TestKeys.Pkcs8Pem(TestKeys.Short).ToCharArray(), GatewayEnvironment.Production);

            Assert.False(read.IsValid);
            Assert.Null(read.KeyPair);
            Assert.Equal(new[] { ApiKeyProblemId.EmptyApiKey, ApiKeyProblemId.KeyTooShort }, read.Problems.Select(p => p.Id));
            Assert.Equal(1024, read.KeySize);
        }

        [Fact]
        public void AGoodPrivateKeyStillHasAFingerprintWhenTheApiKeyIsBad()
        {
            ApiKeyPairReadResult read = ApiKeyPairReader.Read("two words", TestKeys.Pkcs8Pem(TestKeys.Main).ToCharArray(), GatewayEnvironment.Production);

            Assert.Equal(ApiKeyProblemId.InvalidApiKey, Assert.Single(read.Problems).Id);
            Assert.Equal(TestKeys.Fingerprint(TestKeys.Main), read.Fingerprint);
            Assert.Equal(string.Empty, read.ApiKeyHint);
        }

        [Fact]
        public void AKeyFileWhoseTextIsOverTheMaximumIsAProblemNotAnError()
        {
            // Under MaximumKeyFileBytes, so read, but over the text limit: refused before it is scanned.
            using var dir = new TempFolder();
            string path = dir.Write("key.pem", TestKeys.Pkcs8Pem(TestKeys.Main) + string.Concat(Enumerable.Repeat("# notes about this key\n", 4000)));

            ApiKeyPairReadResult read = ApiKeyPairReader.ReadFile(TestKeys.ApiKey, path, GatewayEnvironment.Production);

            Assert.False(read.IsValid);
            ApiKeyProblem problem = Assert.Single(read.Problems);
            Assert.Equal(ApiKeyProblemId.PrivateKeyTextTooLong, problem.Id);
            Assert.Contains("at most 65,536", problem.Message, StringComparison.Ordinal);
            Assert.Null(read.Fingerprint);
        }

        [Fact]
        public void TwentyNineThousandBlocksOnOneLineAreAProblem()
        {
            char[] text = string.Concat(Enumerable.Repeat("-----BEGIN PRIVATE KEY----- AAAA -----END PRIVATE KEY----- ", 29000)).ToCharArray();

            ApiKeyPairReadResult read = ApiKeyPairReader.Read(TestKeys.ApiKey, text, GatewayEnvironment.Production);

            Assert.Equal(ApiKeyProblemId.PrivateKeyTextTooLong, Assert.Single(read.Problems).Id);
        }

        [Fact]
        public void AKeyOverTheMaximumSizeIsKeyTooLongWithItsSize()
        {
            // A 16384-bit modulus: the size alone refuses it, before the rest of the key is looked at.
            Org.BouncyCastle.Math.BigInteger n = new Org.BouncyCastle.Math.BigInteger(16384, new Org.BouncyCastle.Security.SecureRandom()).SetBit(16383).SetBit(0);
            Org.BouncyCastle.Math.BigInteger one = Org.BouncyCastle.Math.BigInteger.One;
            byte[] der = new Org.BouncyCastle.Asn1.Pkcs.RsaPrivateKeyStructure(n, Org.BouncyCastle.Math.BigInteger.ValueOf(65537), one, one, one, one, one, one).GetDerEncoded();
            string pem = "-----BEGIN RSA PRIVATE KEY-----\n" + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks) + "\n-----END RSA PRIVATE KEY-----\n";

            ApiKeyPairReadResult read = ApiKeyPairReader.Read(TestKeys.ApiKey, pem.ToCharArray(), GatewayEnvironment.Production);

            ApiKeyProblem problem = Assert.Single(read.Problems);
            Assert.Equal(ApiKeyProblemId.KeyTooLong, problem.Id);
            Assert.Contains("16384 bits", problem.Message, StringComparison.Ordinal);
            Assert.Equal(16384, read.KeySize);
        }

        [Fact]
        public void NullSecureStringIsAnEmptyPrivateKey() =>
            Assert.Equal(ApiKeyProblemId.EmptyPrivateKey, Assert.Single(ApiKeyPairReader.Read(TestKeys.ApiKey, (System.Security.SecureString?)null, GatewayEnvironment.Production).Problems).Id);

        [Theory]
        [InlineData("utf-8")]
        [InlineData("utf-8-bom")]
        [InlineData("utf-16")]
        [InlineData("utf-16BE")]
        public void ReadsKeyFilesInTheEncodingsEditorsAndWindowsPowerShellWrite(string encoding)
        {
            using var dir = new TempFolder();
            string path = Path.Combine(dir.Path, "key.pem");
            Encoding enc = encoding switch
            {
                "utf-8" => new UTF8Encoding(false),
                "utf-8-bom" => new UTF8Encoding(true),
                "utf-16" => new UnicodeEncoding(false, true),
                _ => new UnicodeEncoding(true, true),
            };
            File.WriteAllText(path, TestKeys.Pkcs8Pem(TestKeys.Main).Replace("\n", "\r\n"), enc);

            ApiKeyPairReadResult read = ApiKeyPairReader.ReadFile(TestKeys.ApiKey, path, GatewayEnvironment.Production);

            Assert.True(read.IsValid, string.Join("; ", read.Problems));
            Assert.Equal(TestKeys.Fingerprint(TestKeys.Main), read.Fingerprint);
        }

        [Fact]
        public void MissingFileThrowsFileNotFound()
        {
            using var dir = new TempFolder();
            Assert.Throws<FileNotFoundException>(() => ApiKeyPairReader.ReadFile(TestKeys.ApiKey, Path.Combine(dir.Path, "missing.pem"), GatewayEnvironment.Production));
            Assert.Throws<DirectoryNotFoundException>(() => ApiKeyPairReader.ReadFile(TestKeys.ApiKey, Path.Combine(dir.Path, "no", "key.pem"), GatewayEnvironment.Production));
        }

        [Fact]
        public void HugeFileIsRefusedWithoutReadingIt()
        {
            using var dir = new TempFolder();
            string path = Path.Combine(dir.Path, "big.pem");
            using (FileStream stream = File.Create(path))
            {
                stream.SetLength(ApiKeyPairReader.MaximumKeyFileBytes + 1);
            }

            IOException error = Assert.Throws<IOException>(() => ApiKeyPairReader.ReadFile(TestKeys.ApiKey, path, GatewayEnvironment.Production));
            Assert.Contains("larger than a PEM private key", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Pkcs1IsHeldAndExportedAsTheSamePkcs8DotNetWrites()
        {
            ApiKeyPairReadResult read = ApiKeyPairReader.Read(TestKeys.ApiKey, TestKeys.Pkcs1Pem(TestKeys.Main).ToCharArray(), GatewayEnvironment.Production);
            using ApiKeyPair pair = read.KeyPair!;

            Assert.Equal(PrivateKeyFormat.Pkcs1, pair.Format);
            Assert.Equal(TestKeys.Pkcs8Pem(TestKeys.Main), pair.ExportPkcs8Pem());
        }

        [Fact]
        public void ExportedPkcs8IsAcceptedByPhpOpenSsl()
        {
            using var dir = new TempFolder();
            ApiKeyPairReadResult read = ApiKeyPairReader.Read(TestKeys.ApiKey, TestKeys.Pkcs1Pem(TestKeys.Other).ToCharArray(), GatewayEnvironment.Production);
            using ApiKeyPair pair = read.KeyPair!;

            Assert.Equal("1", PhpCli.Run("connector-signature.php", "accepts", dir.Write("exported.pem", pair.ExportPkcs8Pem())));
        }

        [Fact]
        public void ToStringShowsNoSecret()
        {
            string pem = TestKeys.Pkcs8Pem(TestKeys.Main);
            using ApiKeyPair pair = ApiKeyPairReader.Read(TestKeys.ApiKey, pem.ToCharArray(), GatewayEnvironment.Sandbox).KeyPair!;

            string text = pair.ToString();

            Assert.StartsWith("Sandbox API key pair a1b2...8f90 (RSA 2048, SHA256:", text, StringComparison.Ordinal);
            Assert.DoesNotContain(TestKeys.ApiKey, text, StringComparison.Ordinal);
            string body = TestKeys.Body(pem);
            for (int i = 0; i + 12 <= body.Length; i += 12)
            {
                Assert.DoesNotContain(body.Substring(i, 12), text, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void NoPublicMemberHandsOutKeyMaterial()
        {
            // The private key may leave the core only through internal members.
            var forbidden = new[] { typeof(byte[]), typeof(char[]), typeof(System.Security.Cryptography.RSA), typeof(System.Security.Cryptography.RSAParameters) };
            foreach (var property in typeof(ApiKeyPair).GetProperties())
            {
                Assert.DoesNotContain(property.PropertyType, forbidden);
            }

            Assert.DoesNotContain(typeof(ApiKeyPair).GetMethods(), m => m.IsPublic && m.Name.IndexOf("Export", StringComparison.Ordinal) >= 0);
        }
    }
}
