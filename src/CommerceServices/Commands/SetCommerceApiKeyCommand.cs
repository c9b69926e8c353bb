using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.Config;
using CommerceServices.Gateway;
using CommerceServices.Instances;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Set-CommerceApiKey cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsCommon.Set, "CommerceApiKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(StoredApiKey))]
    public sealed class SetCommerceApiKeyCommand : SaasCmdlet
    {
        /// <summary>Store without asking the gateway first whether it accepts the pair.</summary>
        [Parameter]
        public SwitchParameter SkipOnlineCheck { get; set; }

        /// <summary>
        /// With -ConfigStore EnvPhp: write env.php even when Magento's configuration hash cannot be
        /// brought up to date from here; 'bin/magento app:config:import' then has to run on the instance.
        /// </summary>
        [Parameter]
        public SwitchParameter DeferConfigImport { get; set; }

        /// <summary>Write the stored key pair's description.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How many instances are written at once, once the pairs are checked; each on its own, as when written alone.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ApiKey == null)
            {
                var missing = new ErrorRecord(
                    new PSArgumentException("Set-CommerceApiKey needs the key pair to store: -ApiKey (a key pair from Import-CommerceApiKey, or the API key with -PrivateKey or -PrivateKeyPath)."),
                    "ApiKeyMissing",
                    ErrorCategory.InvalidArgument,
                    null);

                // A pipeline row without a key is that row's error; the rows before and after still count.
                if (MyInvocation.ExpectingInput)
                {
                    WriteError(missing);
                    return;
                }

                ThrowTerminatingError(missing);
            }

            ApiKeyPair? keyPair = ResolveKeyPair();
            if (keyPair == null)
            {
                return;
            }

            // A bad -GatewayUri stops the invocation; one that came with a pipeline row fails that row only.
            Uri? explicitGateway = null;
            if (GatewayUri != null)
            {
                try
                {
                    explicitGateway = GatewayOptions.Validate(GatewayUri);
                }
                catch (ArgumentException ex) when (MyInvocation.ExpectingInput)
                {
                    WriteError(ex, "InvalidGatewayUri", ErrorCategory.InvalidArgument, GatewayUri);
                    return;
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "InvalidGatewayUri", ErrorCategory.InvalidArgument, GatewayUri));
                }
            }

            CommerceInstance instance = Instance ?? DefaultInstanceOrThrow();
            if (!instance.IsOpen)
            {
                WriteError(ErrorRecords.Disconnected(instance));
                return;
            }

            var (configured, routes) = ConfiguredGatewayOf(instance, keyPair.Environment, explicitGateway != null);
            Uri? gateway = explicitGateway ?? configured;
            if (gateway != null)
            {
                rotation.Add(keyPair, instance, gateway, routes);
            }
        }

        /// <summary>
        /// Fleet rotation (R3, one active key pair per gateway environment; <see cref="KeyRotationPlan"/>): every pair is checked online before the first
        /// instance is touched, and a pair refused anywhere is stored nowhere. Then each instance is written
        /// on its own: in input order, or -ThrottleLimit at once.
        /// </summary>
        protected override void EndProcessing()
        {
            KeyRotationDecision decision = rotation.Decide(SkipOnlineCheck ? null : (Func<KeyRotationTarget, bool?>)CheckOnline);
            foreach (KeyRotationRefusal refusal in decision.Refused)
            {
                WriteError(refusal.Reason, refusal.ErrorId, refusal.Reason is ApiKeyRejectedException ? ErrorCategory.AuthenticationError : ErrorCategory.ConnectionError, refusal.Target.Instance);
            }

            // Made here, on the pipeline thread: it reads the session's preferences.
            _ = Writer;
            ForEachConcurrently(decision.ToStore, ThrottleLimit, Store);
        }

        private bool? CheckOnline(KeyRotationTarget check)
        {
            if (!Gateway.TryCall(check.KeyPair, check.Gateway, check.Routes, (client, token) => client.CheckApiKeyAsync(token), check.Instance, out bool accepted))
            {
                return null;
            }

            if (accepted)
            {
                WriteVerbose("The " + check.KeyPair.Environment + " gateway " + check.Gateway + " accepts key pair SHA256:" + check.KeyPair.Fingerprint.Substring(0, 16) + "...; it is not asked again in this pipeline.");
            }

            return accepted;
        }

        private void Store(KeyRotationTarget target)
        {
            ApiKeyPair keyPair = target.KeyPair;
            CommerceInstance instance = target.Instance;
            if (!ShouldProcess(instance.Path + " (" + instance.ConfigStore + ")", "Store the " + keyPair.Environment + " API key pair SHA256:" + keyPair.Fingerprint.Substring(0, 16) + "..."))
            {
                return;
            }

            if (!Writer.TryStoreKeyPair(instance, keyPair, DeferConfigImport))
            {
                return;
            }

            InstanceSessions.MarkKeysChanged(instance);
            if (PassThru)
            {
                try
                {
                    // With the env.php store the pair is locked in the files, so this needs no database.
                    IReadOnlyList<ConnectorSetting> settings = Settings.Read(instance, _ => ConnectorPaths.KeyPaths(keyPair.Environment));
                    WriteObject(StoredApiKey.From(instance, settings).Single(k => k.Environment == keyPair.Environment));
                }
                catch (Exception ex) when (ErrorRecords.IsInstanceFailure(ex))
                {
                    WriteWarning("The " + keyPair.Environment + " key pair was stored in " + instance.Path + ", but cannot be described now: " + ex.Message);
                }
            }
        }

        /// <summary>
        /// The gateway <paramref name="instance"/> is configured to use for <paramref name="environment"/>,
        /// and its key-check settings; Adobe's gateway and the connector's defaults when they cannot
        /// be read (database out of reach, URL not locked in the files). A null gateway after the
        /// error when the instance's files cannot be read or the URL is not usable.
        /// </summary>
        /// <param name="gatewayGiven">-GatewayUri replaces the configured gateway: its URL need not be usable then.</param>
        private (Uri? Gateway, GatewayRoutes Routes) ConfiguredGatewayOf(CommerceInstance instance, GatewayEnvironment environment, bool gatewayGiven)
        {
            Uri configured;
            GatewayRoutes routes;
            try
            {
                string[] needed = { ConnectorPaths.GatewayUrlFor(environment) };
                IReadOnlyList<ConnectorSetting> settings = Settings.Read(instance, _ => needed);
                configured = StoredKeyPairs.GatewayUriOf(settings, environment);
                routes = StoredKeyPairs.RoutesOf(settings);
            }
            catch (ArgumentException ex)
            {
                WriteError(new ArgumentException(instance.Path + " was not changed: " + ex.Message, ex), "InvalidGatewayUri", ErrorCategory.InvalidData, instance);
                return (null, GatewayRoutes.Default);
            }
            catch (DatabaseUnavailableException ex)
            {
                configured = new GatewayOptions().UriFor(environment);
                routes = GatewayRoutes.Default;
                WriteVerbose("The gateway URL of " + instance.Path + " could not be read (" + ex.Message + "); the pair is checked at Adobe's " + environment + " gateway " + configured + ", as the connector's defaults say.");
            }
            catch (Exception ex) when (ErrorRecords.IsInstanceFailure(ex))
            {
                WriteError(new InvalidOperationException(instance.Path + " was not changed: its configuration cannot be read: " + ex.Message, ex), "ConfigFileNotReadable", ErrorCategory.InvalidData, instance);
                return (null, GatewayRoutes.Default);
            }

            try
            {
                return (GatewayOptions.Validate(configured), routes);
            }
            catch (ArgumentException) when (gatewayGiven)
            {
                return (null, routes);
            }
            catch (ArgumentException ex)
            {
                WriteError(new ArgumentException(instance.Path + " was not changed: its configured " + environment + " gateway URL is not usable: " + ex.Message + " Fix services_connector's gateway URL, or pass -GatewayUri.", ex), "InvalidGatewayUri", ErrorCategory.InvalidData, instance);
                return (null, routes);
            }
        }

        private readonly KeyRotationPlan rotation = new KeyRotationPlan();

        private SettingsWriter Writer => writer ??= new SettingsWriter(this, Settings);

        private SettingsWriter? writer;
    }
}
