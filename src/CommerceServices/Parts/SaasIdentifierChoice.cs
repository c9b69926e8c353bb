using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Gateway;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Rules;
using CommerceServices.Saas;

namespace CommerceServices.PowerShell
{
    /// <summary>The instance's own key pair and the gateway it was asked at, for the registry calls that follow a change.</summary>
    internal sealed class AskedGateway
    {
        public AskedGateway(GatewayCredentials pair, Uri at)
        {
            Pair = pair;
            At = at;
        }

        public GatewayCredentials Pair { get; }

        public Uri At { get; }

        public GatewayRoutes Routes => Pair.Routes;
    }

    /// <summary>
    /// What the cmdlets that choose an instance's SaaS identifier (Set-CommerceDataSpace, Set-CommerceProject)
    /// do around the rules of <see cref="DataSpaceGuardRails"/> and <see cref="SaasIdentifierChange"/>: ask the
    /// gateway with the instance's own key pair, read the current identifier, apply the guard rails (unless
    /// -Force) and write the change, with -PassThru.
    /// </summary>
    internal sealed class SaasIdentifierChoice
    {
        private readonly InstanceCmdlet cmdlet;
        private readonly GatewayCaller gateway;

        public SaasIdentifierChoice(InstanceCmdlet cmdlet, Uri? proxy, bool force, bool passThru, bool deferConfigImport)
        {
            this.cmdlet = cmdlet;
            gateway = new GatewayCaller(cmdlet) { Proxy = proxy };
            Force = force;
            PassThru = passThru;
            DeferConfigImport = deferConfigImport;
        }

        public bool Force { get; }

        public bool PassThru { get; }

        public bool DeferConfigImport { get; }

        /// <summary>
        /// Asks the gateway (<paramref name="gatewayUri"/>, else the instance's configured one) with the
        /// instance's own key pair; false after writing why it could not.
        /// </summary>
        public bool TryAsk<T>(CommerceInstance instance, Uri? gatewayUri, Func<GatewayClient, CancellationToken, Task<T>> call, object target, out T result, out AskedGateway? asked)
        {
            result = default!;
            asked = null;
            GatewayCredentials? pair = cmdlet.Settings.KeyPairOf(instance);
            if (pair == null)
            {
                return false;
            }

            asked = new AskedGateway(pair, gateway.Validate(gatewayUri ?? pair.GatewayUri, pair.KeyPair.Environment));
            return gateway.TryCall(pair.KeyPair, asked.At, asked.Routes, call, target, out result);
        }

        /// <summary>
        /// The registry calls Magento makes after a data space is saved (<see cref="DataSpaceRegistration"/>).
        /// A call that fails is that instance's error: its data space is set, and Magento's own
        /// 'setup:upgrade' (or running the command again) repeats the call.
        /// </summary>
        public void SendFollowUps(CommerceInstance instance, SaasDataSpace dataSpace, IReadOnlyList<RegistryFollowUp> followUps, AskedGateway asked)
        {
            foreach (RegistryFollowUp followUp in followUps)
            {
                try
                {
                    gateway.Call(asked.Pair.KeyPair, asked.At, asked.Routes, async (client, token) =>
                    {
                        await followUp.SendAsync(client, token).ConfigureAwait(false);
                        return true;
                    });
                    cmdlet.WriteVerbose("Told the registry " + followUp.Describes + " (" + followUp.RequestLine(asked.Routes) + "), as Magento does because " + followUp.Why + ".");
                }
                catch (GatewayException ex)
                {
                    cmdlet.WriteError(new ErrorRecord(
                        new InvalidOperationException(instance.Path + " now uses data space '" + dataSpace.Name + "' (" + dataSpace.DataSpaceId + "), but the registry could not be told " + followUp.Describes + ": " + ex.Message + " Run the same Set-CommerceDataSpace again, or 'bin/magento setup:upgrade' on the instance, which repeats the call.", ex),
                        "RegistryFollowUpFailed",
                        ErrorRecords.CategoryOf(ex),
                        instance));
                }
            }
        }

        /// <summary>
        /// R7, the Production data space only on a Production instance, and R6, each instance its own data
        /// space (<see cref="DataSpaceGuardRails"/>); -Force overrides, after the message. When allowed
        /// without -Force, the data space is claimed for the instance: give the claim back with
        /// <see cref="RememberDataSpace"/> if the change is not made.
        /// </summary>
        /// <param name="alsoOthers">Instances outside the session to compare with too (those a desired state opened for the command).</param>
        public bool GuardRailsAllow(CommerceInstance instance, SaasDataSpace dataSpace, IEnumerable<CommerceInstance>? alsoOthers = null)
        {
            GuardRailViolation? production = DataSpaceGuardRails.ProductionDataSpaceRefusal(instance, dataSpace);
            if (production != null && !Force)
            {
                cmdlet.WriteError(ErrorRecords.ForGuardRail(production, dataSpace.DataSpaceId));
                return false;
            }

            if (Force)
            {
                return true;
            }

            // Read every other instance's data space first (once per pipeline), then claim this one in one step, so that
            // instances written at the same time (-ThrottleLimit) cannot both take the same data space.
            var others = new List<string>();
            foreach (CommerceInstance other in InstanceSessions.All().Concat(alsoOthers ?? Enumerable.Empty<CommerceInstance>()))
            {
                if (other.IsOpen && !string.Equals(other.Path, instance.Path, StringComparison.Ordinal) && TryReadDataSpaceOf(other))
                {
                    others.Add(other.Path);
                }
            }

            if (!PipelineCache.Current.DataSpaces.TryClaim(instance.Path, dataSpace.DataSpaceId, others, out string? usedBy))
            {
                cmdlet.WriteError(ErrorRecords.ForGuardRail(DataSpaceGuardRails.SharedDataSpaceRefusal(dataSpace, usedBy!), dataSpace.DataSpaceId));
                return false;
            }

            return true;
        }

        /// <summary>Keeps the R6 comparison (each instance its own data space) right for the later commands of the pipeline after an instance changed.</summary>
        public static void RememberDataSpace(CommerceInstance instance, string? dataSpaceId) => PipelineCache.Current.DataSpaces.Record(instance.Path, dataSpaceId);

        /// <summary>Whether the data space another instance uses is known: read once per top-level pipeline; false when its database is out of reach.</summary>
        private bool TryReadDataSpaceOf(CommerceInstance other)
        {
            DataSpaceUse use = PipelineCache.Current.DataSpaces;
            if (use.TryGet(other.Path, out _))
            {
                return true;
            }

            string? dataSpaceId;
            try
            {
                // Read afresh, not through this command's settings of the other instance: with -ThrottleLimit that
                // instance may be written at this moment by another thread, whose later reads must not see this one.
                string[] path = { ConnectorPaths.DataSpaceId };
                dataSpaceId = cmdlet.RunOperation((debug, token) => ConnectorConfigReader.ReadAsync(other, path, token)).FirstOrDefault(s => s.Path == ConnectorPaths.DataSpaceId)?.Value;
            }
            catch (DatabaseUnavailableException)
            {
                cmdlet.WriteWarning("Could not read the data space of " + other.Path + " (its database is out of reach) to check that it differs from this one (R6): make sure the two instances use different data spaces.");
                return false;
            }

            use.RecordRead(other.Path, dataSpaceId);
            return true;
        }

        /// <summary>
        /// The instance's current SaaS identifier. With the database out of reach, the env.php store
        /// still writes (its values are locked above the database), so the current values are then
        /// unknown: null after a warning. Any other store needs the database: false after the error.
        /// </summary>
        public bool TryReadCurrent(CommerceInstance instance, out ConnectorSetting[]? current)
        {
            try
            {
                current = cmdlet.Settings.Of(instance, SaasIdentifierChange.Paths.ToArray()).ToArray();
                return true;
            }
            catch (DatabaseUnavailableException ex) when (instance.ConfigStore == ConfigStore.EnvPhp)
            {
                cmdlet.WriteWarning("The SaaS identifier " + instance.Path + " uses now is not known here: " + ex.Message + " The new one is locked in env.php over whatever the database holds.");
                current = null;
                return true;
            }
            catch (DatabaseUnavailableException ex)
            {
                cmdlet.WriteError(new ErrorRecord(ex, "DatabaseUnavailable", ErrorCategory.ConnectionError, instance));
                current = null;
                return false;
            }
        }

        /// <summary>The current value of a path, from <see cref="TryReadCurrent"/>.</summary>
        public static string? CurrentValue(ConnectorSetting[]? current, string path) => current?.FirstOrDefault(s => s.Path == path)?.Value;

        /// <summary>
        /// R8, no change of keys and of the Production data space in one session
        /// (<see cref="DataSpaceGuardRails.ProductionLossRefusal"/>): what moving the instance off its current
        /// data space loses, for the confirmation; null after the error when the rule refuses, unless -Force.
        /// </summary>
        /// <param name="current">The current identifier; null when it is not known here.</param>
        public string? ProductionLossAllowed(CommerceInstance instance, ConnectorSetting[]? current)
        {
            string? type = CurrentValue(current, ConnectorPaths.DataSpaceType);
            GuardRailViolation? loss = DataSpaceGuardRails.ProductionLossRefusal(instance, type, current != null, InstanceSessions.KeysChangedInSession(instance));
            if (loss != null && !Force)
            {
                cmdlet.WriteError(ErrorRecords.ForGuardRail(loss, instance));
                return null;
            }

            return DataSpaceGuardRails.ProductionLossNotice(type, current != null);
        }

        /// <summary>Writes the changes and, with -PassThru, the identifier settings.</summary>
        public bool Write(CommerceInstance instance, ConfigChange[] changes)
        {
            if (!cmdlet.Writer.TryWrite(instance, changes, DeferConfigImport))
            {
                return false;
            }

            if (PassThru)
            {
                cmdlet.WriteObject(cmdlet.Settings.Of(instance, SaasIdentifierChange.Paths.ToArray()), enumerateCollection: true);
            }

            return true;
        }
    }
}
