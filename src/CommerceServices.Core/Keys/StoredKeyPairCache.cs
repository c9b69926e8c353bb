using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace CommerceServices.Keys
{
    /// <summary>
    /// Key pairs read from what instances store, each read once per process: every settings read of every
    /// instance that stores the same pair (a fleet shares one) gets the same result, so the private key is
    /// parsed and checked once, and imported into the platform's RSA once, on its first signature.
    /// The results are shared: their <see cref="ApiKeyPairReadResult.KeyPair"/> must not be disposed.
    /// They are kept by the SHA-256 of environment, API key and private key text, never by the text itself;
    /// at most <see cref="Capacity"/> are kept, and a full cache starts again empty.
    /// </summary>
    internal static class StoredKeyPairCache
    {
        internal const int Capacity = 256;

        private static readonly ConcurrentDictionary<string, ApiKeyPairReadResult> Reads = new ConcurrentDictionary<string, ApiKeyPairReadResult>(StringComparer.Ordinal);

        /// <summary>The read of a stored pair (decrypted), shared by every caller that reads the same pair.</summary>
        public static ApiKeyPairReadResult Read(string apiKey, string privateKeyPem, GatewayEnvironment environment)
        {
            string id = IdOf(apiKey, privateKeyPem, environment);
            if (Reads.TryGetValue(id, out ApiKeyPairReadResult? read))
            {
                return read;
            }

            char[] pem = privateKeyPem.ToCharArray();
            try
            {
                read = ApiKeyPairReader.Read(apiKey, pem, environment);
            }
            finally
            {
                Array.Clear(pem, 0, pem.Length);
            }

            if (Reads.Count >= Capacity)
            {
                // Evicted results are not disposed: a caller may still sign with one (the GC frees it).
                Reads.Clear();
            }

            return Reads.GetOrAdd(id, read);
        }

        /// <summary>Forgets every read (Disconnect-CommerceInstance): the next read parses again.</summary>
        public static void Clear() => Reads.Clear();

        private static string IdOf(string apiKey, string privateKeyPem, GatewayEnvironment environment)
        {
            byte[] text = Encoding.UTF8.GetBytes(environment + "\n" + apiKey + "\n" + privateKeyPem);
            try
            {
                using (SHA256 sha = SHA256.Create())
                {
                    return Convert.ToBase64String(sha.ComputeHash(text));
                }
            }
            finally
            {
                Array.Clear(text, 0, text.Length);
            }
        }
    }
}
