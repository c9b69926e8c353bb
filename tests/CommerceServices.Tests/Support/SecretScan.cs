namespace CommerceServices.Tests.Support
{
    /// <summary>The leak scans' search: any run of <see cref="FragmentLength"/> characters of a secret, anywhere in a text.</summary>
    internal static class SecretScan
    {
        public const int FragmentLength = 12;

        /// <summary>Fails when any <see cref="FragmentLength"/>-character window of a secret is in <paramref name="text"/>; returns the text's length.</summary>
        public static int AssertNone(IEnumerable<(string Kind, string Text)> secrets, string text, string where)
        {
            // Every window of every secret in one set, and one pass over the text looking each of its windows up.
            var fragments = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach ((string kind, string secret) in secrets)
            {
                for (int i = 0; i + FragmentLength <= secret.Length; i++)
                {
                    fragments.TryAdd(secret.Substring(i, FragmentLength), kind);
                }
            }

            Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup = fragments.GetAlternateLookup<ReadOnlySpan<char>>();
            for (int at = 0; at + FragmentLength <= text.Length; at++)
            {
                if (lookup.TryGetValue(text.AsSpan(at, FragmentLength), out string? kind))
                {
                    int from = Math.Max(0, at - 300);
                    Assert.Fail(where + ": a fragment of the " + kind + " leaked, here:\n" + text.Substring(from, Math.Min(text.Length - from, 600)));
                }
            }

            return text.Length;
        }
    }
}
