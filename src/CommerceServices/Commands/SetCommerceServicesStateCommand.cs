using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.Config;
using CommerceServices.Gateway;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Rules;
using CommerceServices.Saas;
using CommerceServices.State;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// Set-CommerceServicesState (user help: en-US/CommerceServices.dll-Help.xml): brings instances to a desired state,
    /// changing only what differs (<see cref="CommerceServicesStateComparison"/>), in one write per instance
    /// (<see cref="CommerceServicesStatePlan"/>), under the guard rails of the Set- cmdlets (R6, R7, R8; -Force) and
    /// with the key pairs checked online first. -AsJson writes one line of JSON for tools that are not PowerShell.
    /// ConfirmImpact is Medium, not the High of Set-CommerceDataSpace: the state file is the declaration, the guard
    /// rails still refuse what loses data, and configuration tools run it without a prompt.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CommerceServicesState", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CommerceServicesStateResult), typeof(string))]
    public sealed class SetCommerceServicesStateCommand : InstanceWriterCmdlet
    {
        private const string PathSet = "Path";
        private const string StateSet = "State";
        private readonly List<CommerceServicesStateResult> results = new List<CommerceServicesStateResult>();
        private readonly List<ApiKeyPair> pairsToDispose = new List<ApiKeyPair>();
        // Keyed by the pair itself (a state's pairs are its own objects; a stored pair is shared through StoredKeyPairCache) and the gateway.
        private readonly ConcurrentDictionary<(ApiKeyPair Pair, Uri Gateway), bool> checkedPairs = new ConcurrentDictionary<(ApiKeyPair, Uri), bool>();
        private readonly ConcurrentDictionary<(ApiKeyPair Pair, Uri Gateway), IReadOnlyList<SaasProject>> listedProjects = new ConcurrentDictionary<(ApiKeyPair, Uri), IReadOnlyList<SaasProject>>();
        private readonly HashSet<string> applied = new HashSet<string>(StringComparer.Ordinal);
        private DesiredStateInput? input;
        private SaasIdentifierChoice? choice;
        private GatewayCaller? gateway;

        /// <summary>The desired state files: PowerShell data files (.psd1) or JSON; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>The desired state as a table, with the keys of a state file.</summary>
        [Parameter(Mandatory = true, ParameterSetName = StateSet)]
        [ValidateNotNull]
        public IDictionary? State { get; set; }

        /// <summary>The secrets the state names with PrivateKeySecret, by name, as SecureStrings.</summary>
        [Parameter]
        public IDictionary? Secret { get; set; }

        /// <summary>Store key pairs without asking the gateway first whether it accepts them.</summary>
        [Parameter]
        public SwitchParameter SkipOnlineCheck { get; set; }

        /// <summary>Override the guard rails (R6, R7, R8).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>With the env.php store: write even when Magento's configuration hash cannot be brought up to date from here.</summary>
        [Parameter]
        public SwitchParameter DeferConfigImport { get; set; }

        /// <summary>A proxy to use instead of the system proxy.</summary>
        [Parameter]
        public Uri? Proxy { get; set; }

        /// <summary>Write a result per instance.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// Write one line of JSON at the end (changed, failed, status, and each instance with its differences, errors and
        /// warnings) instead of objects; the warnings go into the JSON only, so that pwsh's standard output is the JSON alone.
        /// </summary>
        [Parameter]
        public SwitchParameter AsJson { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            input = new DesiredStateInput(this);
            input.CheckSecrets(Secret);
            choice = new SaasIdentifierChoice(this, Proxy, Force, passThru: false, DeferConfigImport);
            gateway = new GatewayCaller(this) { Proxy = Proxy };
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (CommerceServicesState state in input!.Read(ParameterSetName == PathSet ? Path : null, State, (file, error) => Record(Failed(null, null, file, error))))
            {
                IReadOnlyList<CommerceInstance> instances = input.InstancesOf(state, Instance, (root, error) => Record(Failed(null, root, state.Source, error)));
                if (instances.Count == 0)
                {
                    continue;
                }

                Dictionary<GatewayEnvironment, ApiKeyPair>? pairs;
                IReadOnlyList<string> keyWarnings;
                using (RecordSink keyErrors = RecordSink.Collect(keepWarnings: AsJson))
                {
                    pairs = input.ReadKeyPairs(state, Secret);
                    keyWarnings = keyErrors.Warnings.ToArray();
                    if (pairs == null)
                    {
                        foreach (CommerceInstance instance in instances)
                        {
                            Record(new CommerceServicesStateResult(instance, null, state.Source, CommerceServicesStateStatus.Failed, Array.Empty<CommerceServicesStateDifference>(), keyErrors.Errors.Select(Message).ToArray(), keyWarnings));
                        }

                        continue;
                    }
                }

                pairsToDispose.AddRange(pairs.Values);
                foreach (CommerceInstance instance in instances)
                {
                    // One desired state per instance: a second one in the same command would be written beside the first
                    // (-ThrottleLimit), each unaware of the other's change (R8 looks at what the session changed before).
                    if (!applied.Add(instance.Path.TrimEnd('/', '\\')))
                    {
                        var twice = new ErrorRecord(
                            new InvalidOperationException(instance.Path + " was not changed by the desired state" + Of(state) + ": another desired state of this command applies to it already. An instance has one desired state: merge the two, or apply them in two commands."),
                            "DesiredStateInstanceRepeated",
                            ErrorCategory.InvalidArgument,
                            instance);
                        WriteError(twice);
                        Record(Failed(instance, null, state.Source, twice));
                        continue;
                    }

                    WriteInstance(instance, i => Apply(state, pairs, keyWarnings, i));
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            base.EndProcessing();
            if (AsJson)
            {
                lock (results)
                {
                    WriteObject(CommerceServicesStateJson.Summary(results));
                }
            }
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                foreach (ApiKeyPair pair in pairsToDispose)
                {
                    pair.Dispose();
                }

                input?.CloseOpened();
            }

            base.Dispose(disposing);
        }

        private void Apply(CommerceServicesState state, IReadOnlyDictionary<GatewayEnvironment, ApiKeyPair> pairs, IReadOnlyList<string> keyWarnings, CommerceInstance instance)
        {
            var differences = new List<CommerceServicesStateDifference>();
            CommerceServicesStateStatus status;
            IReadOnlyList<ErrorRecord> errors;
            IReadOnlyList<string> warnings;
            using (RecordSink sink = RecordSink.Collect(keepWarnings: AsJson))
            {
                status = Apply(state, pairs, instance, differences);
                errors = sink.Errors.ToArray();
                warnings = keyWarnings.Concat(sink.Warnings).ToArray();
            }

            if (errors.Count > 0 && status != CommerceServicesStateStatus.Changed)
            {
                status = CommerceServicesStateStatus.Failed;
            }

            Record(new CommerceServicesStateResult(instance, null, state.Source, status, differences, errors.Select(Message).ToArray(), warnings));
        }

        private CommerceServicesStateStatus Apply(CommerceServicesState state, IReadOnlyDictionary<GatewayEnvironment, ApiKeyPair> pairs, CommerceInstance instance, List<CommerceServicesStateDifference> differences)
        {
            if (!(input!.ReadCurrent(instance, " was not changed") is IReadOnlyList<ConnectorSetting> current))
            {
                return CommerceServicesStateStatus.Failed;
            }

            IReadOnlyList<CommerceServicesStateDifference> found = CommerceServicesStateComparison.Compare(state, instance, current, pairs);
            differences.AddRange(found);
            if (found.Count == 0)
            {
                WriteVerbose(instance.Path + " is in the desired state" + Of(state) + ": nothing to write.");
                return CommerceServicesStateStatus.Unchanged;
            }

            if (found.FirstOrDefault(d => d.Setting == CommerceServicesStateSetting.Role) is CommerceServicesStateDifference role)
            {
                WriteError(
                    new InvalidOperationException(instance.Path + " was not changed: it is connected as " + role.Current + ", and the desired state" + Of(state) + " declares Role " + role.Desired + ". The role decides which data spaces the instance may use (R7), so it is never assumed: connect the instance with -Role " + role.Desired + ", or leave out -Instance so that the state's Instance is opened with its Role."),
                    "DesiredStateRoleMismatch",
                    ErrorCategory.InvalidOperation,
                    instance);
                return CommerceServicesStateStatus.Failed;
            }

            bool keysChange = CommerceServicesStatePlan.ChangesKeys(found);
            if (keysChange && !SkipOnlineCheck && !CheckPairsOnline(found, pairs, current, instance))
            {
                return CommerceServicesStateStatus.Failed;
            }

            SaasProject? project = null;
            SaasDataSpace? dataSpace = null;
            GatewayCredentials? asked = null;
            string? currentDataSpaceId = CommerceServicesStateComparison.Value(current, ConnectorPaths.DataSpaceId);
            bool identifierChanges = CommerceServicesStatePlan.ChangesIdentifier(found);
            if (identifierChanges && !TryFindIdentifier(state, pairs, current, instance, out project, out dataSpace, out asked))
            {
                return CommerceServicesStateStatus.Failed;
            }

            string notice = string.Empty;
            if (identifierChanges && currentDataSpaceId != null && currentDataSpaceId != dataSpace?.DataSpaceId)
            {
                string? currentType = CommerceServicesStateComparison.Value(current, ConnectorPaths.DataSpaceType);
                GuardRailViolation? loss = DataSpaceGuardRails.ProductionLossRefusal(instance, currentType, true, keysChange || InstanceSessions.KeysChangedInSession(instance));
                if (loss != null && !Force)
                {
                    WriteError(ErrorRecords.ForGuardRail(loss, instance));
                    return CommerceServicesStateStatus.Failed;
                }

                notice = DataSpaceGuardRails.ProductionLossNotice(currentType, true);
            }

            bool newDataSpace = dataSpace != null && dataSpace.DataSpaceId != currentDataSpaceId;
            if (newDataSpace && !choice!.GuardRailsAllow(instance, dataSpace!, input!.Opened))
            {
                return CommerceServicesStateStatus.Failed;
            }

            bool written = false;
            try
            {
                IReadOnlyList<RegistryFollowUp> followUps = newDataSpace ? DataSpaceRegistration.For(instance, dataSpace!.DataSpaceId, instance.CloudProjectId) : Array.Empty<RegistryFollowUp>();
                string registryCalls = followUps.Count == 0 ? string.Empty
                    : " Then, as Magento does when a data space is saved, tell the registry: " + string.Join("; ", followUps.Select(f => f.RequestLine(asked!.Routes) + " (" + f.Why + ")")) + ".";
                string action = "Bring it to the desired state" + Of(state) + " in one write: " + string.Join("; ", found.Select(d => d.ToString())) + "." + notice + registryCalls;
                if (!ShouldProcess(instance.Path + " (" + instance.ConfigStore + ")", action))
                {
                    return CommerceServicesStateStatus.WouldChange;
                }

                IReadOnlyList<ConfigChange> changes;
                try
                {
                    changes = CommerceServicesStatePlan.Changes(instance, state, found, pairs, project, dataSpace);
                }
                catch (CryptKeyMissingException ex)
                {
                    WriteError(ErrorRecords.ForWrite(ex, instance));
                    return CommerceServicesStateStatus.Failed;
                }

                if (!Writer.TryWrite(instance, changes, DeferConfigImport))
                {
                    return CommerceServicesStateStatus.Failed;
                }

                written = true;
                if (keysChange)
                {
                    InstanceSessions.MarkKeysChanged(instance);
                }

                if (identifierChanges)
                {
                    SaasIdentifierChoice.RememberDataSpace(instance, dataSpace?.DataSpaceId);
                }

                if (newDataSpace)
                {
                    choice!.SendFollowUps(instance, dataSpace!, followUps, new AskedGateway(asked!, asked!.GatewayUri));
                    if (DataSpaceRegistration.CloudProjectUnknown(instance, dataSpace!.DataSpaceId, instance.CloudProjectId) is string untold)
                    {
                        WriteWarning(untold);
                    }
                }
                else if (identifierChanges && dataSpace == null)
                {
                    WriteWarning(instance.Path + " has no data space now: add DataSpace to the desired state" + Of(state) + ", or choose one of project '" + project!.Name + "' with Get-SaasDataSpace -ProjectId " + project.ProjectId + " | Set-CommerceDataSpace.");
                }

                return CommerceServicesStateStatus.Changed;
            }
            finally
            {
                if (newDataSpace && !written)
                {
                    // Give back the claim of GuardRailsAllow: the instance still uses what it used.
                    SaasIdentifierChoice.RememberDataSpace(instance, currentDataSpaceId);
                }
            }
        }

        /// <summary>Each key pair to store, checked at the gateway the instance uses for it (each pair once per command); false after the error.</summary>
        private bool CheckPairsOnline(IReadOnlyList<CommerceServicesStateDifference> found, IReadOnlyDictionary<GatewayEnvironment, ApiKeyPair> pairs, IReadOnlyList<ConnectorSetting> current, CommerceInstance instance)
        {
            foreach (CommerceServicesStateDifference difference in found)
            {
                if (!(CommerceServicesStateComparison.KeyPairEnvironment(difference.Setting) is GatewayEnvironment environment))
                {
                    continue;
                }

                ApiKeyPair pair = pairs[environment];
                Uri at;
                try
                {
                    at = GatewayOptions.Validate(StoredKeyPairs.GatewayUriOf(current, environment));
                }
                catch (ArgumentException ex)
                {
                    WriteError(new ArgumentException(instance.Path + " was not changed: its configured " + environment + " gateway URL is not usable: " + ex.Message, ex), "InvalidGatewayUri", ErrorCategory.InvalidData, instance);
                    return false;
                }

                var key = (pair, at);
                if (!checkedPairs.TryGetValue(key, out bool accepted))
                {
                    if (!gateway!.TryCall(pair, at, StoredKeyPairs.RoutesOf(current), (client, token) => client.CheckApiKeyAsync(token), instance, out accepted))
                    {
                        return false;
                    }

                    checkedPairs[key] = accepted;
                    WriteVerbose("The " + environment + " gateway " + at + (accepted ? " accepts" : " refuses") + " key pair " + CommerceServicesStateComparison.Describe(pair) + "; it is not asked again in this command.");
                }

                if (!accepted)
                {
                    WriteError(
                        new InvalidOperationException(instance.Path + " was not changed: the " + environment + " gateway " + at + " refused key pair " + CommerceServicesStateComparison.Describe(pair) + " of the desired state. If new keys were generated in the API Portal, use the pair it issued last; to store this one anyway, add -SkipOnlineCheck."),
                        "ApiKeyRejected",
                        ErrorCategory.AuthenticationError,
                        instance);
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The project and data space the state names, among those the gateway lists for the key pair the instance will
        /// use (the state's, or the stored one); false after the error when they cannot be found or do not fit.
        /// </summary>
        private bool TryFindIdentifier(CommerceServicesState state, IReadOnlyDictionary<GatewayEnvironment, ApiKeyPair> pairs, IReadOnlyList<ConnectorSetting> current, CommerceInstance instance, out SaasProject? project, out SaasDataSpace? dataSpace, out GatewayCredentials? asked)
        {
            project = null;
            dataSpace = null;
            asked = null;
            GatewayEnvironment environment = state.GatewayEnvironment ?? StoredKeyPairs.ActiveEnvironment(current);
            try
            {
                asked = CommerceServicesStatePlan.CredentialsFor(instance, current, pairs, environment);
            }
            catch (Exception ex) when (ErrorRecords.ForStoredKeyPair(ex, instance) is ErrorRecord error)
            {
                WriteError(error);
                return false;
            }

            GatewayCredentials pair = asked;
            var key = (pair.KeyPair, pair.GatewayUri);
            if (!listedProjects.TryGetValue(key, out IReadOnlyList<SaasProject>? projects))
            {
                if (!gateway!.TryCall(pair.KeyPair, pair.GatewayUri, pair.Routes, (client, token) => client.GetProjectsAsync(token), instance, out projects))
                {
                    return false;
                }

                listedProjects[key] = projects;
            }

            string? problem;
            string? currentProjectId = CommerceServicesStateComparison.Value(current, ConnectorPaths.ProjectId);
            if (state.Project != null)
            {
                project = CommerceServicesStatePlan.FindProject(projects, state.Project, environment, out problem);
                if (project == null)
                {
                    WriteError(new ItemNotFoundException(instance.Path + " was not changed: " + problem), "DesiredStateProjectNotFound", ErrorCategory.ObjectNotFound, instance);
                    return false;
                }
            }
            else
            {
                project = projects.FirstOrDefault(p => p.ProjectId == currentProjectId);
            }

            if (state.DataSpace == null)
            {
                return true;
            }

            string within = project != null ? "project '" + project.Name + "' (" + project.ProjectId + ")" : "the projects reachable with the " + environment + " key pair";
            dataSpace = CommerceServicesStatePlan.FindDataSpace(project?.DataSpaces ?? projects.SelectMany(p => p.DataSpaces), state.DataSpace, within, out problem);
            if (dataSpace == null)
            {
                WriteError(new ItemNotFoundException(instance.Path + " was not changed: " + problem), "DesiredStateDataSpaceNotFound", ErrorCategory.ObjectNotFound, instance);
                return false;
            }

            if (state.Project == null && SaasIdentifierChange.ProjectMismatch(instance, currentProjectId, dataSpace, switchProject: false) is GuardRailViolation mismatch)
            {
                WriteError(ErrorRecords.ForGuardRail(mismatch, dataSpace.DataSpaceId));
                return false;
            }

            return true;
        }

        private void Record(CommerceServicesStateResult result)
        {
            lock (results)
            {
                results.Add(result);
            }

            if (PassThru && !AsJson)
            {
                WriteObject(result);
            }
        }

        /// <summary>A state, or its instance, that failed before anything could be compared.</summary>
        private static CommerceServicesStateResult Failed(CommerceInstance? instance, string? instancePath, string? statePath, ErrorRecord error) =>
            new CommerceServicesStateResult(instance, instancePath, statePath, CommerceServicesStateStatus.Failed, Array.Empty<CommerceServicesStateDifference>(), new[] { Message(error) }, Array.Empty<string>());

        private static string Message(ErrorRecord error) => error.ErrorDetails?.Message ?? error.Exception.Message;

        private static string Of(CommerceServicesState state) => state.Source == null ? string.Empty : " of " + state.Source;

    }
}
