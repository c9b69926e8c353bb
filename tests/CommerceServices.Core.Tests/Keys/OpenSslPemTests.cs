using System.Linq;
using CommerceServices.Core.Tests.Support;
using CommerceServices.Keys;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Keys
{
    /// <summary>
    /// Which of this module's repairs OpenSSL makes itself: for each way a key may be stored, <see cref="OpenSslPem.ReadsAsStored"/>
    /// must say what PHP's OpenSSL does with the text as it is (openssl_pkey_get_private and a signature, as the connector).
    /// </summary>
    public class OpenSslPemTests
    {
        private static readonly string Pem = TestKeys.Pkcs8Pem(TestKeys.Main);
        private static readonly string[] Lines = Pem.TrimEnd('\n').Split('\n');

        public static TheoryData<string, string> StoredTexts() => new TheoryData<string, string>
        {
            { "as exported", Pem },
            { "a byte order mark", "\uFEFF" + Pem },
            { "CRLF line endings", Pem.Replace("\n", "\r\n") },
            { "CR line endings", Pem.Replace("\n", "\r") },
            { "literal \\n", Pem.TrimEnd('\n').Replace("\n", "\\n") },
            { "one line", Lines[0] + string.Concat(Lines.Skip(1).Take(Lines.Length - 2)) + Lines[^1] },
            { "spaces for line breaks", string.Join(" ", Lines) },
            { "indented", string.Concat(Lines.Select(l => "    " + l + "\n")) },
            { "trailing blanks and blank lines", string.Concat(Lines.Select(l => l + "  \n")) + "\n\n" },
            { "four dashes", Pem.Replace("-----", "----") },
            { "a label above and a note below", "production key:\n" + Pem + "keep it safe\n" },
            { "quotes around it", "\"" + Pem.TrimEnd('\n') + "\"" },
            { "two spaces in a marker", Pem.Replace("BEGIN PRIVATE KEY", "BEGIN  PRIVATE KEY") },
            { "a header line", Pem.Replace("-----BEGIN PRIVATE KEY-----\n", "-----BEGIN PRIVATE KEY-----\nComment: shop\n\n") },
            { "CRLF and indented", string.Concat(Lines.Select(l => "  " + l + "\r\n")) },
            { "CRLF and a label above", "key:\r\n" + Pem.Replace("\n", "\r\n") },
            { "a label above and trailing blanks on every line", "key:\n" + string.Concat(Lines.Select(l => l + " \t\n")) },
            { "text after the END marker on its line", Pem.TrimEnd('\n') + " (production)\n" },
        };

        [Theory]
        [MemberData(nameof(StoredTexts))]
        public void SaysWhatOpenSslReadsAsStored(string description, string text)
        {
            using var folder = new TempFolder();
            string file = folder.Write("stored.pem", text);
            bool openSsl = PhpCli.Run("connector-signature.php", "accepts", file) == "1";

            ApiKeyPairReadResult read = ApiKeyPairReader.Read(TestKeys.ApiKey, text.ToCharArray(), GatewayEnvironment.Production);
            read.KeyPair?.Dispose();

            Assert.True(read.IsValid, description + ": " + string.Join(", ", read.Problems.Select(p => p.Id)));
            Assert.True(openSsl == OpenSslPem.ReadsAsStored(text, read.Repairs), description + ": OpenSSL " + (openSsl ? "reads" : "refuses") + " it; repairs " + string.Join(", ", read.Repairs));
        }
    }
}
