using System.Management.Automation;
using System.Security;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads an API key pair into an object that other cmdlets take as -ApiKey.</para>
    /// </summary>
    [Cmdlet(VerbsData.Import, "CommerceApiKey")]
    [OutputType(typeof(ApiKeyPair))]
    public sealed class ImportCommerceApiKeyCommand : CommerceCmdlet
    {
        private const string PrivateKeySet = "PrivateKey";
        private const string PrivateKeyPathSet = "PrivateKeyPath";

        /// <summary>The public API key.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string ApiKey { get; set; } = string.Empty;

        /// <summary>The private key as PEM text in a SecureString.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PrivateKeySet, ValueFromPipelineByPropertyName = true)]
        [PlainTextSecretRefused]
        public SecureString PrivateKey { get; set; } = null!;

        /// <summary>A file holding the private key in PEM form.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PrivateKeyPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LiteralPath")]
        [ValidateNotNullOrEmpty]
        public string PrivateKeyPath { get; set; } = string.Empty;

        /// <summary>The gateway environment the pair is for.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public GatewayEnvironment Environment { get; set; } = GatewayEnvironment.Production;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ApiKeyPairReadResult? read = ParameterSetName == PrivateKeyPathSet
                ? ReadKeyPairFile(ApiKey, PrivateKeyPath, Environment)
                : ApiKeyPairReader.Read(ApiKey, PrivateKey, Environment);
            if (read == null)
            {
                return;
            }

            if (!read.IsValid)
            {
                WriteError(new System.ArgumentException(ImportCommandText.Invalid(Environment, read)), "InvalidApiKeyPair", ErrorCategory.InvalidData, ParameterSetName == PrivateKeyPathSet ? PrivateKeyPath : (object)Environment);
                return;
            }

            if (read.Format == PrivateKeyFormat.Pkcs1)
            {
                WriteWarning("The " + Environment + " private key is in PKCS#1 form (BEGIN RSA PRIVATE KEY); it was converted to PKCS#8 (BEGIN PRIVATE KEY).");
            }

            WriteVerbose("Imported " + read.KeyPair);
            WriteObject(read.KeyPair);
        }
    }
}
