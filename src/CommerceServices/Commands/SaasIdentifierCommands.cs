using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Text.RegularExpressions;
using CommerceServices.Gateway;
using CommerceServices.Instances;
using CommerceServices.Saas;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// Base of the cmdlets that choose an instance's SaaS identifier: the instance's own key pair
    /// asks the gateway (its configured one, or -GatewayUri), then the settings are written.
    /// </summary>
    public abstract class SaasIdentifierCmdlet : InstanceWriterCmdlet
    {
        /// <summary>The gateway to ask instead of the instance's configured one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public Uri? GatewayUri { get; set; }

        /// <summary>A proxy to use instead of the system proxy.</summary>
        [Parameter]
        public Uri? Proxy { get; set; }

        /// <summary>Write the instance's SaaS identifier settings afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// Override the guard rails: a Production data space on an instance not declared Production,
        /// a data space another instance uses, leaving a Production data space in the session
        /// that changed the instance's key pair.
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>With -ConfigStore EnvPhp: write env.php even when Magento's configuration hash cannot be brought up to date from here.</summary>
        [Parameter]
        public SwitchParameter DeferConfigImport { get; set; }

        /// <summary>The five SaaS identifier paths.</summary>
        protected static readonly string[] IdentifierPaths =
        {
            ConnectorPaths.ProjectId, ConnectorPaths.ProjectName, ConnectorPaths.DataSpaceId, ConnectorPaths.DataSpaceName, ConnectorPaths.DataSpaceType,
        };

        // The pair and gateway of the last question, per thread: with -ThrottleLimit, instances are written on several threads, each from start to end on one.
        private readonly System.Threading.ThreadLocal<InstanceKeyPair?> askedWithByThread = new System.Threading.ThreadLocal<InstanceKeyPair?>();
        private readonly System.Threading.ThreadLocal<Uri?> askedAtByThread = new System.Threading.ThreadLocal<Uri?>();

        private InstanceKeyPair? AskedWith
        {
            get => askedWithByThread.Value;
            set => askedWithByThread.Value = value;
        }

        private Uri? AskedAt
        {
            get => askedAtByThread.Value;
            set => askedAtByThread.Value = value;
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                askedWithByThread.Dispose();
                askedAtByThread.Dispose();
            }

            base.Dispose(disposing);
        }

        /// <summary>
        /// Asks the gateway (<paramref name="gatewayUri"/>, the record's -GatewayUri, else the instance's configured one)
        /// with the instance's own key pair; false after writing why it could not.
        /// The pair and gateway are kept for the registry calls that follow the write (<see cref="SendFollowUps"/>).
        /// </summary>
        protected bool TryAskWithInstanceKeys<T>(CommerceInstance instance, Uri? gatewayUri, Func<GatewayClient, System.Threading.CancellationToken, System.Threading.Tasks.Task<T>> call, object target, out T result)
        {
            result = default!;
            AskedWith = StoredKeysOf(instance);
            if (AskedWith == null)
            {
                return false;
            }

            AskedAt = ValidateGatewayUri(gatewayUri ?? AskedWith.GatewayUri, AskedWith.KeyPair.Environment);
            try
            {
                result = RunOperation((debug, token) => call(ClientOfInstance(debug), token));
                return true;
            }
            catch (GatewayException ex)
            {
                WriteGatewayError(ex, target);
                return false;
            }
        }

        /// <summary>The instance's key-check and registry settings, as the last question to the gateway used them.</summary>
        protected GatewayRoutes AskedRoutes => AskedWith?.Routes ?? GatewayRoutes.Default;

        private GatewayClient ClientOfInstance(Action<string> debug) =>
            new GatewayClient(AskedWith!.KeyPair, new GatewayOptions { Proxy = Proxy == null ? null : new WebProxy(Proxy) }, debug, AskedAt, AskedWith.Routes);

        /// <summary>
        /// The registry calls Magento makes after a data space is saved, with the key pair and gateway
        /// of the last question. A call that fails is that instance's error: its data space is set,
        /// and Magento's own 'setup:upgrade' (or running the command again) repeats the call.
        /// </summary>
        protected void SendFollowUps(CommerceInstance instance, SaasDataSpace dataSpace, IReadOnlyList<RegistryFollowUp> followUps)
        {
            foreach (RegistryFollowUp followUp in followUps)
            {
                try
                {
                    RunOperation(async (debug, token) =>
                    {
                        await followUp.SendAsync(ClientOfInstance(debug), token).ConfigureAwait(false);
                        return true;
                    });
                    WriteVerbose("Told the registry " + followUp.Describes + " (" + followUp.RequestLine(AskedRoutes) + "), as Magento does because " + followUp.Why + ".");
                }
                catch (GatewayException ex)
                {
                    WriteError(
                        new InvalidOperationException(instance.Path + " now uses data space '" + dataSpace.Name + "' (" + dataSpace.DataSpaceId + "), but the registry could not be told " + followUp.Describes + ": " + ex.Message + " Run the same Set-CommerceDataSpace again, or 'bin/magento setup:upgrade' on the instance, which repeats the call.", ex),
                        "RegistryFollowUpFailed",
                        CategoryOf(ex),
                        instance);
                }
            }
        }

        /// <summary>
        /// R7: a Production data space only for an instance declared Production; R6: no data space
        /// that another instance of this session already uses. -Force overrides, after the message.
        /// </summary>
        protected bool GuardRailsAllow(CommerceInstance instance, SaasDataSpace dataSpace)
        {
            if (string.Equals(dataSpace.Type, "Production", StringComparison.OrdinalIgnoreCase) && instance.Role != InstanceRole.Production && !Force)
            {
                WriteError(
                    new InvalidOperationException("Data space '" + dataSpace.Name + "' is the Production data space, and " + instance.Path + " is not declared a production installation (role " + instance.Role + "). Using the Production data space anywhere but on the live installation overwrites live data with test data, such as staging URLs in the live catalog (R7). "
                        + "Choose a Testing data space, or if this is the live installation connect it with -Role Production (or add -Force)."),
                    "ProductionDataSpaceOnNonProduction",
                    ErrorCategory.PermissionDenied,
                    dataSpace.DataSpaceId);
                return false;
            }

            if (Force)
            {
                return true;
            }

            // Read every other instance's data space first (once per pipeline), then claim this one in one step, so that
            // instances written at the same time (-ThrottleLimit) cannot both take the same data space.
            var others = new List<string>();
            foreach (CommerceInstance other in InstanceSessions.All())
            {
                if (other.IsOpen && !string.Equals(other.Path, instance.Path, StringComparison.Ordinal) && TryReadDataSpaceOf(other, out _))
                {
                    others.Add(other.Path);
                }
            }

            if (!PipelineCache.Current.TryClaimDataSpace(instance.Path, dataSpace.DataSpaceId, others, out string? usedBy))
            {
                WriteError(
                    new InvalidOperationException("Data space '" + dataSpace.Name + "' (" + dataSpace.DataSpaceId + ") is already used by " + usedBy + ". Each instance needs a data space of its own, or their data overwrite each other (R6). Choose another data space, or add -Force."),
                    "DataSpaceInUse",
                    ErrorCategory.ResourceExists,
                    dataSpace.DataSpaceId);
                return false;
            }

            return true;
        }

        /// <summary>The data space id another instance uses, read once per top-level pipeline (<see cref="PipelineCache"/>); false when its database is out of reach.</summary>
        private bool TryReadDataSpaceOf(CommerceInstance other, out string? dataSpaceId)
        {
            PipelineCache cache = PipelineCache.Current;
            if (cache.TryGetDataSpace(other.Path, out dataSpaceId))
            {
                return true;
            }

            try
            {
                // Read afresh, not through this command's settings of the other instance: with -ThrottleLimit that
                // instance may be written at this moment by another thread, whose later reads must not see this one.
                string[] path = { ConnectorPaths.DataSpaceId };
                dataSpaceId = RunOperation((debug, token) => ConnectorConfigReader.ReadAsync(other, path, token)).FirstOrDefault(s => s.Path == ConnectorPaths.DataSpaceId)?.Value;
            }
            catch (DatabaseUnavailableException)
            {
                WriteWarning("Could not read the data space of " + other.Path + " (its database is out of reach) to check that it differs from this one (R6): make sure the two instances use different data spaces.");
                return false;
            }

            cache.SetDataSpaceRead(other.Path, dataSpaceId);
            return true;
        }

        /// <summary>Keeps the R6 comparison right for the later commands of the pipeline after an instance changed.</summary>
        protected static void RememberDataSpace(CommerceInstance instance, string? dataSpaceId) => PipelineCache.Current.SetDataSpace(instance.Path, dataSpaceId);

        /// <summary>
        /// The instance's current SaaS identifier. With the database out of reach, the env.php store
        /// still writes (its values are locked above the database), so the current values are then
        /// unknown: null after a warning. Any other store needs the database: false after the error.
        /// </summary>
        protected bool TryReadCurrentIdentifier(CommerceInstance instance, out ConnectorSetting[]? current)
        {
            try
            {
                current = SettingsOf(instance, IdentifierPaths).ToArray();
                return true;
            }
            catch (DatabaseUnavailableException ex) when (instance.ConfigStore == ConfigStore.EnvPhp)
            {
                WriteWarning("The SaaS identifier " + instance.Path + " uses now is not known here: " + ex.Message + " The new one is locked in env.php over whatever the database holds.");
                current = null;
                return true;
            }
            catch (DatabaseUnavailableException ex)
            {
                WriteError(ex, "DatabaseUnavailable", ErrorCategory.ConnectionError, instance);
                current = null;
                return false;
            }
        }

        /// <summary>The current value of a path, from <see cref="TryReadCurrentIdentifier"/>.</summary>
        protected static string? CurrentValue(ConnectorSetting[]? current, string path) => current?.FirstOrDefault(s => s.Path == path)?.Value;

        /// <summary>
        /// R8: what moving the instance off its current data space loses, for the confirmation;
        /// null after an error when the instance is (or, unknown, may be) on a Production data space
        /// and its key pair was changed earlier in this session (one step at a time on a live installation), unless -Force.
        /// </summary>
        /// <param name="current">The current identifier; null when it is not known here.</param>
        protected string? ProductionLossAllowed(CommerceInstance instance, ConnectorSetting[]? current)
        {
            bool known = current != null;
            if (known && !string.Equals(CurrentValue(current, ConnectorPaths.DataSpaceType), "Production", StringComparison.OrdinalIgnoreCase))
            {
                return string.Empty;
            }

            if (InstanceSessions.KeysChangedInSession(instance) && !Force)
            {
                WriteError(
                    new InvalidOperationException(instance.Path + (known ? " sends live data to a Production data space" : " may send live data to a Production data space (its current one is not known here)") + ", and its key pair was changed earlier in this session. Changing keys and the data space of a live installation in one run mixes two changes whose loss cannot be told apart or undone (R8): the Production data space stops receiving data. "
                        + "Check the new keys first (Test-CommerceConnection), then change the data space in a new session, or add -Force."),
                    "ProductionIdentifierAfterKeyChange",
                    ErrorCategory.InvalidOperation,
                    instance);
                return null;
            }

            return (known ? " The instance now sends live data to a Production data space; after the change" : " The data space the instance uses now is not known here; if it is a Production data space, after the change")
                + " that data space stops receiving it, and the SaaS services (recommendations, search, payments) work from the new data space's data only (R8).";
        }

        /// <summary>Writes the changes and, with -PassThru, the identifier settings.</summary>
        protected bool WriteIdentifier(CommerceInstance instance, ConfigChange[] changes)
        {
            if (!TryWriteSettings(instance, changes, DeferConfigImport))
            {
                return false;
            }

            if (PassThru)
            {
                WriteObject(SettingsOf(instance, IdentifierPaths), enumerateCollection: true);
            }

            return true;
        }
    }

    /// <summary>
    /// <para type="synopsis">Chooses the SaaS data space (and with it the SaaS project) an instance sends its data to.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CommerceDataSpace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ConnectorSetting))]
    public sealed class SetCommerceDataSpaceCommand : SaasIdentifierCmdlet
    {
        /// <summary>The data space to choose.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string DataSpaceId { get; set; } = string.Empty;

        /// <summary>Also switch the instance to the data space's project when it has another one.</summary>
        [Parameter]
        public SwitchParameter SwitchProject { get; set; }

        /// <summary>
        /// The Adobe Commerce Cloud project id of the instance, which the registry is told (as Magento
        /// does from MAGENTO_CLOUD_PROJECT). Without it, this process's MAGENTO_CLOUD_PROJECT is used when set.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidatePattern("^[A-Za-z0-9_-]+$")]
        public string? CloudProjectId { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // This record's values: with -ThrottleLimit, the instances are written after the last record.
            string dataSpaceId = DataSpaceId;
            Uri? gatewayUri = GatewayUri;
            string? cloudProjectId = string.IsNullOrEmpty(CloudProjectId) ? System.Environment.GetEnvironmentVariable(DataSpaceRegistration.CloudProjectVariable) : CloudProjectId;
            WriteEachInstance(instance => ChooseDataSpace(instance, dataSpaceId, gatewayUri, cloudProjectId));
        }

        private void ChooseDataSpace(CommerceInstance instance, string dataSpaceId, Uri? gatewayUri, string? cloudProjectId)
        {
            // As Magento's own check on config import (reference protocol.md §4.3): the data
            // space must be reachable with the instance's keys and belong to the configured project.
            if (!TryAskWithInstanceKeys(instance, gatewayUri, (client, token) => client.GetDataSpaceAsync(dataSpaceId, token), dataSpaceId, out SaasDataSpace dataSpace))
            {
                return;
            }

            if (!TryReadCurrentIdentifier(instance, out ConnectorSetting[]? current))
            {
                return;
            }

            string? configuredProject = CurrentValue(current, ConnectorPaths.ProjectId);
            if (!string.IsNullOrEmpty(configuredProject) && configuredProject != dataSpace.ProjectId && !SwitchProject)
            {
                WriteError(
                    new InvalidOperationException("Data space '" + dataSpace.Name + "' (" + dataSpace.DataSpaceId + ") belongs to project '" + dataSpace.ProjectName + "' (" + dataSpace.ProjectId + "), not to the project " + instance.Path + " is configured for (" + configuredProject + "). Magento refuses such a data space. Choose a data space of the configured project, or add -SwitchProject to move the instance to '" + dataSpace.ProjectName + "' as well."),
                    "DataSpaceNotInProject",
                    ErrorCategory.InvalidArgument,
                    dataSpace.DataSpaceId);
                return;
            }

            if (!GuardRailsAllow(instance, dataSpace))
            {
                return;
            }

            bool written = false;
            try
            {
                written = ChooseCheckedDataSpace(instance, dataSpace, current, cloudProjectId);
            }
            finally
            {
                if (!written)
                {
                    // Give back the claim of GuardRailsAllow: the instance still uses what it used.
                    RememberDataSpace(instance, CurrentValue(current, ConnectorPaths.DataSpaceId));
                }
            }
        }

        private bool ChooseCheckedDataSpace(CommerceInstance instance, SaasDataSpace dataSpace, ConnectorSetting[]? current, string? cloudProjectId)
        {
            string? loss = ProductionLossAllowed(instance, current);
            IReadOnlyList<RegistryFollowUp> followUps = DataSpaceRegistration.For(instance, dataSpace.DataSpaceId, cloudProjectId);
            string registryCalls = followUps.Count == 0 ? string.Empty
                : " Then, as Magento does when a data space is saved, tell the registry: " + string.Join("; ", followUps.Select(f => f.RequestLine(AskedRoutes) + " (" + f.Why + ")")) + ".";
            if (loss == null || !ShouldProcess(instance.Path, "Send its SaaS data to data space '" + dataSpace.Name + "' (" + dataSpace.Type + ", " + dataSpace.DataSpaceId + ") of project '" + dataSpace.ProjectName + "'." + loss + registryCalls))
            {
                return false;
            }

            bool written = WriteIdentifier(instance, new[]
            {
                new ConfigChange(ConnectorPaths.ProjectId, dataSpace.ProjectId),
                new ConfigChange(ConnectorPaths.ProjectName, dataSpace.ProjectName),
                new ConfigChange(ConnectorPaths.DataSpaceId, dataSpace.DataSpaceId),
                new ConfigChange(ConnectorPaths.DataSpaceName, dataSpace.Name),
                new ConfigChange(ConnectorPaths.DataSpaceType, dataSpace.Type),
            });
            if (written)
            {
                RememberDataSpace(instance, dataSpace.DataSpaceId);
                SendFollowUps(instance, dataSpace, followUps);
            }

            return written;
        }
    }

    /// <summary>
    /// <para type="synopsis">Chooses the SaaS project of an instance; its data space is cleared, as Magento does.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CommerceProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ConnectorSetting))]
    public sealed class SetCommerceProjectCommand : SaasIdentifierCmdlet
    {
        /// <summary>The project to choose.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ProjectId { get; set; } = string.Empty;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // This record's values: with -ThrottleLimit, the instances are written after the last record.
            string projectId = ProjectId;
            Uri? gatewayUri = GatewayUri;
            WriteEachInstance(instance => ChooseProject(instance, projectId, gatewayUri));
        }

        private void ChooseProject(CommerceInstance instance, string projectId, Uri? gatewayUri)
        {
            string? loss;
            if (!TryAskWithInstanceKeys(instance, gatewayUri, (client, token) => client.GetProjectAsync(projectId, token), projectId, out SaasProject project)
                || !TryReadCurrentIdentifier(instance, out ConnectorSetting[]? current)
                || (loss = ProductionLossAllowed(instance, current)) == null
                || !ShouldProcess(instance.Path, "Use SaaS project '" + project.Name + "' (" + project.ProjectId + ") and clear its data space until one is chosen with Set-CommerceDataSpace." + loss))
            {
                return;
            }

            // As Magento's own plugin on project_id: the name is filled in and the data space cleared (reference protocol.md §4.3).
            bool written = WriteIdentifier(instance, new[]
            {
                new ConfigChange(ConnectorPaths.ProjectId, project.ProjectId),
                new ConfigChange(ConnectorPaths.ProjectName, project.Name),
                new ConfigChange(ConnectorPaths.DataSpaceId, null),
                new ConfigChange(ConnectorPaths.DataSpaceName, null),
                new ConfigChange(ConnectorPaths.DataSpaceType, null),
            });
            if (written)
            {
                RememberDataSpace(instance, null);
                WriteWarning(instance.Path + " has no data space now: choose one of project '" + project.Name + "' with Get-SaasDataSpace -ProjectId " + project.ProjectId + " | Set-CommerceDataSpace.");
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Sets the gateway environment (Production or Sandbox) whose key pair an instance uses.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CommerceGatewayEnvironment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ConnectorSetting))]
    public sealed class SetCommerceGatewayEnvironmentCommand : InstanceWriterCmdlet
    {
        /// <summary>The gateway environment to use.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public GatewayEnvironment Environment { get; set; }

        /// <summary>Write the setting afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>With -ConfigStore EnvPhp: write env.php even when Magento's configuration hash cannot be brought up to date from here.</summary>
        [Parameter]
        public SwitchParameter DeferConfigImport { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            WriteEachInstance(UseEnvironment);
        }

        private void UseEnvironment(CommerceInstance instance)
        {
            string value = Environment == GatewayEnvironment.Sandbox ? "sandbox" : "production";
            {
                if (!ShouldProcess(instance.Path, "Use the " + Environment + " gateway environment (magento_saas/environment = " + value + ")"))
                {
                    return;
                }

                if (TryWriteSettings(instance, new[] { new ConfigChange(ConnectorPaths.GatewayEnvironment, value) }, DeferConfigImport))
                {
                    StoredApiKey? pair = null;
                    try
                    {
                        pair = StoredApiKey.From(instance, RunOperation((debug, token) => ConnectorConfigReader.ReadAsync(instance, ConnectorPaths.KeyPaths(Environment), token))).FirstOrDefault(k => k.Environment == Environment);
                    }
                    catch (DatabaseUnavailableException ex)
                    {
                        WriteVerbose("Whether " + instance.Path + " has a " + Environment + " key pair is not known here: " + ex.Message);
                    }

                    if (pair != null && !pair.IsSet)
                    {
                        WriteWarning(instance.Path + " now uses the " + Environment + " gateway environment, but has no " + Environment + " key pair: store one with Set-CommerceApiKey -Environment " + Environment + ".");
                    }

                    if (PassThru)
                    {
                        WriteObject(SettingsOf(instance, ConnectorPaths.GatewayEnvironment), enumerateCollection: true);
                    }
                }
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Sets or clears the IMS organization an instance is linked to.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CommerceImsOrganization", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = SetName)]
    [OutputType(typeof(ConnectorSetting))]
    public sealed class SetCommerceImsOrganizationCommand : InstanceWriterCmdlet
    {
        private const string SetName = "Set";
        private const string ClearName = "Clear";
        private static readonly Regex OrganizationIdPattern = new Regex("^[0-9A-Fa-f]{24}@AdobeOrg$", RegexOptions.CultureInvariant);

        /// <summary>The IMS organization id, 24 hexadecimal characters followed by @AdobeOrg.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = SetName)]
        [ValidateNotNullOrEmpty]
        public string OrganizationId { get; set; } = string.Empty;

        /// <summary>Remove the IMS organization id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ClearName)]
        public SwitchParameter Clear { get; set; }

        /// <summary>Write the setting afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>With -ConfigStore EnvPhp: write env.php even when Magento's configuration hash cannot be brought up to date from here.</summary>
        [Parameter]
        public SwitchParameter DeferConfigImport { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            if (!Clear && !OrganizationIdPattern.IsMatch(OrganizationId.Trim()))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new PSArgumentException("'" + OrganizationId + "' is not an IMS organization id: those are 24 hexadecimal characters followed by @AdobeOrg (for example 0123456789ABCDEF01234567@AdobeOrg), as shown in the Adobe Admin Console."),
                    "InvalidImsOrganizationId",
                    ErrorCategory.InvalidArgument,
                    OrganizationId));
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            WriteEachInstance(SetOrganization);
        }

        private void SetOrganization(CommerceInstance instance)
        {
            string? value = Clear ? null : OrganizationId.Trim();
            {
                if (!ShouldProcess(instance.Path, value == null ? "Clear the IMS organization id" : "Set the IMS organization id to " + value))
                {
                    return;
                }

                if (TryWriteSettings(instance, new[] { new ConfigChange(ConnectorPaths.ImsOrganizationId, value) }, DeferConfigImport) && PassThru)
                {
                    WriteObject(SettingsOf(instance, ConnectorPaths.ImsOrganizationId), enumerateCollection: true);
                }
            }
        }
    }
}
