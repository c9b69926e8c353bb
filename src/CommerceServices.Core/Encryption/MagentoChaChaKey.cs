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
        private PlatformChaCha20Poly1305.Cipher? pooledPlatformCipher;

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
            if (UsesPlatform(plaintext.Length))
            {
                PlatformChaCha20Poly1305.Cipher platform = Interlocked.Exchange(ref pooledPlatformCipher, null) ?? PlatformChaCha20Poly1305.Create(key);
                var nonce = new ReadOnlySpan<byte>(payload, 0, NonceSize);
                platform.Encrypt(nonce, plaintext, new Span<byte>(payload, NonceSize, plaintext.Length), new Span<byte>(payload, NonceSize + plaintext.Length, TagSize), nonce);
                ReturnToPool(ref pooledPlatformCipher, platform);
                return;
            }

            ComposedCipher cipher = Interlocked.Exchange(ref pooledComposedCipher, null) ?? new ComposedCipher();
            cipher.Start(keyParameter, payload);
            cipher.Stream.ProcessBytes(plaintext, 0, plaintext.Length, payload, NonceSize);
            cipher.Authenticate(payload, NonceSize, plaintext.Length, payload, NonceSize + plaintext.Length);
            ReturnToPool(ref pooledComposedCipher, cipher);
        }

        /// <summary>
        /// Decrypts the first <paramref name="payloadLength"/> bytes of <paramref name="payload"/> into the start of
        /// <paramref name="plaintext"/>, which must have room for them less 28 bytes (nonce and tag); the length of the
        /// plaintext, or -1 when the payload is too short or does not authenticate (nothing is written then).
        /// </summary>
        public int Open(byte[] payload, int payloadLength, byte[] plaintext)
        {
            int textLength = payloadLength - NonceSize - TagSize;
            if (textLength < 0)
            {
                return -1;
            }

            if (textLength > plaintext.Length)
            {
                throw new ArgumentException("The plaintext buffer is too short.", nameof(plaintext));
            }

            return UsesPlatform(textLength) ? OpenWithPlatform(payload, textLength, plaintext) : OpenWithBouncyCastle(payload, textLength, plaintext);
        }

        private bool UsesPlatform(int textLength) => platformAvailable && textLength >= PlatformFromBytes;

        private int OpenWithPlatform(byte[] payload, int textLength, byte[] plaintext)
        {
            PlatformChaCha20Poly1305.Cipher cipher = Interlocked.Exchange(ref pooledPlatformCipher, null) ?? PlatformChaCha20Poly1305.Create(key);
            try
            {
                var nonce = new ReadOnlySpan<byte>(payload, 0, NonceSize);
                cipher.Decrypt(nonce, new ReadOnlySpan<byte>(payload, NonceSize, textLength), new ReadOnlySpan<byte>(payload, NonceSize + textLength, TagSize), new Span<byte>(plaintext, 0, textLength), nonce);
                return textLength;
            }
            catch (CryptographicException)
            {
                // The runtime has cleared the plaintext it wrote.
                return -1;
            }
            finally
            {
                ReturnToPool(ref pooledPlatformCipher, cipher);
            }
        }

        private int OpenWithBouncyCastle(byte[] payload, int textLength, byte[] plaintext)
        {
            ComposedCipher cipher = Interlocked.Exchange(ref pooledComposedCipher, null) ?? new ComposedCipher();
            try
            {
                cipher.Start(keyParameter, payload);
                byte[] tag = cipher.Tag;
                cipher.Authenticate(payload, NonceSize, textLength, tag, 0);
                if (!FixedTimeEquals(tag, payload, NonceSize + textLength))
                {
                    return -1;
                }

                cipher.Stream.ProcessBytes(payload, NonceSize, textLength, plaintext, 0);
                return textLength;
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

            /// <summary>Room for a computed tag (public: it is compared with the stored one).</summary>
            public byte[] Tag { get; } = new byte[TagSize];

            /// <summary>The ChaCha20 key stream, at block 1 once <see cref="Start"/> has run.</summary>
            public ChaCha7539Engine Stream { get; } = new ChaCha7539Engine();

            /// <summary>Starts the key stream for a key and the nonce at the start of <paramref name="payload"/>, and keys Poly1305 with its block 0.</summary>
            public void Start(KeyParameter key, byte[] payload)
            {
                Stream.Init(true, new ParametersWithIV(key, payload, 0, NonceSize));
                Array.Clear(block, 0, block.Length);
                Stream.ProcessBytes(block, 0, block.Length, block, 0);
                mac.Init(new KeyParameter(block, 0, 32));
                Array.Clear(block, 0, block.Length);
            }

            /// <summary>
            /// Writes the 16-byte tag of the associated data, the nonce at the start of <paramref name="payload"/>,
            /// and of <paramref name="count"/> bytes of ciphertext from <paramref name="offset"/> in it.
            /// </summary>
            public void Authenticate(byte[] payload, int offset, int count, byte[] tag, int tagOffset)
            {
                UpdatePadded(payload, 0, NonceSize);
                UpdatePadded(payload, offset, count);
                WriteLittleEndian(NonceSize, lengths, 0);
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
