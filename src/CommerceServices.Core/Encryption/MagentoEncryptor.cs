using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Globalization;
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
    /// <c>Magento\Framework\Encryption\Encryptor</c> does:
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
        private const int NonceSize = MagentoChaChaKey.NonceSize;
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        // Values up to this many characters are decrypted in the calling thread's own buffers (below), longer ones in
        // arrays of their own, so that no thread keeps a large buffer for one large value.
        private const int ReusedBufferLimit = 16 * 1024;

        // Per thread: the ASCII bytes of the value's base64 and the payload they decode to (both as public as the stored
        // value), and the plaintext, cleared after every use.
        [ThreadStatic]
        private static byte[]? asciiBuffer;

        [ThreadStatic]
        private static byte[]? payloadBuffer;

        [ThreadStatic]
        private static byte[]? plaintextBuffer;
        private readonly List<byte[]> keys = new List<byte[]>();

        // Per key version: its cipher 3 key, null where the key is not 32 bytes.
        private readonly MagentoChaChaKey?[] chaChaKeys;

        // "<current key version>:3:", the start of every value encrypted here.
        private readonly string currentPrefix;

        /// <summary>Reads the keys from the value of <c>crypt/key</c> in env.php.</summary>
        /// <exception cref="ArgumentException">The setting holds no key.</exception>
        public MagentoEncryptor(string cryptKeySetting)
            : this(cryptKeySetting, usePlatformCipher: true)
        {
        }

        /// <param name="cryptKeySetting">The value of <c>crypt/key</c>.</param>
        /// <param name="usePlatformCipher">False keeps ChaCha20-Poly1305 on BouncyCastle for every length (see <see cref="MagentoChaChaKey"/>); for tests.</param>
        internal MagentoEncryptor(string cryptKeySetting, bool usePlatformCipher)
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

            chaChaKeys = new MagentoChaChaKey?[keys.Count];
            for (int version = 0; version < keys.Count; version++)
            {
                chaChaKeys[version] = keys[version].Length == MagentoChaChaKey.KeySize ? new MagentoChaChaKey(keys[version], usePlatformCipher) : null;
            }

            currentPrefix = CurrentKeyVersion.ToString(CultureInfo.InvariantCulture) + ":" + CurrentCipher.ToString(CultureInfo.InvariantCulture) + ":";
        }

        /// <summary>The number of keys in crypt/key.</summary>
        public int KeyCount => keys.Count;

        /// <summary>The version (index) of the current key: the last one.</summary>
        public int CurrentKeyVersion => keys.Count - 1;

        /// <summary>Encrypts as Magento's <c>encrypt()</c>: current key, cipher 3, a fresh random nonce.</summary>
        /// <exception cref="InvalidOperationException">The current key is not 32 bytes, as ChaCha20-Poly1305 requires.</exception>
        public string Encrypt(string plaintext) => Encrypt(plaintext, null);

        /// <summary>Encrypts with a given nonce (test vectors), or a fresh random one when it is null.</summary>
        internal string Encrypt(string plaintext, byte[]? nonce)
        {
            if (plaintext == null)
            {
                throw new ArgumentNullException(nameof(plaintext));
            }

            MagentoChaChaKey key = chaChaKeys[CurrentKeyVersion]
                ?? throw new InvalidOperationException("The current crypt key is " + keys[CurrentKeyVersion].Length + " bytes; Magento's ChaCha20-Poly1305 encryption needs a 32-byte key. Check crypt/key in app/etc/env.php.");
            byte[] input = Encoding.UTF8.GetBytes(plaintext);
            byte[] payload = new byte[NonceSize + input.Length + MagentoChaChaKey.TagSize];
            if (nonce == null)
            {
                NonceSource.Fill(payload, 0, NonceSize);
            }
            else
            {
                Buffer.BlockCopy(nonce, 0, payload, 0, NonceSize);
            }

            key.Seal(input, payload);
            Array.Clear(input, 0, input.Length);
            return currentPrefix + Convert.ToBase64String(payload);
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

            // The parts of Split(':', 4), the data left in place: it is most of the value.
            int first = value!.IndexOf(':');
            int second = first < 0 ? -1 : value.IndexOf(':', first + 1);
            int third = second < 0 ? -1 : value.IndexOf(':', second + 1);
            int keyVersion = 0;
            int cipher = 0;
            byte[]? iv = null;
            int dataStart;
            if (third >= 0)
            {
                // Magento 2.0/2.1: k:c:iv:data, always Rijndael-256 CBC with the literal IV.
                if (!TryParseInt(value, 0, first, out keyVersion))
                {
                    return false;
                }

                cipher = 2;
                iv = Encoding.ASCII.GetBytes(value.Substring(second + 1, third - second - 1));
                dataStart = third + 1;
            }
            else if (second >= 0)
            {
                if (!TryParseInt(value, 0, first, out keyVersion) || !TryParseInt(value, first + 1, second, out cipher))
                {
                    return false;
                }

                dataStart = second + 1;
            }
            else if (first >= 0)
            {
                if (!TryParseInt(value, 0, first, out cipher))
                {
                    return false;
                }

                dataStart = first + 1;
            }
            else
            {
                dataStart = 0;
            }

            if (keyVersion < 0 || keyVersion >= keys.Count || cipher < 0 || cipher > 3)
            {
                return false;
            }

            if (!TryDecodeBase64(value, dataStart, out byte[] payload, out int payloadLength))
            {
                return false;
            }

            byte[]? bytes;
            int length;
            if (cipher == 3)
            {
                MagentoChaChaKey? chaChaKey = chaChaKeys[keyVersion];
                if (chaChaKey == null)
                {
                    return false;
                }

                bytes = Reuse(ref plaintextBuffer, payloadLength);
                length = chaChaKey.Open(payload, payloadLength, bytes);
            }
            else
            {
                bytes = DecryptLegacy(cipher, keys[keyVersion], Exact(payload, payloadLength), iv);
                length = bytes?.Length ?? -1;
            }

            if (bytes == null || length < 0)
            {
                return false;
            }

            try
            {
                // PHP's trim() on the bytes, then the text of what is left: the trimmed characters are ASCII, which
                // UTF-8 never uses inside a longer sequence, so this is Trim() of the text without copying it again.
                int start = 0;
                int end = length;
                while (start < end && IsPhpTrimByte(bytes[start]))
                {
                    start++;
                }

                while (end > start && IsPhpTrimByte(bytes[end - 1]))
                {
                    end--;
                }

                plaintext = StrictUtf8.GetString(bytes, start, end - start);
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
            finally
            {
                Array.Clear(bytes, 0, length);
            }

            return true;
        }

        /// <summary>
        /// Reads a Commerce Services Connector key field as the connector's <c>KeyEncrypted</c>
        /// backend does: the decrypted value when decryption gives a
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

        /// <summary>
        /// Convert.FromBase64String of the text from <paramref name="start"/>, into the first <paramref name="length"/>
        /// bytes of <paramref name="bytes"/>. The text is first decoded from its ASCII bytes by Base64.DecodeFromUtf8
        /// (vectorized where the runtime is, ten times faster than Convert on .NET 10); text that does not decode
        /// completely that way (a non-ASCII character becomes '?', which is not base64) goes to
        /// Convert.FromBase64String, so what decodes, and to what, is exactly what that decodes.
        /// </summary>
        private static bool TryDecodeBase64(string text, int start, out byte[] bytes, out int length)
        {
            int count = text.Length - start;
            byte[] ascii = Reuse(ref asciiBuffer, count);
            Encoding.ASCII.GetBytes(text, start, count, ascii, 0);
            bytes = Reuse(ref payloadBuffer, Base64.GetMaxDecodedFromUtf8Length(count));
            if (Base64.DecodeFromUtf8(new ReadOnlySpan<byte>(ascii, 0, count), bytes, out int consumed, out length) == OperationStatus.Done && consumed == count)
            {
                return true;
            }

            try
            {
                bytes = Convert.FromBase64String(text.Substring(start));
                length = bytes.Length;
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        /// <summary>
        /// The calling thread's buffer in <paramref name="slot"/>, grown to at least <paramref name="length"/> bytes; a
        /// new array of its own for more than <see cref="ReusedBufferLimit"/>.
        /// </summary>
        private static byte[] Reuse(ref byte[]? slot, int length)
        {
            if (length > ReusedBufferLimit)
            {
                return new byte[length];
            }

            byte[]? buffer = slot;
            if (buffer == null || buffer.Length < length)
            {
                buffer = slot = new byte[Math.Max(length, 512)];
            }

            return buffer;
        }

        /// <summary>
        /// int.TryParse of the text between <paramref name="start"/> and <paramref name="end"/>; the digits-only
        /// versions that Magento writes are read in place, anything else goes to int.TryParse itself.
        /// </summary>
        private static bool TryParseInt(string text, int start, int end, out int result)
        {
            if (end - start >= 1 && end - start <= 9)
            {
                int value = 0;
                int i = start;
                while (i < end && text[i] >= '0' && text[i] <= '9')
                {
                    value = (value * 10) + (text[i] - '0');
                    i++;
                }

                if (i == end)
                {
                    result = value;
                    return true;
                }
            }

            return int.TryParse(text.Substring(start, end - start), out result);
        }

        /// <summary>The bytes PHP's trim() removes by default: space, \t, \n, \r, \0 and \x0B.</summary>
        private static bool IsPhpTrimByte(byte b) => b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0 || b == 0x0B;

        private static byte[] Exact(byte[] bytes, int length)
        {
            if (bytes.Length == length)
            {
                return bytes;
            }

            byte[] exact = new byte[length];
            Buffer.BlockCopy(bytes, 0, exact, 0, length);
            return exact;
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
