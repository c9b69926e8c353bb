using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.Gateway;
using CommerceServices.Instances;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Stores a Commerce Services API key pair in an instance, encrypted as the Admin stores it.</para>
    /// </summary>
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

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ApiKey == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new PSArgumentException("Set-CommerceApiKey needs the key pair to store: -ApiKey (a key pair from Import-CommerceApiKey, or the API key with -PrivateKey or -PrivateKeyPath)."),
                    "ApiKeyMissing",
                    ErrorCategory.InvalidArgument,
                    null));
            }

            ApiKeyPair? keyPair = ResolveKeyPair();
            if (keyPair == null)
            {
                return;
            }

            foreach (CommerceInstance instance in Targets())
            {
                if (!instance.IsOpen)
                {
                    WriteError(new InvalidOperationException("The connection to " + instance.Path + " was closed with Disconnect-CommerceInstance. Connect again with Connect-CommerceInstance -Path '" + instance.Path + "'."), "InstanceDisconnected", ErrorCategory.ConnectionError, instance);
                    continue;
                }

                if (!SkipOnlineCheck && !AcceptedOnline(keyPair, instance))
                {
                    continue;
                }

                if (!ShouldProcess(instance.Path + " (" + instance.ConfigStore + ")", "Store the " + keyPair.Environment + " API key pair SHA256:" + keyPair.Fingerprint.Substring(0, 16) + "..."))
                {
                    continue;
                }

                try
                {
                    ConfigWriteResult result = RunOperation((debug, token) => InstanceConfigWriter.SetApiKeyPairAsync(instance, keyPair, DeferConfigImport, token));
                    ReportWrite(instance, result);
                    InstanceSessions.MarkKeysChanged(instance);

                    if (PassThru)
                    {
                        // With the env.php store the pair is locked in the files, so this needs no database.
                        IReadOnlyList<ConnectorSetting> settings = RunOperation((debug, token) => ConnectorConfigReader.ReadAsync(instance, ConnectorPaths.KeyPairPaths(keyPair.Environment).Take(2).ToArray(), token));
                        WriteObject(StoredApiKey.From(instance, settings).Single(k => k.Environment == keyPair.Environment));
                    }
                }
                catch (Exception ex) when (IsWriteFailure(ex))
                {
                    WriteWriteError(ex, instance);
                }
            }
        }

        /// <summary>
        /// Asks the gateway once per pair and gateway in this pipeline, so a fleet rotation checks
        /// the new pair before touching the first instance and never again for the others (R3).
        /// </summary>
        private bool AcceptedOnline(ApiKeyPair keyPair, CommerceInstance instance)
        {
            if (GatewayUri == null)
            {
                UseGatewayOf(instance, keyPair.Environment);
            }

            string key = keyPair.Environment + " " + keyPair.Fingerprint + " " + EffectiveGatewayUri;
            if (onlineVerdicts.TryGetValue(key, out OnlineVerdict earlier))
            {
                if (earlier == OnlineVerdict.Accepted)
                {
                    return true;
                }

                WriteError(
                    new InvalidOperationException(instance.Path + " was not changed: " + (earlier == OnlineVerdict.Rejected
                        ? "the " + keyPair.Environment + " gateway refused key pair SHA256:" + keyPair.Fingerprint.Substring(0, 16) + "... earlier in this pipeline. Use the pair the API Portal issued last, or add -SkipOnlineCheck."
                        : "the online check of key pair SHA256:" + keyPair.Fingerprint.Substring(0, 16) + "... failed earlier in this pipeline (see the first error). Fix the cause and run again, or add -SkipOnlineCheck.")),
                    earlier == OnlineVerdict.Rejected ? "ApiKeyRejected" : "ApiKeyNotChecked",
                    earlier == OnlineVerdict.Rejected ? ErrorCategory.AuthenticationError : ErrorCategory.ConnectionError,
                    instance);
                return false;
            }

            if (!TryCall(keyPair, (client, token) => client.CheckApiKeyAsync(token), instance, out bool accepted))
            {
                onlineVerdicts[key] = OnlineVerdict.Failed;
                return false;
            }

            if (!accepted)
            {
                onlineVerdicts[key] = OnlineVerdict.Rejected;
                WriteError(
                    new ApiKeyRejectedException("The " + keyPair.Environment + " gateway refused this key pair (SHA256:" + keyPair.Fingerprint.Substring(0, 16) + "...), so it was not stored in " + instance.Path + ". If new keys were generated in the API Portal, use the new pair; if you must store it anyway, add -SkipOnlineCheck.", keyPair.Environment, System.Net.HttpStatusCode.Forbidden, null),
                    "ApiKeyRejected",
                    ErrorCategory.AuthenticationError,
                    instance);
                return false;
            }

            onlineVerdicts[key] = OnlineVerdict.Accepted;
            WriteVerbose("The " + keyPair.Environment + " gateway accepts the key pair; it is not asked again for the other instances of this pipeline.");
            return true;
        }

        private readonly Dictionary<string, OnlineVerdict> onlineVerdicts = new Dictionary<string, OnlineVerdict>(StringComparer.Ordinal);

        private enum OnlineVerdict
        {
            Accepted,
            Rejected,
            Failed,
        }

        private IEnumerable<CommerceInstance> Targets()
        {
            return new[] { Instance ?? DefaultInstanceOrThrow() };
        }
    }
}
