using System;
using System.Linq;
using System.Threading.Tasks;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Encryption;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Encryption
{
    public class MagentoEncryptorTests
    {
        private const string Hello = "Hello World!!!";
        private const string Base64Key = "base64AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

        // Magento's own fixtures (_sodium_chachaieft_fixtures.php): key, base64(nonce || ciphertext || tag).
        [Theory]
        [InlineData("6wRADHwwCBGgdxbcHhovGB0upmg0mbsN", "146BhsQ3grT0VgkYuY3ii3gpClXHkFqlIcNpAD4+bAMBP+ToCHZHiJID")]
        [InlineData("uPuzBU067DXTM4PqEi14Sv5tbWjVcRZI", "6SQaVrCnY10n8tOxYyvWuVGKddjR12ZbGylM9K+bRHqsqltRwuLs15vV")]
        [InlineData("zsmVdKkwVgylxMM8ZzQ3GTv7SxvusKnJ", "eQcREUJDV8EEB9WA1pBd5LbVQrs4Kyv6iWnkhOnjeitySuPQAcpIVoCM")]
        [InlineData("aggaHLvRCxRRyebpsrGAdLAIfSrufYrN", "PSOa8KCpTsxnTgq4IKbpneF38FIp0JeAeiXQIf30vS5X+riylx05pz9b")]
        [InlineData("6tEWnKY6AcdjS2XfPe1DjTbkvu2cFFZo", "UglO9dEgslFpwPwejJmrK89PmBicv+I1pfdaXaEI69IrETD8LpdzOLF7")]
        public void DecryptsMagentosSodiumFixtures(string key, string payload)
        {
            Assert.Equal(Hello, new MagentoEncryptor(key).Decrypt("0:3:" + payload));
        }

        [Theory]
        [InlineData("0:3:")]
        [InlineData("0:3:bWFsZm9ybWVkLWlucHV0")]
        [InlineData("")]
        [InlineData(null)]
        [InlineData("0:3:not base64!")]
        [InlineData("7:3:146BhsQ3grT0VgkYuY3ii3gpClXHkFqlIcNpAD4+bAMBP+ToCHZHiJID")]
        [InlineData("0:9:146BhsQ3grT0VgkYuY3ii3gpClXHkFqlIcNpAD4+bAMBP+ToCHZHiJID")]
        public void WhatMagentoCannotDecryptIsEmpty(string? value)
        {
            var encryptor = new MagentoEncryptor("6wRADHwwCBGgdxbcHhovGB0upmg0mbsN");

            Assert.Equal(string.Empty, encryptor.Decrypt(value));
            Assert.False(encryptor.TryDecrypt(value, out _));
        }

        [Fact]
        public void ATamperedCiphertextIsRejected()
        {
            byte[] payload = Convert.FromBase64String("146BhsQ3grT0VgkYuY3ii3gpClXHkFqlIcNpAD4+bAMBP+ToCHZHiJID");
            payload[20] ^= 1;

            Assert.Equal(string.Empty, new MagentoEncryptor("6wRADHwwCBGgdxbcHhovGB0upmg0mbsN").Decrypt("0:3:" + Convert.ToBase64String(payload)));
        }

        [Fact]
        public void Magento247Base64KeysWithAKnownNonceGiveTheReferenceValue()
        {
            var encryptor = new MagentoEncryptor(Base64Key);
            byte[] nonce = Enumerable.Range(0, 12).Select(i => (byte)i).ToArray();

            string value = encryptor.Encrypt(Hello, nonce);

            Assert.Equal("0:3:AAECAwQFBgcICQoLwZ5kbEY38i/F71vSuTxGgLJvjjLGozGOfHSnDAPr", value);
            Assert.Equal(Hello, encryptor.Decrypt(value));
        }

        [Fact]
        public void TheLastKeyIsCurrentAndOlderKeysStillDecrypt()
        {
            var rotated = new MagentoEncryptor(Base64Key + "\n6wRADHwwCBGgdxbcHhovGB0upmg0mbsN\n");

            Assert.Equal(2, rotated.KeyCount);
            Assert.Equal(1, rotated.CurrentKeyVersion);
            Assert.Equal(Hello, rotated.Decrypt("1:3:146BhsQ3grT0VgkYuY3ii3gpClXHkFqlIcNpAD4+bAMBP+ToCHZHiJID"));
            Assert.Equal(Hello, rotated.Decrypt("0:3:AAECAwQFBgcICQoLwZ5kbEY38i/F71vSuTxGgLJvjjLGozGOfHSnDAPr"));
            Assert.StartsWith("1:3:", rotated.Encrypt("x"), StringComparison.Ordinal);
        }

        // Magento's legacy fixtures: the four-part 2.0/2.1 form (Rijndael-256 CBC with the literal IV).
        [Theory]
        [InlineData("g9mY9KLrcuAVJfsmVUSRkKFLDdUPVkaZ", "0:2:z3a4ACpkU35W6pV692U4ueCVQP0m0v0p:DhEG8/uKGGq92ZusqrGb6X/9+2Ng0QZ9z2UZwljgJbs5/A3LaSnqcK0oI32yjHY49QJi+Z7q1EKu2yVqB8EMpA==")]
        [InlineData("cryptKey", "0:2:z3a4ACpkU35W6pV692U4ueCVQP0m0v0p:7ZPIIRZzQrgQH+csfF3fyxYNwbzPTwegncnoTxvI3OZyqKGYlOCTSx5i1KRqNemCC8kuCiOAttLpAymXhzjhNQ==")]
        public void DecryptsTheLegacyFourPartForm(string key, string value)
        {
            Assert.Equal("Mares eat oats and does eat oats, but little lambs eat ivy.", new MagentoEncryptor(key).Decrypt(value));
        }

        // Magento's _crypt_fixtures.php for ciphers 0-2, written as stored values.
        [Theory]
        [InlineData("72f761d4c435986911087485b8664d40b28d12f818eca42edf84fecd", "0:0:UObRTUnq3jCNZjJOxwNubA==")]
        [InlineData("72f761d4c435986911087485b8664d40b28d12f818eca42edf84fecd", "UObRTUnq3jCNZjJOxwNubA==")]
        [InlineData("6f326ec41c0e1d17fc030018043c0862", "0:1:dYsG1NhOM0lvXj32RqXJuw==")]
        [InlineData("6f326ec41c0e1d17fc030018043c0862", "1:dYsG1NhOM0lvXj32RqXJuw==")]
        [InlineData("774bb6dac74b24796469d1865df679be", "0:2:dd20d7bab2cb020b14c1561440ccfa61:4APJzBRpwuZSqbIfr/GPS+Zb8wV/uo9qNSOvk68cGRM=")]
        public void DecryptsTheMcryptCiphers(string key, string value)
        {
            Assert.Equal("Hello world!!!", new MagentoEncryptor(key).Decrypt(value));
        }

        [Theory]
        [InlineData("")]
        [InlineData("  \n ")]
        public void AnEmptyCryptKeyIsRefused(string setting) =>
            Assert.Throws<ArgumentException>(() => new MagentoEncryptor(setting));

        [Fact]
        public void AShortCurrentKeyCannotEncrypt()
        {
            InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => new MagentoEncryptor("cryptKey").Encrypt("x"));
            Assert.Contains("32-byte key", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void DecryptionTrimsLikePhp()
        {
            var encryptor = new MagentoEncryptor("6wRADHwwCBGgdxbcHhovGB0upmg0mbsN");

            Assert.Equal("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----", encryptor.Decrypt(encryptor.Encrypt("\n -----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n\0\t")));
        }

        [Theory]
        [InlineData("6wRADHwwCBGgdxbcHhovGB0upmg0mbsN")]
        [InlineData(Base64Key)]
        [InlineData(Base64Key + "\n6wRADHwwCBGgdxbcHhovGB0upmg0mbsN")]
        public void PhpDecryptsWhatWeEncryptAndWeDecryptWhatPhpEncrypts(string cryptKey)
        {
            using var folder = new TempFolder();
            string keyFile = folder.Write("crypt-key", cryptKey);
            string secret = TestKeys.Pkcs8Pem(TestKeys.Main).TrimEnd('\n') + " ünïcødé";
            var encryptor = new MagentoEncryptor(cryptKey);

            string ours = encryptor.Encrypt(secret);
            Assert.Equal(secret, PhpCli.Run("magento-encryptor.php", "decrypt", keyFile, folder.Write("ours", ours)));

            string theirs = PhpCli.Run("magento-encryptor.php", "encrypt", keyFile, folder.Write("plain", secret));
            Assert.StartsWith(encryptor.CurrentKeyVersion + ":3:", theirs, StringComparison.Ordinal);
            Assert.Equal(secret, encryptor.Decrypt(theirs));
        }

        [Fact]
        public void ConnectorFieldsFallBackToThePlaintextLikeKeyEncrypted()
        {
            var encryptor = new MagentoEncryptor("6wRADHwwCBGgdxbcHhovGB0upmg0mbsN");

            Assert.Equal(Hello, encryptor.ReadConnectorValue("0:3:146BhsQ3grT0VgkYuY3ii3gpClXHkFqlIcNpAD4+bAMBP+ToCHZHiJID", out bool encrypted));
            Assert.True(encrypted);
            Assert.Equal("a1b2c3d4e5f60718293a4b5c6d7e8f90", encryptor.ReadConnectorValue("a1b2c3d4e5f60718293a4b5c6d7e8f90", out encrypted));
            Assert.False(encrypted);
            string pem = TestKeys.Pkcs8Pem(TestKeys.Main);
            Assert.Equal(pem, encryptor.ReadConnectorValue(pem, out encrypted));
            Assert.False(encrypted);
        }

        [Fact]
        public void EveryEncryptionUsesAFreshNonce()
        {
            var encryptor = new MagentoEncryptor(Base64Key);

            Assert.NotEqual(encryptor.Encrypt(Hello), encryptor.Encrypt(Hello));
        }

        [Fact]
        public void BouncyCastleAndThePlatformCipherGiveTheSameBytesForEveryLength()
        {
            // Short texts use BouncyCastle, long ones the runtime's cipher (MagentoChaChaKey.PlatformFromBytes); with the
            // platform cipher switched off, everything uses BouncyCastle, as on Windows PowerShell 5.1.
            var mixed = new MagentoEncryptor(Base64Key);
            var bouncyCastle = new MagentoEncryptor(Base64Key, usePlatformCipher: false);
            var random = new Random(7);
            byte[] nonce = Enumerable.Range(0, 12).Select(i => (byte)(i * 7)).ToArray();
            foreach (int length in new[] { 1, 15, 16, 17, 40, 63, 64, 65, 255, 256, 257, 1704, 5000 })
            {
                string text = new string(Enumerable.Range(0, length).Select(_ => (char)random.Next('!', '~' + 1)).ToArray());

                string value = mixed.Encrypt(text, nonce);
                Assert.Equal(value, bouncyCastle.Encrypt(text, nonce));
                Assert.Equal(text, mixed.Decrypt(value));
                Assert.Equal(text, bouncyCastle.Decrypt(value));

                byte[] payload = Convert.FromBase64String(value.Substring(4));
                foreach (int tampered in new[] { 12, payload.Length - 1 })
                {
                    byte[] changed = (byte[])payload.Clone();
                    changed[tampered] ^= 0x40;
                    Assert.Equal(string.Empty, mixed.Decrypt("0:3:" + Convert.ToBase64String(changed)));
                    Assert.Equal(string.Empty, bouncyCastle.Decrypt("0:3:" + Convert.ToBase64String(changed)));
                }
            }
        }

        [Fact]
        public void ThreadsDecryptTheirOwnValuesAtTheSameTime()
        {
            // Each thread decrypts in buffers of its own; values past the reused size (16 KB) in arrays of their own.
            var encryptor = new MagentoEncryptor(Base64Key);
            string[] texts = new[] { 1, 40, 255, 256, 1704, 5000, 20000 }
                .Select(length => new string(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))).ToArray()))
                .Concat(new[] { "ü€ 𝄞 é", "  padded\n" })
                .ToArray();
            string[] values = texts.Select(encryptor.Encrypt).ToArray();

            Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                int which = i % texts.Length;
                Assert.Equal(texts[which].Trim(' ', '\n'), encryptor.Decrypt(values[which]));
            });
        }

        [Theory]
        [InlineData("0:3:")]
        [InlineData("00:3:")]
        [InlineData(" 0:3:")]
        [InlineData("+0:03:")]
        public void VersionsReadAsIntTryParseReadsThem(string prefix)
        {
            var encryptor = new MagentoEncryptor(Base64Key);
            string value = encryptor.Encrypt(Hello);

            Assert.Equal(Hello, encryptor.Decrypt(prefix + value.Substring(4)));
            Assert.Equal(string.Empty, encryptor.Decrypt("1" + prefix + value.Substring(4)));
        }

        [Fact]
        public void AnEmptyTextEncryptsAndDecryptsToNothing()
        {
            var encryptor = new MagentoEncryptor(Base64Key);

            string value = encryptor.Encrypt(string.Empty);

            Assert.Equal(4 + 40, value.Length);
            Assert.True(encryptor.TryOpen(value, out string plaintext));
            Assert.Equal(string.Empty, plaintext);
        }
    }
}
