namespace CommerceServices.Keys
{
    /// <summary>Checks the public API key: the opaque string sent as <c>x-api-key</c>.</summary>
    internal static class ApiKeyValidator
    {
        // Real API keys are short tokens; anything this long is a key or certificate in the wrong field.
        internal const int MaximumLength = 256;

        /// <summary>
        /// Returns the problem with <paramref name="apiKey"/>, or null when it is usable.
        /// Leading and trailing whitespace is not a problem: it is trimmed by <see cref="Normalize"/>.
        /// </summary>
        public static ApiKeyProblem? Check(string? apiKey, GatewayEnvironment environment)
        {
            string key = Normalize(apiKey);
            if (key.Length == 0)
            {
                return KeyProblems.EmptyApiKey(environment);
            }

            if (key.IndexOf("-----", System.StringComparison.Ordinal) >= 0
                || key.IndexOf("PRIVATE KEY", System.StringComparison.OrdinalIgnoreCase) >= 0
                || key.IndexOf("BEGIN ", System.StringComparison.Ordinal) >= 0
                || key.StartsWith("MII", System.StringComparison.Ordinal) && key.Length > 100)
            {
                return KeyProblems.ApiKeyLooksLikePrivateKey();
            }

            if (key.Length > MaximumLength)
            {
                return KeyProblems.ApiKeyTooLong(key.Length);
            }

            foreach (char c in key)
            {
                if (char.IsWhiteSpace(c))
                {
                    return KeyProblems.ApiKeyHasWhitespace();
                }
            }

            foreach (char c in key)
            {
                if (c < 0x21 || c > 0x7E)
                {
                    return KeyProblems.ApiKeyHasNonPrintable();
                }
            }

            return null;
        }

        /// <summary>The API key without surrounding whitespace (and a stray BOM).</summary>
        public static string Normalize(string? apiKey) =>
            apiKey == null ? string.Empty : apiKey.Trim().Trim('\uFEFF', '\u200B').Trim();

        /// <summary>A recognisable but non-revealing form of an API key: the first and last four characters.</summary>
        public static string Hint(string apiKey)
        {
            string key = Normalize(apiKey);
            if (key.Length == 0)
            {
                return string.Empty;
            }

            return key.Length <= 12 ? new string('*', key.Length) : key.Substring(0, 4) + "..." + key.Substring(key.Length - 4);
        }
    }
}
