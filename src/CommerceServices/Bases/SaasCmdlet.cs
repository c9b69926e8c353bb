using System;
using System.Management.Automation;
using System.Security;
using CommerceServices.Gateway;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Base of the cmdlets that call the merchant registry with an explicit key pair: -ApiKey (a
    /// key pair object, or the API key string with -PrivateKey or -PrivateKeyPath), -Environment,
    /// -GatewayUri and -Proxy. All bind by property name, so SaasProject and SaasDataSpace
    /// objects (which carry their key pair and gateway) flow from one cmdlet to the next.
    /// </summary>
    public abstract class SaasCmdlet : CommerceCmdlet
    {
        private KeyPairInput? keyPairInput;
        private GatewayCaller? gateway;
        private CommandSettings? settings;
        private ApiKeyPair? cachedPair;
        private object? cachedApiKey;
        private object? cachedPrivateKey;
        private GatewayEnvironment? cachedEnvironment;

        /// <summary>
        /// The key pair, or the public API key as a string. A key pair binds from the pipeline by
        /// value (Import-CommerceApiKey ... | Get-SaasProject) and, as the ApiKey property of
        /// projects and data spaces, by property name.
        /// </summary>
        [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public ApiKeyParameter? ApiKey { get; set; }

        /// <summary>
        /// The instance whose stored key pair (of its active gateway environment, or of -Environment)
        /// and configured gateway are used when -ApiKey is not given; without either, the session's
        /// default instance.
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        public CommerceServices.Instances.CommerceInstance? Instance { get; set; }

        /// <summary>The private key as PEM text in a SecureString, when -ApiKey is a string.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [PlainTextSecretRefused]
        public SecureString? PrivateKey { get; set; }

        /// <summary>A file holding the private key, when -ApiKey is a string.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? PrivateKeyPath { get; set; }

        /// <summary>The gateway environment, when -ApiKey is a string (a key pair object knows its own).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public GatewayEnvironment? Environment { get; set; }

        /// <summary>The gateway to call instead of Adobe's (an emulator, for example).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public Uri? GatewayUri { get; set; }

        /// <summary>A proxy to use instead of the system proxy.</summary>
        [Parameter]
        public Uri? Proxy { get; set; }

        /// <summary>Reads the key pair the user gives.</summary>
        internal KeyPairInput KeyPairInput => keyPairInput ??= new KeyPairInput(this);

        /// <summary>Calls the gateway with the cmdlet's -Proxy.</summary>
        internal GatewayCaller Gateway => gateway ??= new GatewayCaller(this) { Proxy = Proxy };

        /// <summary>The settings this command read of each instance.</summary>
        internal CommandSettings Settings => settings ??= new CommandSettings(this);

        /// <summary>
        /// The key pair of the current record, or null after writing the error that says why
        /// there is none. Read once per distinct input, not once per record.
        /// </summary>
        protected ApiKeyPair? ResolveKeyPair()
        {
            instanceGateway = null;
            instanceRoutes = null;
            if (!KeyPairInput.AcceptsSecret(PrivateKey))
            {
                return null;
            }

            if (ApiKey == null)
            {
                return KeyPairOfInstance();
            }

            if (ApiKey.KeyPair != null)
            {
                if (PrivateKey != null || PrivateKeyPath != null)
                {
                    WriteError(new ArgumentException("-ApiKey is already a key pair; do not pass -PrivateKey or -PrivateKeyPath with it."), "PrivateKeyNotExpected", ErrorCategory.InvalidArgument, ApiKey.KeyPair);
                    return null;
                }

                if (Environment.HasValue && Environment.Value != ApiKey.KeyPair.Environment)
                {
                    WriteError(new ArgumentException("-Environment " + Environment.Value + " does not match the key pair, which is for " + ApiKey.KeyPair.Environment + "."), "EnvironmentMismatch", ErrorCategory.InvalidArgument, ApiKey.KeyPair);
                    return null;
                }

                return ApiKey.KeyPair;
            }

            GatewayEnvironment environment = Environment ?? GatewayEnvironment.Production;
            object? privateKey = (object?)PrivateKey ?? PrivateKeyPath;
            if (privateKey == null || (PrivateKey != null && PrivateKeyPath != null))
            {
                WriteError(
                    new ArgumentException("-ApiKey is a string, so exactly one of -PrivateKey (a SecureString) and -PrivateKeyPath (a file) must give its private key. Or pass a key pair from Import-CommerceApiKey to -ApiKey."),
                    "PrivateKeyMissing",
                    ErrorCategory.InvalidArgument,
                    null);
                return null;
            }

            if (cachedPair != null && Equals(cachedApiKey, ApiKey.Text) && ReferenceEquals(cachedPrivateKey, privateKey) && cachedEnvironment == environment)
            {
                return cachedPair;
            }

            ApiKeyPairReadResult? read = PrivateKey != null
                ? ApiKeyPairReader.Read(ApiKey.Text, PrivateKey, environment)
                : KeyPairInput.ReadFile(ApiKey.Text, PrivateKeyPath!, environment);
            if (read == null)
            {
                return null;
            }

            if (!read.IsValid)
            {
                WriteError(new ArgumentException(KeyPairInput.Invalid(environment, read)), "InvalidApiKeyPair", ErrorCategory.InvalidData, (object?)PrivateKeyPath ?? environment);
                return null;
            }

            KeyPairInput.WarnIfPkcs1(read, environment);

            cachedApiKey = ApiKey.Text;
            cachedPrivateKey = privateKey;
            cachedEnvironment = environment;
            cachedPair = read.KeyPair;
            return cachedPair;
        }

        private Uri? instanceGateway;
        private GatewayRoutes? instanceRoutes;

        private ApiKeyPair? KeyPairOfInstance()
        {
            CommerceServices.Instances.CommerceInstance instance = Instance ?? DefaultInstanceOrThrow();
            CommerceServices.Keys.GatewayCredentials? stored = Settings.KeyPairOf(instance, Environment);
            if (stored == null)
            {
                return null;
            }

            instanceGateway = stored.GatewayUri;
            instanceRoutes = stored.Routes;
            WriteVerbose("Using the " + stored.KeyPair.Environment + " key pair stored in " + instance.Path + " (SHA256:" + stored.KeyPair.Fingerprint.Substring(0, 16) + "...).");
            return stored.KeyPair;
        }

        /// <summary>The gateway of this record: -GatewayUri, else the instance's configured one, else Adobe's.</summary>
        protected Uri? EffectiveGatewayUri => GatewayUri ?? instanceGateway;

        /// <summary>Runs one registry operation with the record's key pair at the record's gateway; gateway failures become error records.</summary>
        protected bool TryCall<T>(ApiKeyPair keyPair, Func<GatewayClient, System.Threading.CancellationToken, System.Threading.Tasks.Task<T>> call, object? target, out T result) =>
            Gateway.TryCall(keyPair, Gateway.Validate(EffectiveGatewayUri, keyPair.Environment), instanceRoutes, call, target, out result);

        /// <summary>The registry account a key pair reaches at this record's gateway: what <see cref="PipelineCache"/> keeps projects by.</summary>
        protected string RegistryOf(ApiKeyPair keyPair) => Where(keyPair) + " with key pair SHA256:" + keyPair.Fingerprint;

        /// <summary>What a -WhatIf line names as the place of a change.</summary>
        protected string Where(ApiKeyPair keyPair) =>
            "the " + keyPair.Environment + " registry at " + Gateway.Validate(EffectiveGatewayUri, keyPair.Environment);
    }
}
