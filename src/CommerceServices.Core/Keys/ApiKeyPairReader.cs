using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace CommerceServices.Keys
{
    /// <summary>
    /// Reads an API key pair from what users have: the public API key as a string and the
    /// private key as a <see cref="SecureString"/> or a file. Never throws for a bad key: the
    /// answer lists the problems. Only an unreadable file throws (an <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/>).
    /// </summary>
    public static class ApiKeyPairReader
    {
        /// <summary>Key files larger than this are not PEM keys.</summary>
        public const long MaximumKeyFileBytes = 1024 * 1024;

        /// <summary>Reads a key pair whose private key is PEM text in a <see cref="SecureString"/>.</summary>
        public static ApiKeyPairReadResult Read(string? apiKey, SecureString? privateKey, GatewayEnvironment environment)
        {
            char[] chars = privateKey == null ? Array.Empty<char>() : ToChars(privateKey);
            try
            {
                return Read(apiKey, chars, environment);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        /// <summary>
        /// Reads a key pair whose private key is PEM text in a file (UTF-8, or UTF-16 with a BOM).
        /// Text over 65,536 characters is the problem <see cref="ApiKeyProblemId.PrivateKeyTextTooLong"/>.
        /// </summary>
        /// <exception cref="FileNotFoundException">The file does not exist.</exception>
        /// <exception cref="DirectoryNotFoundException">A folder on the path does not exist.</exception>
        /// <exception cref="IOException">The file cannot be read, or is far too large to be a key.</exception>
        /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
        public static ApiKeyPairReadResult ReadFile(string? apiKey, string privateKeyPath, GatewayEnvironment environment)
        {
            char[] chars = ReadKeyFile(privateKeyPath);
            try
            {
                return Read(apiKey, chars, environment);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        /// <summary>Reads a key pair whose private key is PEM text in <paramref name="privateKeyPem"/>.</summary>
        public static ApiKeyPairReadResult Read(string? apiKey, char[] privateKeyPem, GatewayEnvironment environment)
        {
            if (privateKeyPem == null)
            {
                throw new ArgumentNullException(nameof(privateKeyPem));
            }

            var problems = new List<ApiKeyProblem>();
            ApiKeyProblem? apiKeyProblem = ApiKeyValidator.Check(apiKey, environment);
            if (apiKeyProblem != null)
            {
                problems.Add(apiKeyProblem);
            }

            // Text that long is not copied, let alone scanned (a SecureString never holds more).
            PrivateKeyReadResult privateKey = privateKeyPem.Length > PrivateKeyReader.MaximumTextLength
                ? PrivateKeyReader.TextTooLong(privateKeyPem.Length)
                : PrivateKeyReader.Read(new string(privateKeyPem));
            if (privateKey.Problem != null)
            {
                problems.Add(privateKey.Problem);
            }

            ApiKeyPair? pair = null;
            if (problems.Count == 0 && privateKey.Key != null && privateKey.Format.HasValue)
            {
                pair = new ApiKeyPair(environment, ApiKeyValidator.Normalize(apiKey), privateKey.Key, privateKey.Format.Value);
            }

            return new ApiKeyPairReadResult(
                environment,
                pair,
                problems,
                privateKey.Repairs,
                privateKey.Format,
                privateKey.KeySize,
                privateKey.Key == null ? null : (pair?.Fingerprint ?? FingerprintOf(privateKey)),
                apiKeyProblem == null ? ApiKeyValidator.Hint(apiKey ?? string.Empty) : string.Empty);
        }

        private static string? FingerprintOf(PrivateKeyReadResult privateKey)
        {
            // The private key is fine but the API key is not: still tell which key this is.
            using (var pair = new ApiKeyPair(GatewayEnvironment.Production, string.Empty, privateKey.Key!, privateKey.Format!.Value))
            {
                return pair.Fingerprint;
            }
        }

        private static char[] ReadKeyFile(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                if (stream.Length > MaximumKeyFileBytes)
                {
                    throw new IOException("The file '" + path + "' is " + stream.Length + " bytes, far larger than a PEM private key. Check the path.");
                }

                using (var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true))
                {
                    var buffer = new char[stream.Length + 1];
                    int total = 0;
                    int read;
                    while ((read = reader.Read(buffer, total, buffer.Length - total)) > 0)
                    {
                        total += read;
                    }

                    var chars = new char[total];
                    Array.Copy(buffer, chars, total);
                    Array.Clear(buffer, 0, buffer.Length);
                    return chars;
                }
            }
        }

        private static char[] ToChars(SecureString secure)
        {
            IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                var chars = new char[secure.Length];
                Marshal.Copy(pointer, chars, 0, chars.Length);
                return chars;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
