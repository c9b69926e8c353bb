using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks, locally, that a Commerce Services API key pair is usable.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CommerceApiKey")]
    [OutputType(typeof(ApiKeyTestResult), ParameterSetName = new[] { PrivateKeySet, PrivateKeyPathSet })]
    [OutputType(typeof(bool), ParameterSetName = new[] { PrivateKeySet, PrivateKeyPathSet })]
    public sealed class TestCommerceApiKeyCommand : CommerceCmdlet
    {
        private const string PrivateKeySet = "PrivateKey";
        private const string PrivateKeyPathSet = "PrivateKeyPath";

        /// <summary>The public API key.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string? ApiKey { get; set; }

        /// <summary>The private key as PEM text in a SecureString.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PrivateKeySet, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [PlainTextSecretRefused]
        public SecureString? PrivateKey { get; set; }

        /// <summary>A file holding the private key in PEM form.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PrivateKeyPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LiteralPath")]
        [ValidateNotNullOrEmpty]
        public string PrivateKeyPath { get; set; } = string.Empty;

        /// <summary>The gateway environment the pair is for.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public GatewayEnvironment Environment { get; set; } = GatewayEnvironment.Production;

        /// <summary>Return only true or false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ApiKeyPairReadResult read;
            if (ParameterSetName == PrivateKeyPathSet)
            {
                string path = ResolveLiteralFilePath(PrivateKeyPath);
                try
                {
                    WriteVerbose("Reading the " + Environment + " private key from '" + path + "'.");
                    read = ApiKeyPairReader.ReadFile(ApiKey, path, Environment);
                }
                catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
                {
                    WriteError(
                        new ItemNotFoundException("Cannot test the " + Environment + " API key pair: the private key file '" + path + "' does not exist. Check the path, or pass the key with -PrivateKey.", ex),
                        "PrivateKeyFileNotFound",
                        ErrorCategory.ObjectNotFound,
                        PrivateKeyPath);
                    return;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is SecurityException || ex is NotSupportedException)
                {
                    WriteError(
                        new IOException("Cannot test the " + Environment + " API key pair: the private key file '" + path + "' cannot be read: " + ex.Message + " Check the path and that this account may read the file.", ex),
                        "PrivateKeyFileUnreadable",
                        ex is UnauthorizedAccessException || ex is SecurityException ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError,
                        PrivateKeyPath);
                    return;
                }
            }
            else
            {
                read = ApiKeyPairReader.Read(ApiKey, PrivateKey, Environment);
            }

            using (read.KeyPair)
            {
                Report(read);
            }
        }

        private void Report(ApiKeyPairReadResult read)
        {
            foreach (PemRepair repair in read.Repairs)
            {
                WriteVerbose("Repaired in the " + Environment + " private key: " + DescribeRepair(repair));
            }

            if (read.Format == PrivateKeyFormat.Pkcs1)
            {
                WriteWarning("The " + Environment + " private key is in PKCS#1 form (BEGIN RSA PRIVATE KEY). It was converted to PKCS#8 (BEGIN PRIVATE KEY), the form Adobe documents; the key itself is unchanged.");
            }

            foreach (ApiKeyProblem problem in read.Problems)
            {
                WriteVerbose(problem.Id + ": " + problem.Message);
            }

            if (read.IsValid)
            {
                WriteVerbose("The " + Environment + " key pair is valid: RSA " + read.KeySize + ", SHA256:" + read.Fingerprint + ".");
            }

            if (Quiet)
            {
                WriteObject(read.IsValid);
            }
            else
            {
                WriteObject(new ApiKeyTestResult(read));
            }
        }

        private static string DescribeRepair(PemRepair repair)
        {
            switch (repair)
            {
                case PemRepair.ByteOrderMark: return "a byte order mark was removed.";
                case PemRepair.LineEndings: return "CR/CRLF line endings were read as LF.";
                case PemRepair.EscapedNewlines: return "literal \\n sequences were read as line breaks.";
                case PemRepair.SingleLine: return "the key was on a single line.";
                case PemRepair.SpacesForNewlines: return "spaces stood where line breaks belong.";
                case PemRepair.Indentation: return "indented lines were read without the indentation.";
                case PemRepair.TrailingWhitespace: return "trailing spaces and blank lines were ignored.";
                case PemRepair.MarkerDashes: return "BEGIN/END lines with the wrong number of dashes were accepted.";
                case PemRepair.SurroundingText: return "text before or after the key was ignored.";
                default: return repair.ToString();
            }
        }
    }
}
