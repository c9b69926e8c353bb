using System.Text.RegularExpressions;

namespace CommerceServices.Saas
{
    /// <summary>The form of an IMS organization id, as the Adobe Admin Console shows it: 24 hexadecimal characters followed by @AdobeOrg.</summary>
    public static class ImsOrganizationId
    {
        private static readonly Regex Pattern = new Regex("^[0-9A-Fa-f]{24}@AdobeOrg$", RegexOptions.CultureInvariant);

        /// <summary>Whether <paramref name="text"/> (surrounding white space aside) is an IMS organization id.</summary>
        public static bool IsValid(string? text) => text != null && Pattern.IsMatch(text.Trim());

        /// <summary>Why <paramref name="text"/> is refused.</summary>
        public static string NotAnId(string? text) =>
            "'" + text + "' is not an IMS organization id: those are 24 hexadecimal characters followed by @AdobeOrg (for example 0123456789ABCDEF01234567@AdobeOrg), as shown in the Adobe Admin Console.";
    }
}
