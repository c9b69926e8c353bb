using CommerceServices.Encryption;
using CommerceServices.Instances;
using CommerceServices.Php;

namespace CommerceServices.Keys
{
    /// <summary>
    /// Reads a stored API key or private key the way the connector does: its KeyEncrypted backend
    /// decrypts "safely" (a value PHP's <c>empty()</c> calls empty, null, "" or "0", stays empty; a
    /// value that does not decrypt, or decrypts to an empty one, is used as stored), and the
    /// connector then treats an <c>empty()</c> key as not set. Values from CONFIG__ variables are
    /// used verbatim.
    /// </summary>
    internal static class StoredSecret
    {
        /// <summary>The plain value the connector signs or sends with; null when it counts as not set.</summary>
        public static string? PlainValue(ConnectorSetting setting, MagentoEncryptor? encryptor) =>
            PlainValue(setting.RawValue, setting.Layer == ConfigLayer.EnvironmentVariable, encryptor, out _);

        /// <summary>The plain value of a stored value, decrypted once; null when the connector counts it as not set.</summary>
        /// <param name="fromVariable">The value comes from a CONFIG__ variable, which is used verbatim.</param>
        /// <param name="decrypted">True when the value was ciphertext of this crypt/key holding something (as <see cref="MagentoEncryptor.TryDecrypt"/>).</param>
        public static string? PlainValue(string? stored, bool fromVariable, MagentoEncryptor? encryptor, out bool decrypted)
        {
            decrypted = false;
            if (PhpTruth.IsEmpty(stored))
            {
                return null;
            }

            if (fromVariable || encryptor == null || !encryptor.TryOpen(stored, out string plain))
            {
                // Not ciphertext of this crypt/key: the connector's safeDecrypt uses it as stored.
                return stored;
            }

            // Ciphertext of "0" or of nothing: the connector falls back to the ciphertext itself,
            // which no gateway takes for a key; the honest report is "not set".
            decrypted = plain.Length > 0;
            return PhpTruth.IsEmpty(plain) ? null : plain;
        }
    }
}
