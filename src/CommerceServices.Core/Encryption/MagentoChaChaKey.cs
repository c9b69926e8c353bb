using System;
using System.Security.Cryptography;
using System.Threading;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace CommerceServices.Encryption
{
    /// <summary>
    /// Magento's cipher 3 with one 32-byte key: ChaCha20-Poly1305 (IETF) whose associated data is the nonce,
    /// over a payload laid out as Magento stores it, nonce (12 bytes) || ciphertext || tag (16 bytes).
    /// Short texts go through BouncyCastle's ChaCha20 and Poly1305, composed here as RFC 8439 section 2.8 composes
    /// them (BouncyCastle's own AEAD class takes a third longer for a short text, and longer still to decrypt); longer
    /// texts go through the runtime's own cipher where it has one (<see cref="PlatformChaCha20Poly1305"/>). A call
    /// into the platform costs about 1 µs whatever the length, BouncyCastle about 0.5 µs plus 2.5 to 4 ns a byte
    /// (measured on .NET 10, Linux, x64), so BouncyCastle is faster below <see cref="PlatformFromBytes"/>. All give
    /// the same bytes. Thread-safe: every call takes the key's cipher objects from a one-slot pool and puts them
    /// back, or makes its own while another thread holds the pooled ones.
    /// </summary>
    internal sealed class MagentoChaChaKey
    {
        public const int KeySize = 32;
        public const int NonceSize = 12;
        public const int TagSize = 16;

        /// <summary>Texts of this many bytes and more go through the runtime's cipher, where it has one.</summary>
        internal const int PlatformFromBytes = 256;

        private readonly byte[] key;
        private readonly KeyParameter keyParameter;
        private readonly bool platformAvailable;
        private ComposedCipher? pooledComposedCipher;
        private IDisposable? pooledPlatformCipher;

        /// <param name="key">The 32-byte key; kept, not copied.</param>
        /// <param name="usePlatformCipher">False keeps every call on BouncyCastle (as on Windows PowerShell 5.1); for tests.</param>
        public MagentoChaChaKey(byte[] key, bool usePlatformCipher = true)
        {
            if (key.Length != KeySize)
            {
                throw new ArgumentException("ChaCha20-Poly1305 needs a 32-byte key.", nameof(key));
            }

            this.key = key;
            keyParameter = new KeyParameter(key);
            platformAvailable = usePlatformCipher && PlatformChaCha20Poly1305.IsAvailable;
        }

        /// <summary>
        /// Encrypts <paramref name="plaintext"/> into <paramref name="payload"/>, whose first 12 bytes hold the
        /// nonce and which has room for exactly the ciphertext and the tag after it.
        /// </summary>
        public void Seal(byte[] plaintext, byte[] payload)
        {
            byte[] nonce = new byte[NonceSize];
            Buffer.BlockCopy(payload, 0, nonce, 0, NonceSize);
            if (UsesPlatform(plaintext.Length))
            {
                SealWithPlatform(plaintext, nonce, payload);
                return;
            }

            ComposedCipher cipher = Interlocked.Exchange(ref pooledComposedCipher, null) ?? new ComposedCipher();
            cipher.Start(keyParameter, nonce);
            cipher.Stream.ProcessBytes(plaintext, 0, plaintext.Length, payload, NonceSize);
            cipher.Authenticate(nonce, payload, NonceSize, plaintext.Length, payload, NonceSize + plaintext.Length);
            ReturnToPool(ref pooledComposedCipher, cipher);
        }

        /// <summary>
        /// Decrypts the first <paramref name="payloadLength"/> bytes of <paramref name="payload"/>; the plaintext
        /// (16 + 12 bytes shorter), or null when the payload is too short or does not authenticate.
        /// </summary>
        public byte[]? Open(byte[] payload, int payloadLength)
        {
            int textLength = payloadLength - NonceSize - TagSize;
            if (textLength < 0)
            {
                return null;
            }

            byte[] nonce = new byte[NonceSize];
            Buffer.BlockCopy(payload, 0, nonce, 0, NonceSize);
            return UsesPlatform(textLength) ? OpenWithPlatform(payload, nonce, textLength) : OpenWithBouncyCastle(payload, nonce, textLength);
        }

        private bool UsesPlatform(int textLength) => platformAvailable && textLength >= PlatformFromBytes;

        private void SealWithPlatform(byte[] plaintext, byte[] nonce, byte[] payload)
        {
            byte[] ciphertext = new byte[plaintext.Length];
            byte[] tag = new byte[TagSize];
            IDisposable cipher = Interlocked.Exchange(ref pooledPlatformCipher, null) ?? PlatformChaCha20Poly1305.Create(key);
            PlatformChaCha20Poly1305.Encrypt(cipher, nonce, plaintext, ciphertext, tag, nonce);
            ReturnToPool(ref pooledPlatformCipher, cipher);
            Buffer.BlockCopy(ciphertext, 0, payload, NonceSize, ciphertext.Length);
            Buffer.BlockCopy(tag, 0, payload, NonceSize + ciphertext.Length, TagSize);
        }

        private byte[]? OpenWithPlatform(byte[] payload, byte[] nonce, int textLength)
        {
            byte[] ciphertext = new byte[textLength];
            byte[] tag = new byte[TagSize];
            Buffer.BlockCopy(payload, NonceSize, ciphertext, 0, textLength);
            Buffer.BlockCopy(payload, NonceSize + textLength, tag, 0, TagSize);
            byte[] plaintext = new byte[textLength];
            IDisposable cipher = Interlocked.Exchange(ref pooledPlatformCipher, null) ?? PlatformChaCha20Poly1305.Create(key);
            try
            {
                PlatformChaCha20Poly1305.Decrypt(cipher, nonce, ciphertext, tag, plaintext, nonce);
                return plaintext;
            }
            catch (CryptographicException)
            {
                return null;
            }
            finally
            {
                ReturnToPool(ref pooledPlatformCipher, cipher);
            }
        }

        private byte[]? OpenWithBouncyCastle(byte[] payload, byte[] nonce, int textLength)
        {
            ComposedCipher cipher = Interlocked.Exchange(ref pooledComposedCipher, null) ?? new ComposedCipher();
            try
            {
                cipher.Start(keyParameter, nonce);
                byte[] tag = new byte[TagSize];
                cipher.Authenticate(nonce, payload, NonceSize, textLength, tag, 0);
                if (!FixedTimeEquals(tag, payload, NonceSize + textLength))
                {
                    return null;
                }

                byte[] plaintext = new byte[textLength];
                cipher.Stream.ProcessBytes(payload, NonceSize, textLength, plaintext, 0);
                return plaintext;
            }
            finally
            {
                ReturnToPool(ref pooledComposedCipher, cipher);
            }
        }

        /// <summary>Compares the tag with the stored one in time that does not depend on where they differ.</summary>
        private static bool FixedTimeEquals(byte[] tag, byte[] payload, int offset)
        {
            int difference = 0;
            for (int i = 0; i < TagSize; i++)
            {
                difference |= tag[i] ^ payload[offset + i];
            }

            return difference == 0;
        }

        /// <summary>Puts a cipher back in the pool's slot, unless another thread filled it meanwhile.</summary>
        private static void ReturnToPool<T>(ref T? slot, T cipher)
            where T : class
        {
            if (Interlocked.CompareExchange(ref slot, cipher, null) != null && cipher is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        /// <summary>
        /// ChaCha20-Poly1305 as RFC 8439 section 2.8 builds it from its two parts: the Poly1305 key is the first 32
        /// bytes of the ChaCha20 key stream (block 0), the text is encrypted from block 1 on, and the tag is the
        /// Poly1305 of the associated data and the ciphertext, each padded to 16 bytes, then both lengths (64-bit,
        /// little-endian). Not thread-safe: one call at a time uses it.
        /// </summary>
        private sealed class ComposedCipher
        {
            private static readonly byte[] Zeros = new byte[16];
            private readonly Poly1305 mac = new Poly1305();
            private readonly byte[] block = new byte[64];
            private readonly byte[] lengths = new byte[16];

            /// <summary>The ChaCha20 key stream, at block 1 once <see cref="Start"/> has run.</summary>
            public ChaCha7539Engine Stream { get; } = new ChaCha7539Engine();

            /// <summary>Starts the key stream for a key and nonce, and keys Poly1305 with its block 0.</summary>
            public void Start(KeyParameter key, byte[] nonce)
            {
                Stream.Init(true, new ParametersWithIV(key, nonce));
                Array.Clear(block, 0, block.Length);
                Stream.ProcessBytes(block, 0, block.Length, block, 0);
                mac.Init(new KeyParameter(block, 0, 32));
                Array.Clear(block, 0, block.Length);
            }

            /// <summary>Writes the 16-byte tag of <paramref name="associatedData"/> and <paramref name="count"/> bytes of ciphertext.</summary>
            public void Authenticate(byte[] associatedData, byte[] ciphertext, int offset, int count, byte[] tag, int tagOffset)
            {
                UpdatePadded(associatedData, 0, associatedData.Length);
                UpdatePadded(ciphertext, offset, count);
                WriteLittleEndian((ulong)associatedData.Length, lengths, 0);
                WriteLittleEndian((ulong)count, lengths, 8);
                mac.BlockUpdate(lengths, 0, lengths.Length);
                mac.DoFinal(tag, tagOffset);
            }

            private void UpdatePadded(byte[] data, int offset, int count)
            {
                mac.BlockUpdate(data, offset, count);
                if (count % 16 != 0)
                {
                    mac.BlockUpdate(Zeros, 0, 16 - (count % 16));
                }
            }

            private static void WriteLittleEndian(ulong value, byte[] target, int offset)
            {
                for (int i = 0; i < 8; i++)
                {
                    target[offset + i] = (byte)(value >> (8 * i));
                }
            }
        }
    }
}
