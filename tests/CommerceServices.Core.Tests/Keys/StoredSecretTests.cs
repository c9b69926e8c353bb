using System;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Encryption;
using CommerceServices.Keys;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Keys
{
    /// <summary>Stored keys read as the connector reads them, against PHP (Php/magento-encryptor.php connector-read).</summary>
    public class StoredSecretTests
    {
        private const string CryptKey = "6wRADHwwCBGgdxbcHhovGB0upmg0mbsN";
        private const string OtherKey = "base64AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

        public static TheoryData<string, string> StoredValues()
        {
            var ours = new MagentoEncryptor(CryptKey);
            var other = new MagentoEncryptor(OtherKey);
            return new TheoryData<string, string>
            {
                { "empty", string.Empty },
                { "zero", "0" },
                { "zero, encrypted", ours.Encrypt("0") },
                { "blank, encrypted", ours.Encrypt(" ") },
                { "a key, encrypted", ours.Encrypt("a1b2c3d4e5f60718293a4b5c6d7e8f90") },
                { "a key in plain text", "a1b2c3d4e5f60718293a4b5c6d7e8f90" },
                { "zero zero", "00" },
                { "another instance's ciphertext", other.Encrypt("a1b2c3d4e5f60718293a4b5c6d7e8f90") },
            };
        }

        [Theory]
        [MemberData(nameof(StoredValues))]
        public void AStoredValueIsAKeyExactlyWhenTheConnectorHasOne(string name, string stored)
        {
            using var folder = new TempFolder();
            string php = PhpCli.Run("magento-encryptor.php", "connector-read", folder.Write("crypt-key", CryptKey), folder.Write("value", stored));

            string? ours = StoredSecret.PlainValue(stored, fromVariable: false, new MagentoEncryptor(CryptKey), out _);

            // Where the connector falls back to the ciphertext of an empty value (safeDecrypt), it has
            // no key that any gateway accepts: the module reports "not set" there (a deliberate difference).
            string? expected = php == "(not set)" || php.StartsWith("(ciphertext of an empty value)", StringComparison.Ordinal) ? null : php;
            Assert.True(expected == ours, name + ": PHP " + php + ", module " + (ours ?? "(not set)"));
        }

        [Fact]
        public void AVariableOfZeroIsNotSetEither() =>
            Assert.Null(StoredSecret.PlainValue("0", fromVariable: true, new MagentoEncryptor(CryptKey), out _));
    }
}
