using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Rules;
using CommerceServices.Saas;
using CommerceServices.Stores.Backups;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Restore-CommerceServicesConfig cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsData.Restore, "CommerceServicesConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = LatestSet)]
    [OutputType(typeof(ConnectorSetting))]
    public sealed class RestoreCommerceServicesConfigCommand : SaasIdentifierCmdlet
    {
        private const string BackupSet = "Backup";
        private const string LatestSet = "Latest";
        private const string BeforeSet = "Before";

        /// <summary>The backup to put back, from Get-CommerceServicesConfigBackup.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = BackupSet)]
        public ConfigBackupInfo? Backup { get; set; }

        /// <summary>Put back the newest backup of each instance.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LatestSet)]
        public SwitchParameter Latest { get; set; }

        /// <summary>Put back the settings each instance had at this time (local time unless it says otherwise), undoing every change since.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BeforeSet)]
        public DateTime Before { get; set; }

        /// <summary>Put a key pair back without asking the gateway whether it still accepts it.</summary>
        [Parameter]
        public SwitchParameter SkipOnlineCheck { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (Backup != null)
            {
                ConfigBackupInfo chosen = Backup;
                if (IsOpen(chosen.Instance))
                {
                    WriteInstance(chosen.Instance, instance => Restore(instance, chosen.Path, null));
                }

                return;
            }

            if (ParameterSetName == BeforeSet)
            {
                var moment = new DateTimeOffset(Before);
                WriteEachInstance(instance => Restore(instance, null, moment));
                return;
            }

            WriteEachInstance(instance => Restore(instance, Newest(instance), null));
        }

        /// <summary>The newest backup of the instance, or null after the error.</summary>
        private string? Newest(CommerceInstance instance)
        {
            string? newest = ConfigBackupReader.Files(instance).FirstOrDefault();
            if (newest == null)
            {
                WriteError(NoBackup(instance, null));
            }

            return newest;
        }

        private static ErrorRecord NoBackup(CommerceInstance instance, DateTimeOffset? since) =>
            new ErrorRecord(
                new ItemNotFoundException(instance.Path + (since == null ? " has no backup of its connector settings." : " has no backup taken since " + since.Value.ToString("u", System.Globalization.CultureInfo.InvariantCulture) + ": nothing was changed through its store since then.") + " Get-CommerceServicesConfigBackup lists the backups there are."),
                "NoConfigBackup",
                ErrorCategory.ObjectNotFound,
                instance);

        /// <summary>Restores <paramref name="file"/>, or with <paramref name="moment"/> the state of the instance at that moment.</summary>
        private void Restore(CommerceInstance instance, string? file, DateTimeOffset? moment)
        {
            if (file == null && moment == null)
            {
                return;
            }

            ConfigBackup backup;
            IReadOnlyList<ConfigRestoreStep> steps;
            ConfigBackupInfo shown;
            try
            {
                ConfigBackup? chosen = moment == null ? ConfigBackupReader.Read(instance, file!) : ConfigBackupReader.StateAt(instance, moment.Value);
                if (chosen == null)
                {
                    WriteError(NoBackup(instance, moment));
                    return;
                }

                backup = chosen;
                file = backup.Path;
                (steps, shown) = RunOperation((debug, token) => ConfigRestorePlan.PlanAndDescribeAsync(instance, backup, token));
            }
            catch (ConfigBackupUnreadableException ex)
            {
                WriteError(ex, "ConfigBackupUnreadable", ErrorCategory.InvalidData, ex.Path);
                return;
            }
            catch (DatabaseUnavailableException ex)
            {
                WriteError(ex, "DatabaseUnavailable", ErrorCategory.ConnectionError, instance);
                return;
            }
            catch (InvalidOperationException ex)
            {
                WriteError(ex, "ConfigBackupOfOtherStore", ErrorCategory.InvalidOperation, instance);
                return;
            }

            if (steps.Count == 0)
            {
                WriteError(ConfigRestoreRefusedException.NothingToRestore(instance, backup), "NothingToRestore", ErrorCategory.InvalidOperation, instance);
                return;
            }

            string? dataSpaceThen = Then(backup, ConnectorPaths.DataSpaceId);
            bool identifierChanges = steps.Any(s => SaasIdentifierChange.Paths.Contains(s.Path));
            string? loss = string.Empty;
            if (identifierChanges)
            {
                if (!Choice.TryReadCurrent(instance, out ConnectorSetting[]? current) || (loss = Choice.ProductionLossAllowed(instance, current)) == null)
                {
                    return;
                }

                if (!string.IsNullOrEmpty(dataSpaceThen))
                {
                    var dataSpace = new SaasDataSpace(dataSpaceThen!, Then(backup, ConnectorPaths.DataSpaceName) ?? dataSpaceThen!, Then(backup, ConnectorPaths.DataSpaceType) ?? string.Empty, Then(backup, ConnectorPaths.ProjectId) ?? string.Empty, Then(backup, ConnectorPaths.ProjectName) ?? string.Empty, null, null);
                    if (!Choice.GuardRailsAllow(instance, dataSpace))
                    {
                        return;
                    }
                }
            }

            if (!SkipOnlineCheck && !KeyPairsAccepted(instance, backup, steps))
            {
                GiveBackClaim(instance, identifierChanges);
                return;
            }

            string changes = string.Join("; ", shown.Settings.Where(s => s.Differs).Select(s => s.Path + ": " + (s.Now ?? "(null)") + " -> " + (s.Then ?? "(null)")));
            if (!ShouldProcess(instance.Path + " (" + instance.ConfigStore + ")", "Restore " + steps.Count + " setting(s) from the backup of " + backup.TakenAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture) + (backup.Command == null ? string.Empty : " (before " + backup.Command + ")") + ": " + changes + "." + loss))
            {
                GiveBackClaim(instance, identifierChanges);
                return;
            }

            if (!Writer.TryRestore(instance, backup, steps, DeferConfigImport))
            {
                GiveBackClaim(instance, identifierChanges);
                return;
            }

            if (identifierChanges)
            {
                SaasIdentifierChoice.RememberDataSpace(instance, dataSpaceThen);
            }

            if (steps.Any(s => ConnectorPaths.KeyPaths(GatewayEnvironment.Production).Concat(ConnectorPaths.KeyPaths(GatewayEnvironment.Sandbox)).Contains(s.Path)))
            {
                InstanceSessions.MarkKeysChanged(instance);
            }

            if (PassThru)
            {
                WriteObject(Settings.Of(instance, steps.Select(s => s.Path).ToArray()), enumerateCollection: true);
            }
        }

        /// <summary>Each key pair the restore puts back is usable and accepted by the instance's gateway; false after the error.</summary>
        private bool KeyPairsAccepted(CommerceInstance instance, ConfigBackup backup, IReadOnlyList<ConfigRestoreStep> steps)
        {
            foreach (var (environment, read) in ConfigRestorePlan.RestoredKeyPairs(instance, backup, steps))
            {
                if (read == null)
                {
                    continue;
                }

                if (!read.IsValid || read.KeyPair == null)
                {
                    WriteError(new ArgumentException(instance.Path + " was not changed: " + KeyPairInput.Invalid(environment, read)), "InvalidApiKeyPair", ErrorCategory.InvalidData, instance);
                    return false;
                }

                // Where the instance's connector would check the pair: its configured gateway and key-check settings.
                string[] gatewayPaths = { ConnectorPaths.GatewayUrlFor(environment) };
                IReadOnlyList<ConnectorSetting> settings = Settings.Read(instance, _ => gatewayPaths);
                var caller = new GatewayCaller(this) { Proxy = Proxy };
                Uri gateway = caller.Validate(GatewayUri ?? StoredKeyPairs.GatewayUriOf(settings, environment), environment);
                if (!caller.TryCall(read.KeyPair, gateway, StoredKeyPairs.RoutesOf(settings), (client, token) => client.CheckApiKeyAsync(token), instance, out bool accepted))
                {
                    return false;
                }

                if (!accepted)
                {
                    WriteError(
                        new Gateway.ApiKeyRejectedException(instance.Path + " was not changed: the " + environment + " gateway " + gateway + " no longer accepts the key pair in the backup (SHA256:" + read.KeyPair.Fingerprint.Substring(0, 16) + "...). Only the pair issued last is active (R3): when new keys were generated, the old pair was revoked. Store the current pair with Set-CommerceApiKey, or add -SkipOnlineCheck to put the old one back anyway.", environment, System.Net.HttpStatusCode.Forbidden, null),
                        "ApiKeyRejected",
                        ErrorCategory.AuthenticationError,
                        instance);
                    return false;
                }
            }

            return true;
        }

        private void GiveBackClaim(CommerceInstance instance, bool identifierChanges)
        {
            if (identifierChanges && !Force)
            {
                // GuardRailsAllow claimed the backup's data space; the instance still uses what it used.
                try
                {
                    SaasIdentifierChoice.RememberDataSpace(instance, Settings.Of(instance, ConnectorPaths.DataSpaceId).FirstOrDefault()?.Value);
                }
                catch (DatabaseUnavailableException)
                {
                }
            }
        }

        private static string? Then(ConfigBackup backup, string path) =>
            backup.Values.FirstOrDefault(v => v.Path == path) is ConfigBackupValue value && value.WasSet ? value.StoredValue : null;
    }
}
