using System;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;

namespace CommerceServices.Encryption
{
    /// <summary>
    /// The runtime's own ChaCha20-Poly1305, <c>System.Security.Cryptography.ChaCha20Poly1305</c> (OpenSSL on
    /// Linux and macOS, CNG on Windows), where the runtime has it and it is supported: .NET 6 and later, so
    /// PowerShell 7; not .NET Framework, so not Windows PowerShell 5.1. The core targets netstandard2.0, which
    /// does not name the type, so its constructor and its byte[] Encrypt and Decrypt are bound once, by
    /// reflection, into compiled delegates; a cipher is an <see cref="IDisposable"/> these delegates call.
    /// </summary>
    internal static class PlatformChaCha20Poly1305
    {
        private static readonly Binding? Bound = Bind();

        /// <summary>Whether the runtime has a supported ChaCha20-Poly1305.</summary>
        public static bool IsAvailable => Bound != null;

        /// <summary>A cipher for a 32-byte key. Only when <see cref="IsAvailable"/>.</summary>
        public static IDisposable Create(byte[] key) => Required.Create(key);

        /// <summary>Writes the ciphertext (as long as the plaintext) and the 16-byte tag.</summary>
        public static void Encrypt(IDisposable cipher, byte[] nonce, byte[] plaintext, byte[] ciphertext, byte[] tag, byte[] associatedData) =>
            Required.Encrypt(cipher, nonce, plaintext, ciphertext, tag, associatedData);

        /// <summary>Writes the plaintext; throws a CryptographicException when the tag does not authenticate the ciphertext.</summary>
        public static void Decrypt(IDisposable cipher, byte[] nonce, byte[] ciphertext, byte[] tag, byte[] plaintext, byte[] associatedData) =>
            Required.Decrypt(cipher, nonce, ciphertext, tag, plaintext, associatedData);

        private static Binding Required => Bound ?? throw new PlatformNotSupportedException("This runtime has no ChaCha20-Poly1305 of its own.");

        private static Binding? Bind()
        {
            try
            {
                // The type lives in System.Security.Cryptography from .NET 7, in System.Security.Cryptography.Algorithms before.
                Type? type = Type.GetType("System.Security.Cryptography.ChaCha20Poly1305, System.Security.Cryptography", throwOnError: false)
                    ?? Type.GetType("System.Security.Cryptography.ChaCha20Poly1305, System.Security.Cryptography.Algorithms", throwOnError: false);
                PropertyInfo? isSupported = type?.GetProperty("IsSupported", BindingFlags.Public | BindingFlags.Static);
                if (type == null || isSupported == null || !(isSupported.GetValue(null) is true))
                {
                    return null;
                }

                Type[] fiveArrays = { typeof(byte[]), typeof(byte[]), typeof(byte[]), typeof(byte[]), typeof(byte[]) };
                ConstructorInfo? constructor = type.GetConstructor(new[] { typeof(byte[]) });
                MethodInfo? encrypt = type.GetMethod("Encrypt", fiveArrays);
                MethodInfo? decrypt = type.GetMethod("Decrypt", fiveArrays);
                if (constructor == null || encrypt == null || decrypt == null)
                {
                    return null;
                }

                ParameterExpression key = Expression.Parameter(typeof(byte[]), "key");
                var create = Expression.Lambda<Func<byte[], IDisposable>>(Expression.Convert(Expression.New(constructor, key), typeof(IDisposable)), key).Compile();
                return new Binding(create, CallWithFiveArrays(type, encrypt), CallWithFiveArrays(type, decrypt));
            }
            catch (Exception ex) when (ex is TypeLoadException || ex is System.IO.IOException || ex is BadImageFormatException || ex is MemberAccessException || ex is NotSupportedException || ex is InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>(cipher, a, b, c, d, e) =&gt; ((ChaCha20Poly1305)cipher).Method(a, b, c, d, e).</summary>
        private static Action<IDisposable, byte[], byte[], byte[], byte[], byte[]> CallWithFiveArrays(Type type, MethodInfo method)
        {
            ParameterExpression cipher = Expression.Parameter(typeof(IDisposable), "cipher");
            ParameterExpression[] arrays = new ParameterExpression[5];
            for (int i = 0; i < arrays.Length; i++)
            {
                arrays[i] = Expression.Parameter(typeof(byte[]), "argument" + i);
            }

            MethodCallExpression call = Expression.Call(Expression.Convert(cipher, type), method, arrays);
            return Expression.Lambda<Action<IDisposable, byte[], byte[], byte[], byte[], byte[]>>(call, new[] { cipher }.Concat(arrays)).Compile();
        }

        private sealed class Binding
        {
            public Binding(Func<byte[], IDisposable> create, Action<IDisposable, byte[], byte[], byte[], byte[], byte[]> encrypt, Action<IDisposable, byte[], byte[], byte[], byte[], byte[]> decrypt)
            {
                Create = create;
                Encrypt = encrypt;
                Decrypt = decrypt;
            }

            public Func<byte[], IDisposable> Create { get; }

            public Action<IDisposable, byte[], byte[], byte[], byte[], byte[]> Encrypt { get; }

            public Action<IDisposable, byte[], byte[], byte[], byte[], byte[]> Decrypt { get; }
        }
    }
}
