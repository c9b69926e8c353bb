using System.Management.Automation;
using System.Security;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Base of the cmdlets that read a key pair from its parts: -ApiKey (string) and either
    /// -PrivateKey (SecureString) or -PrivateKeyPath (file), with -Environment. All bind by
    /// property name, so CSV rows and emulator key files pipe in.
    /// </summary>
    public abstract class ApiKeyInputCmdlet : CommerceCmdlet
    {
        private KeyPairInput? keyPairInput;

        /// <summary>Reads the key pair the user gives.</summary>
        internal KeyPairInput KeyPairInput => keyPairInput ??= new KeyPairInput(this);

        /// <summary>The parameter set of -PrivateKey.</summary>
        protected const string PrivateKeySet = "PrivateKey";

        /// <summary>The parameter set of -PrivateKeyPath.</summary>
        protected const string PrivateKeyPathSet = "PrivateKeyPath";

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

        /// <summary>Reads the current record's pair; null after writing why a key file could not be read, or a plain-text key refused.</summary>
        protected ApiKeyPairReadResult? ReadInput() =>
            ParameterSetName == PrivateKeyPathSet
                ? KeyPairInput.ReadFile(ApiKey, PrivateKeyPath, Environment)
                : KeyPairInput.AcceptsSecret(PrivateKey) ? ApiKeyPairReader.Read(ApiKey, PrivateKey, Environment) : null;

        /// <summary>Says that a PKCS#1 key was converted, when it was.</summary>
        protected void WarnIfPkcs1(ApiKeyPairReadResult read) => KeyPairInput.WarnIfPkcs1(read, Environment);
    }
}
