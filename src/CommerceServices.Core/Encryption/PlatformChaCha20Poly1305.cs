using System;
using System.Linq.Expressions;
using System.Reflection;

namespace CommerceServices.Encryption
{
    /// <summary>
    /// The runtime's own ChaCha20-Poly1305, <c>System.Security.Cryptography.ChaCha20Poly1305</c> (OpenSSL on
    /// Linux and macOS, CNG on Windows), where the runtime has it and it is supported: .NET Core 3.0 and later, so
    /// PowerShell 7; not .NET Framework, so not Windows PowerShell 5.1. The core targets netstandard2.0, which
    /// does not name the type, so its constructor is bound once, by reflection, into a compiled delegate, and its
    /// Span overloads of Encrypt and Decrypt are bound to each cipher as delegates (<see cref="Cipher"/>), so the
    /// nonce, the text and the tag are read and written in place, in the caller's arrays.
    /// </summary>
    internal static class PlatformChaCha20Poly1305
    {
        private static readonly Binding? Bound = Bind();

        /// <summary>ChaCha20Poly1305.Encrypt(nonce, plaintext, ciphertext, tag, associatedData), Span overload.</summary>
        public delegate void EncryptSpans(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData);

        /// <summary>ChaCha20Poly1305.Decrypt(nonce, ciphertext, tag, plaintext, associatedData), Span overload; throws a CryptographicException when the tag does not authenticate.</summary>
        public delegate void DecryptSpans(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData);

        /// <summary>Whether the runtime has a supported ChaCha20-Poly1305.</summary>
        public static bool IsAvailable => Bound != null;

        /// <summary>A cipher for a 32-byte key. Only when <see cref="IsAvailable"/>.</summary>
        public static Cipher Create(byte[] key)
        {
            Binding bound = Bound ?? throw new PlatformNotSupportedException("This runtime has no ChaCha20-Poly1305 of its own.");
            IDisposable instance = bound.Create(key);
            return new Cipher(
                instance,
                (EncryptSpans)Delegate.CreateDelegate(typeof(EncryptSpans), instance, bound.Encrypt),
                (DecryptSpans)Delegate.CreateDelegate(typeof(DecryptSpans), instance, bound.Decrypt));
        }

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

                ConstructorInfo? constructor = type.GetConstructor(new[] { typeof(byte[]) });
                MethodInfo? encrypt = type.GetMethod("Encrypt", ParameterTypes(typeof(EncryptSpans)));
                MethodInfo? decrypt = type.GetMethod("Decrypt", ParameterTypes(typeof(DecryptSpans)));
                if (constructor == null || encrypt == null || decrypt == null)
                {
                    return null;
                }

                ParameterExpression key = Expression.Parameter(typeof(byte[]), "key");
                var create = Expression.Lambda<Func<byte[], IDisposable>>(Expression.Convert(Expression.New(constructor, key), typeof(IDisposable)), key).Compile();
                return new Binding(create, encrypt, decrypt);
            }
            catch (Exception ex) when (ex is TypeLoadException || ex is System.IO.IOException || ex is BadImageFormatException || ex is MemberAccessException || ex is NotSupportedException || ex is InvalidOperationException)
            {
                return null;
            }
        }

        private static Type[] ParameterTypes(Type delegateType) =>
            Array.ConvertAll(delegateType.GetMethod("Invoke")!.GetParameters(), parameter => parameter.ParameterType);

        /// <summary>
        /// One ChaCha20Poly1305 object and its two methods bound to it. Not thread-safe, as the object is not:
        /// one call at a time uses it.
        /// </summary>
        internal sealed class Cipher : IDisposable
        {
            private readonly IDisposable instance;

            public Cipher(IDisposable instance, EncryptSpans encrypt, DecryptSpans decrypt)
            {
                this.instance = instance;
                Encrypt = encrypt;
                Decrypt = decrypt;
            }

            public EncryptSpans Encrypt { get; }

            public DecryptSpans Decrypt { get; }

            public void Dispose() => instance.Dispose();
        }

        private sealed class Binding
        {
            public Binding(Func<byte[], IDisposable> create, MethodInfo encrypt, MethodInfo decrypt)
            {
                Create = create;
                Encrypt = encrypt;
                Decrypt = decrypt;
            }

            public Func<byte[], IDisposable> Create { get; }

            public MethodInfo Encrypt { get; }

            public MethodInfo Decrypt { get; }
        }
    }
}
