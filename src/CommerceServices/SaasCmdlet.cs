using System;
using System.Management.Automation;
using System.Net;
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

        /// <summary>
        /// The key pair of the current record, or null after writing the error that says why
        /// there is none. Read once per distinct input, not once per record.
        /// </summary>
        protected ApiKeyPair? ResolveKeyPair()
        {
            instanceGateway = null;
            instanceRoutes = null;
            if (!AcceptsSecret(PrivateKey))
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
                : ReadKeyPairFile(ApiKey.Text, PrivateKeyPath!, environment);
            if (read == null)
            {
                return null;
            }

            if (!read.IsValid)
            {
                WriteError(new ArgumentException(ImportCommandText.Invalid(environment, read)), "InvalidApiKeyPair", ErrorCategory.InvalidData, (object?)PrivateKeyPath ?? environment);
                return null;
            }

            if (read.Format == PrivateKeyFormat.Pkcs1)
            {
                WriteWarning("The " + environment + " private key is in PKCS#1 form (BEGIN RSA PRIVATE KEY). It was converted to PKCS#8 (BEGIN PRIVATE KEY), the form Adobe documents; the key itself is unchanged.");
            }

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
            try
            {
                CommerceServices.Instances.InstanceKeyPair stored = RunOperation((debug, token) => CommerceServices.Instances.InstanceKeyPairs.ReadAsync(instance, Environment, token));
                instanceGateway = stored.GatewayUri;
                instanceRoutes = stored.Routes;
                WriteVerbose("Using the " + stored.KeyPair.Environment + " key pair stored in " + instance.Path + " (SHA256:" + stored.KeyPair.Fingerprint.Substring(0, 16) + "...).");
                return stored.KeyPair;
            }
            catch (CommerceServices.Instances.StoredKeyPairMissingException ex)
            {
                WriteError(ex, "StoredKeyPairMissing", ErrorCategory.ObjectNotFound, instance);
            }
            catch (CommerceServices.Instances.DatabaseUnavailableException ex)
            {
                WriteError(ex, "DatabaseUnavailable", ErrorCategory.ConnectionError, instance);
            }
            catch (ArgumentException ex)
            {
                // The instance's gateway settings contradict each other (several CONFIG__ variables with different values).
                WriteError(ex, "InvalidGatewayUri", ErrorCategory.InvalidData, instance);
            }

            return null;
        }

        /// <summary>The gateway of this record: -GatewayUri, else the instance's configured one, else Adobe's.</summary>
        protected Uri? EffectiveGatewayUri => GatewayUri ?? instanceGateway;

        /// <summary>The options for a client: the explicit proxy, if any.</summary>
        protected GatewayOptions ClientOptions() => new GatewayOptions { Proxy = Proxy == null ? null : new WebProxy(Proxy) };

        /// <summary>Runs one registry operation with the record's key pair; gateway failures become error records.</summary>
        protected bool TryCall<T>(ApiKeyPair keyPair, Func<GatewayClient, System.Threading.CancellationToken, System.Threading.Tasks.Task<T>> call, object? target, out T result) =>
            TryCallAt(ValidateGatewayUri(EffectiveGatewayUri, keyPair.Environment), instanceRoutes, keyPair, call, target, out result);

        /// <summary>
        /// Runs one registry operation at a given (valid) gateway, following an instance's key-check
        /// and registry settings (the connector's defaults when null); gateway failures become error records.
        /// </summary>
        protected bool TryCallAt<T>(Uri gateway, GatewayRoutes? routes, ApiKeyPair keyPair, Func<GatewayClient, System.Threading.CancellationToken, System.Threading.Tasks.Task<T>> call, object? target, out T result)
        {
            GatewayOptions options = ClientOptions();
            try
            {
                result = RunOperation((debug, token) => call(new GatewayClient(keyPair, options, debug, gateway, routes), token));
                return true;
            }
            catch (GatewayException ex)
            {
                WriteGatewayError(ex, target);
                result = default!;
                return false;
            }
        }

        /// <summary>The registry account a key pair reaches at this record's gateway: what <see cref="PipelineCache"/> keeps projects by.</summary>
        protected string RegistryOf(ApiKeyPair keyPair) => Where(keyPair) + " with key pair SHA256:" + keyPair.Fingerprint;

        /// <summary>What a -WhatIf line names as the place of a change.</summary>
        protected string Where(ApiKeyPair keyPair) =>
            "the " + keyPair.Environment + " registry at " + ValidateGatewayUri(EffectiveGatewayUri, keyPair.Environment);
    }

    /// <summary>
    /// Base of the Rename- cmdlets: -NewName and -PassThru around one registry rename, with
    /// ShouldProcess. Renaming changes only a label (R9), hence ConfirmImpact Low on both.
    /// </summary>
    public abstract class SaasRenameCmdlet<T> : SaasCmdlet
        where T : class
    {
        /// <summary>The new name.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 255)]
        [ValidatePattern(@"\S")]
        public string NewName { get; set; } = string.Empty;

        /// <summary>Write the renamed object.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>What is renamed, for messages: "SaaS project" or "SaaS data space".</summary>
        protected abstract string Noun { get; }

        /// <summary>The id of the object to rename.</summary>
        protected abstract string TargetId { get; }

        /// <summary>The registry call.</summary>
        protected abstract System.Threading.Tasks.Task<T> RenameAsync(GatewayClient client, string id, string newName, System.Threading.CancellationToken token);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string newName = NewName.Trim();
            ApiKeyPair? keyPair = ResolveKeyPair();
            if (keyPair == null || !ShouldProcess(Noun + " " + TargetId + " in " + Where(keyPair), "Rename to '" + newName + "'"))
            {
                return;
            }

            if (TryCall(keyPair, (client, token) => RenameAsync(client, TargetId, newName, token), TargetId, out T renamed))
            {
                // A project list kept for New-SaasProject's check of names would now hold the old name.
                PipelineCache.Current.ForgetProjects(RegistryOf(keyPair));
                WriteVerbose("Renamed " + Noun + " " + TargetId + " to '" + newName + "'.");
                if (PassThru)
                {
                    WriteObject(renamed);
                }
            }
        }
    }

    /// <summary>Messages shared by the cmdlets that read key pairs.</summary>
    internal static class ImportCommandText
    {
        public static string Invalid(GatewayEnvironment environment, ApiKeyPairReadResult read) =>
            "The " + environment + " API key pair cannot be used: "
            + string.Join(" ", System.Linq.Enumerable.Select(read.Problems, p => p.Id + ": " + p.Message))
            + " Test-CommerceApiKey shows the details.";
    }
}
