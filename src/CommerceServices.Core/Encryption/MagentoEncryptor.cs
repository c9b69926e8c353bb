using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace CommerceServices.Encryption
{
    /// <summary>
    /// Encrypts and decrypts configuration values exactly as Magento 2.4's
    /// <c>Magento\Framework\Encryption\Encryptor</c> does (reference magento-instance.md §2):
    /// the keys come from <c>crypt/key</c> (split on whitespace, the last is current; a
    /// <c>base64</c> prefix means base64-encoded key bytes), new values are
    /// <c>"&lt;keyVersion&gt;:3:" + base64(nonce12 || ciphertext || tag16)</c> with
    /// ChaCha20-Poly1305 (IETF) whose associated data is the nonce, and every form Magento may have
    /// stored is read back: ciphers 0 (Blowfish ECB), 1 (Rijndael-128 ECB), 2 (Rijndael-256 CBC),
    /// 3, the four-part legacy form and any key version, with PHP's <c>trim()</c> applied.
    /// </summary>
    public sealed class MagentoEncryptor
    {
        /// <summary>Magento's <c>CIPHER_AEAD_CHACHA20POLY1305</c>, the one used for new values.</summary>
        public const int CurrentCipher = 3;

        private const string Base64KeyPrefix = "base64";
        private const int NonceSize = 12;
        private const int TagBits = 128;
        private static readonly char[] PhpTrimCharacters = { ' ', '\t', '\n', '\r', '\0', '\x0B' };
        private readonly List<byte[]> keys = new List<byte[]>();

        /// <summary>Reads the keys from the value of <c>crypt/key</c> in env.php.</summary>
        /// <exception cref="ArgumentException">The setting holds no key.</exception>
        public MagentoEncryptor(string cryptKeySetting)
        {
            if (cryptKeySetting == null)
            {
                throw new ArgumentNullException(nameof(cryptKeySetting));
            }

            foreach (string key in Regex.Split(cryptKeySetting.Trim(), @"\s+"))
            {
                if (key.Length > 0)
                {
                    keys.Add(DecodeKey(key));
                }
            }

            if (keys.Count == 0)
            {
                throw new ArgumentException("The instance's crypt/key is empty; Magento cannot encrypt or decrypt configuration without it.", nameof(cryptKeySetting));
            }
        }

        /// <summary>The number of keys in crypt/key.</summary>
        public int KeyCount => keys.Count;

        /// <summary>The version (index) of the current key: the last one.</summary>
        public int CurrentKeyVersion => keys.Count - 1;

        /// <summary>Encrypts as Magento's <c>encrypt()</c>: current key, cipher 3, a fresh random nonce.</summary>
        /// <exception cref="InvalidOperationException">The current key is not 32 bytes, as ChaCha20-Poly1305 requires.</exception>
        public string Encrypt(string plaintext)
        {
            byte[] nonce = new byte[NonceSize];
            using (RandomNumberGenerator random = RandomNumberGenerator.Create())
            {
                random.GetBytes(nonce);
            }

            return Encrypt(plaintext, nonce);
        }

        /// <summary>Encrypts with a given nonce; for test vectors only.</summary>
        internal string Encrypt(string plaintext, byte[] nonce)
        {
            if (plaintext == null)
            {
                throw new ArgumentNullException(nameof(plaintext));
            }

            byte[] key = keys[CurrentKeyVersion];
            if (key.Length != 32)
            {
                throw new InvalidOperationException("The current crypt key is " + key.Length + " bytes; Magento's ChaCha20-Poly1305 encryption needs a 32-byte key. Check crypt/key in app/etc/env.php.");
            }

            byte[] input = Encoding.UTF8.GetBytes(plaintext);
            var cipher = new ChaCha20Poly1305();
            cipher.Init(true, new AeadParameters(new KeyParameter(key), TagBits, nonce, nonce));
            byte[] output = new byte[cipher.GetOutputSize(input.Length)];
            int length = cipher.ProcessBytes(input, 0, input.Length, output, 0);
            length += cipher.DoFinal(output, length);

            byte[] payload = new byte[NonceSize + length];
            Buffer.BlockCopy(nonce, 0, payload, 0, NonceSize);
            Buffer.BlockCopy(output, 0, payload, NonceSize, length);
            Array.Clear(input, 0, input.Length);
            return CurrentKeyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + CurrentCipher + ":" + Convert.ToBase64String(payload);
        }

        /// <summary>
        /// Decrypts as Magento's <c>decrypt()</c>: an empty string when the value cannot be
        /// decrypted (unknown key version, wrong key, corrupt data), the trimmed plaintext otherwise.
        /// </summary>
        public string Decrypt(string? value) => TryDecrypt(value, out string plaintext) ? plaintext : string.Empty;

        /// <summary>Decrypts; false when Magento's decrypt() would return nothing usable.</summary>
        public bool TryDecrypt(string? value, out string plaintext) => TryOpen(value, out plaintext) && plaintext.Length > 0;

        /// <summary>
        /// Opens ciphertext; true when it decrypts (authenticated where the cipher is) to UTF-8, even
        /// to nothing once trimmed as PHP trims it (the connector then falls back to the ciphertext).
        /// </summary>
        internal bool TryOpen(string? value, out string plaintext)
        {
            plaintext = string.Empty;
            if (string.IsNullOrEmpty(value))
            {
                return false;
            }

            string[] parts = value!.Split(new[] { ':' }, 4);
            int keyVersion = 0;
            int cipher = 0;
            byte[]? iv = null;
            string data;
            switch (parts.Length)
            {
                case 4:
                    // Magento 2.0/2.1: k:c:iv:data, always Rijndael-256 CBC with the literal IV.
                    if (!int.TryParse(parts[0], out keyVersion))
                    {
                        return false;
                    }

                    cipher = 2;
                    iv = Encoding.ASCII.GetBytes(parts[2]);
                    data = parts[3];
                    break;
                case 3:
                    if (!int.TryParse(parts[0], out keyVersion) || !int.TryParse(parts[1], out cipher))
                    {
                        return false;
                    }

                    data = parts[2];
                    break;
                case 2:
                    if (!int.TryParse(parts[0], out cipher))
                    {
                        return false;
                    }

                    data = parts[1];
                    break;
                default:
                    data = parts[0];
                    break;
            }

            if (keyVersion < 0 || keyVersion >= keys.Count || cipher < 0 || cipher > 3)
            {
                return false;
            }

            byte[] payload;
            try
            {
                payload = Convert.FromBase64String(data);
            }
            catch (FormatException)
            {
                return false;
            }

            byte[]? bytes = cipher == 3 ? OpenChaCha(keys[keyVersion], payload) : DecryptLegacy(cipher, keys[keyVersion], payload, iv);
            if (bytes == null)
            {
                return false;
            }

            try
            {
                plaintext = new UTF8Encoding(false, true).GetString(bytes).Trim(PhpTrimCharacters);
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }

            return true;
        }

        /// <summary>
        /// Reads a Commerce Services Connector key field as the connector's <c>KeyEncrypted</c>
        /// backend does (reference protocol §5): the decrypted value when decryption gives a
        /// non-empty UTF-8 string, otherwise the stored value itself (a plaintext key).
        /// </summary>
        public string ReadConnectorValue(string? stored, out bool wasEncrypted)
        {
            wasEncrypted = TryDecrypt(stored, out string plaintext);
            return wasEncrypted ? plaintext : stored ?? string.Empty;
        }

        private static byte[] DecodeKey(string key)
        {
            if (key.StartsWith(Base64KeyPrefix, StringComparison.Ordinal))
            {
                try
                {
                    return Convert.FromBase64String(key.Substring(Base64KeyPrefix.Length));
                }
                catch (FormatException ex)
                {
                    throw new ArgumentException("A crypt key starts with 'base64' but the rest is not valid base64. Check crypt/key in app/etc/env.php.", ex);
                }
            }

            return Encoding.UTF8.GetBytes(key);
        }

        private static byte[]? OpenChaCha(byte[] key, byte[] payload)
        {
            if (key.Length != 32 || payload.Length < NonceSize + TagBits / 8)
            {
                return null;
            }

            byte[] nonce = new byte[NonceSize];
            Buffer.BlockCopy(payload, 0, nonce, 0, NonceSize);
            var cipher = new ChaCha20Poly1305();
            cipher.Init(false, new AeadParameters(new KeyParameter(key), TagBits, nonce, nonce));
            byte[] output = new byte[cipher.GetOutputSize(payload.Length - NonceSize)];
            try
            {
                int length = cipher.ProcessBytes(payload, NonceSize, payload.Length - NonceSize, output, 0);
                length += cipher.DoFinal(output, length);
                if (length == output.Length)
                {
                    return output;
                }

                byte[] exact = new byte[length];
                Buffer.BlockCopy(output, 0, exact, 0, length);
                return exact;
            }
            catch (InvalidCipherTextException)
            {
                return null;
            }
        }

        /// <summary>Ciphers 0–2 as mcrypt (or phpseclib's mcrypt_compat) does them: zero padding, zero IV by default.</summary>
        private static byte[]? DecryptLegacy(int cipherVersion, byte[] key, byte[] payload, byte[]? iv)
        {
            IBlockCipher engine;
            byte[] cipherKey;
            switch (cipherVersion)
            {
                case 0:
                    if (key.Length > 56)
                    {
                        return null;
                    }

                    engine = new BlowfishEngine();
                    cipherKey = key;
                    break;
                case 1:
                    engine = new AesEngine();
                    cipherKey = PadKey(key);
                    break;
                default:
                    engine = new CbcBlockCipher(new RijndaelEngine(256));
                    cipherKey = PadKey(key);
                    iv ??= new byte[32];
                    break;
            }

            if (cipherKey.Length == 0 || cipherKey.Length > 56 || payload.Length == 0 || payload.Length % engine.GetBlockSize() != 0)
            {
                return null;
            }

            ICipherParameters parameters = new KeyParameter(cipherKey);
            if (cipherVersion == 2)
            {
                if (iv!.Length != 32)
                {
                    return null;
                }

                parameters = new ParametersWithIV(parameters, iv);
            }

            engine.Init(false, parameters);
            byte[] output = new byte[payload.Length];
            for (int offset = 0; offset < payload.Length; offset += engine.GetBlockSize())
            {
                engine.ProcessBlock(payload, offset, output, offset);
            }

            return output;
        }

        /// <summary>mcrypt pads a short Rijndael key with zero bytes to the next size it supports (16, 24 or 32).</summary>
        private static byte[] PadKey(byte[] key)
        {
            int size = key.Length <= 16 ? 16 : key.Length <= 24 ? 24 : key.Length <= 32 ? 32 : -1;
            if (size < 0)
            {
                return Array.Empty<byte>();
            }

            byte[] padded = new byte[size];
            Buffer.BlockCopy(key, 0, padded, 0, key.Length);
            return padded;
        }
    }
}
