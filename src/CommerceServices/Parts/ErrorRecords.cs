using System;
using System.IO;
using System.Management.Automation;
using CommerceServices.DataExport;
using CommerceServices.Gateway;
using CommerceServices.Instances;
using CommerceServices.Php;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// The one place where failures of the core become error records: each kind its stable error id and
    /// the category PowerShell users filter on. The exception is kept as it is (its message says what
    /// failed, why and what to do), so no inner cause is lost.
    /// </summary>
    internal static class ErrorRecords
    {
        /// <summary>An error record with a stable id, and a recommended action when there is one.</summary>
        public static ErrorRecord Of(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction = null)
        {
            var record = new ErrorRecord(exception, errorId, category, target);
            if (recommendedAction != null)
            {
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
            }

            return record;
        }

        /// <summary>An instance given to a cmdlet after Disconnect-CommerceInstance closed it.</summary>
        public static ErrorRecord Disconnected(CommerceInstance instance) =>
            new ErrorRecord(
                new InvalidOperationException("The connection to " + instance.Path + " was closed with Disconnect-CommerceInstance. Connect again with Connect-CommerceInstance -Path '" + instance.Path + "'."),
                "InstanceDisconnected",
                ErrorCategory.ConnectionError,
                instance);

        /// <summary>A gateway failure, with the id the exception carries.</summary>
        public static ErrorRecord ForGateway(GatewayException exception, object? target) =>
            new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception), target);

        /// <summary>The error category of a gateway failure.</summary>
        public static ErrorCategory CategoryOf(GatewayException exception)
        {
            switch (exception)
            {
                case ApiKeyRejectedException _: return ErrorCategory.AuthenticationError;
                case ProjectNotFoundException _: return ErrorCategory.ObjectNotFound;
                case DataSpaceNotFoundException _: return ErrorCategory.ObjectNotFound;
                case GatewayUnavailableException _: return ErrorCategory.ConnectionError;
                case GatewayProtocolException _: return ErrorCategory.ProtocolError;
                case GatewayConfigurationException _: return ErrorCategory.InvalidData;
                default: return ErrorCategory.InvalidOperation;
            }
        }

        /// <summary>
        /// Whether an exception is the failure of one instance's change, to be written as that
        /// instance's error while the others go on: anything but the pipeline being stopped.
        /// </summary>
        public static bool IsInstanceFailure(Exception ex) =>
            !(ex is PipelineStoppedException) && !(ex is OperationCanceledException);

        /// <summary>A configuration write that failed, with the id of its cause.</summary>
        public static ErrorRecord ForWrite(Exception ex, CommerceInstance instance)
        {
            switch (ex)
            {
                case ConfigValueShadowedException _:
                    return new ErrorRecord(ex, "ConfigValueShadowed", ErrorCategory.InvalidOperation, instance);
                case DatabaseUnavailableException _:
                    return new ErrorRecord(ex, "DatabaseUnavailable", ErrorCategory.ConnectionError, instance);
                case ConfigHashNotUpdatableException _:
                    return new ErrorRecord(ex, "ConfigHashNotUpdatable", ErrorCategory.ResourceUnavailable, instance);
                case PhpConfigParseException _:
                    return new ErrorRecord(ex, "ConfigFileNotReadable", ErrorCategory.InvalidData, instance);
                case IOException _:
                case UnauthorizedAccessException _:
                    return new ErrorRecord(ex, "ConfigFileNotWritable", ErrorCategory.WriteError, instance);
                case CryptKeyMissingException _:
                    return new ErrorRecord(ex, "CryptKeyMissing", ErrorCategory.InvalidData, instance);
                case EnvPhpStoreOnCloudException cloud:
                    return EnvPhpStoreOnCloud(cloud, instance);
                default:
                    return new ErrorRecord(new InvalidOperationException(instance.Path + ": the change could not be made: " + ex.Message, ex), "ConfigWriteFailed", ErrorCategory.WriteError, instance);
            }
        }

        /// <summary>
        /// Why an instance folder could not be opened (Connect-CommerceInstance, or a desired state that names its
        /// instance), as the error to write; null for an exception that is not such a failure.
        /// </summary>
        /// <param name="root">The folder, resolved.</param>
        /// <param name="target">The path as the user gave it.</param>
        public static ErrorRecord? ForOpen(Exception ex, string root, object target)
        {
            switch (ex)
            {
                case DirectoryNotFoundException _:
                    return new ErrorRecord(new ItemNotFoundException("Cannot connect to '" + root + "': the folder does not exist. Check the path of the Magento root.", ex), "InstancePathNotFound", ErrorCategory.ObjectNotFound, target);
                case EnvPhpStoreOnCloudException cloud:
                    return EnvPhpStoreOnCloud(cloud, target);
                case NotACommerceInstanceException _:
                    return Of(ex, "NotACommerceInstance", ErrorCategory.InvalidArgument, target);
                case PhpConfigParseException parse:
                    return new ErrorRecord(
                        new InvalidDataException("Cannot connect to '" + root + "': " + ex.Message + " CommerceServices reads configuration files without running PHP, so every value must be a literal.", ex),
                        "ConfigFileNotReadable",
                        ErrorCategory.InvalidData,
                        parse.File);
                case IOException _:
                case UnauthorizedAccessException _:
                case InvalidDataException _:
                    return new ErrorRecord(
                        new IOException("Cannot connect to '" + root + "': " + ex.Message + " Check that this account may read app/etc/env.php, app/etc/config.php and composer.lock.", ex),
                        "ConfigFileNotReadable",
                        ex is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError,
                        target);
                default:
                    return null;
            }
        }

        /// <summary>The env.php store refused on Adobe Commerce on Cloud (Rules.CloudConfigStore): the message says why and what to use instead.</summary>
        public static ErrorRecord EnvPhpStoreOnCloud(EnvPhpStoreOnCloudException exception, object? target) =>
            new ErrorRecord(exception, "EnvPhpStoreOnCloud", ErrorCategory.InvalidOperation, target);

        /// <summary>A key pair that could not be read from an instance, or null when <paramref name="ex"/> is not such a failure.</summary>
        public static ErrorRecord? ForStoredKeyPair(Exception ex, CommerceInstance instance)
        {
            switch (ex)
            {
                case StoredKeyPairMissingException _:
                    return new ErrorRecord(ex, "StoredKeyPairMissing", ErrorCategory.ObjectNotFound, instance);
                case DatabaseUnavailableException _:
                    return new ErrorRecord(ex, "DatabaseUnavailable", ErrorCategory.ConnectionError, instance);
                case ArgumentException _:
                    // The instance's gateway settings contradict each other (several CONFIG__ variables with different values).
                    return new ErrorRecord(ex, "InvalidGatewayUri", ErrorCategory.InvalidData, instance);
                default:
                    return null;
            }
        }

        /// <summary>A guard rail's refusal, with the category of its rule.</summary>
        public static ErrorRecord ForGuardRail(Rules.GuardRailViolation violation, object target)
        {
            ErrorCategory category;
            switch (violation.ErrorId)
            {
                case "ProductionDataSpaceOnNonProduction": category = ErrorCategory.PermissionDenied; break;
                case "DataSpaceInUse": category = ErrorCategory.ResourceExists; break;
                case "DataSpaceNotInProject": category = ErrorCategory.InvalidArgument; break;
                default: category = ErrorCategory.InvalidOperation; break;
            }

            return new ErrorRecord(new InvalidOperationException(violation.Message), violation.ErrorId, category, target);
        }

        /// <summary>A feed name that no feed has (terminating: nothing ran).</summary>
        public static ErrorRecord UnknownFeed(string name) =>
            new ErrorRecord(
                new ArgumentException("There is no data export feed named '" + name + "'. The feeds are: " + ExportFeeds.Names + ".", "Feed"),
                "DataExportFeedUnknown",
                ErrorCategory.InvalidArgument,
                name);

        /// <summary>Options of saas:resync that do not fit a feed (terminating: nothing ran).</summary>
        public static ErrorRecord ForResyncOptions(ArgumentException ex, ExportFeed feed) =>
            ex is ExportFeedOptionNotSupportedException
                ? new ErrorRecord(ex, "DataExportByIdsNotSupported", ErrorCategory.InvalidArgument, feed.Name)
                : new ErrorRecord(ex, "DataExportResyncArgumentInvalid", ErrorCategory.InvalidArgument, feed.Name);

        /// <summary>A resync of one feed on one instance that was refused or failed; the instance is the target.</summary>
        public static ErrorRecord ForResync(Exception ex, CommerceInstance instance)
        {
            switch (ex)
            {
                case ExportFeedNotInstalledException _:
                    return new ErrorRecord(ex, "DataExportFeedNotInstalled", ErrorCategory.ObjectNotFound, instance);
                case DataExportResyncNotRunnableException notRunnable:
                    return Of(ex, "DataExportResyncNotRunnableHere", ErrorCategory.ResourceUnavailable, instance, notRunnable.ManualCommand);
                case DataExportResyncFailedException _:
                    return new ErrorRecord(ex, "DataExportResyncFailed", ErrorCategory.InvalidResult, instance);
                default:
                    return new ErrorRecord(new InvalidOperationException(instance.Path + ": saas:resync could not run: " + ex.Message, ex), "DataExportResyncFailed", ErrorCategory.InvalidOperation, instance);
            }
        }
    }
}
