using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Gateway;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Base of every CommerceServices cmdlet: a cancellation token that Ctrl+C (StopProcessing)
    /// cancels, and helpers that build error records with stable ids.
    /// </summary>
    public abstract class CommerceCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
        protected CancellationToken CancellationToken => stopping.Token;

        /// <inheritdoc />
        protected override void StopProcessing() => stopping.Cancel();

        // While per-instance work runs on several threads (-ThrottleLimit), what talks to PowerShell is handed to the pipeline thread.
        private ConcurrentWrites? concurrentWrites;

        /// <summary>
        /// Runs <paramref name="work"/> for each item, up to <paramref name="throttleLimit"/> at once (<see cref="ConcurrentWrites"/>).
        /// The work may call every Write method, ShouldProcess and ThrowTerminatingError of this cmdlet from any thread.
        /// </summary>
        protected void ForEachConcurrently<T>(IReadOnlyList<T> items, int throttleLimit, Action<T> work) =>
            ConcurrentWrites.ForEach(items, throttleLimit, runner => concurrentWrites = runner, work);

        private void OnPipelineThread(Action call)
        {
            ConcurrentWrites? runner = concurrentWrites;
            if (runner == null)
            {
                call();
                return;
            }

            runner.OnPipelineThread(() =>
            {
                call();
                return true;
            });
        }

        private T OnPipelineThread<T>(Func<T> call)
        {
            ConcurrentWrites? runner = concurrentWrites;
            return runner == null ? call() : runner.OnPipelineThread(call);
        }

        /// <summary>As <see cref="Cmdlet.WriteObject(object)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new void WriteObject(object? sendToPipeline) => OnPipelineThread(() => base.WriteObject(sendToPipeline));

        /// <summary>As <see cref="Cmdlet.WriteObject(object, bool)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new void WriteObject(object? sendToPipeline, bool enumerateCollection) => OnPipelineThread(() => base.WriteObject(sendToPipeline, enumerateCollection));

        /// <summary>As <see cref="Cmdlet.WriteError(ErrorRecord)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new void WriteError(ErrorRecord errorRecord) => OnPipelineThread(() => base.WriteError(errorRecord));

        /// <summary>As <see cref="Cmdlet.WriteWarning(string)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new void WriteWarning(string text) => OnPipelineThread(() => base.WriteWarning(text));

        /// <summary>As <see cref="Cmdlet.WriteVerbose(string)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new void WriteVerbose(string text) => OnPipelineThread(() => base.WriteVerbose(text));

        /// <summary>As <see cref="Cmdlet.WriteDebug(string)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new void WriteDebug(string text) => OnPipelineThread(() => base.WriteDebug(text));

        /// <summary>As <see cref="Cmdlet.ShouldProcess(string, string)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new bool ShouldProcess(string target, string action) => OnPipelineThread(() => base.ShouldProcess(target, action));

        /// <summary>As <see cref="Cmdlet.ThrowTerminatingError(ErrorRecord)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new void ThrowTerminatingError(ErrorRecord errorRecord) => OnPipelineThread(() => base.ThrowTerminatingError(errorRecord));

        /// <summary>Resolves a user-supplied path the way PowerShell does: relative to the current location, no wildcards.</summary>
        protected string ResolveLiteralFilePath(string path) =>
            SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        /// <summary>
        /// Reads a key pair whose private key is in a file, or writes the error that says why the
        /// file could not be read (PrivateKeyFileNotFound, PrivateKeyFileUnreadable) and returns null.
        /// </summary>
        protected ApiKeyPairReadResult? ReadKeyPairFile(string? apiKey, string privateKeyPath, GatewayEnvironment environment)
        {
            string path = ResolveLiteralFilePath(privateKeyPath);
            try
            {
                WriteVerbose("Reading the " + environment + " private key from '" + path + "'.");
                return ApiKeyPairReader.ReadFile(apiKey, path, environment);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                WriteError(
                    new ItemNotFoundException("Cannot use the " + environment + " API key pair: the private key file '" + path + "' does not exist. Check the path, or pass the key with -PrivateKey.", ex),
                    "PrivateKeyFileNotFound",
                    ErrorCategory.ObjectNotFound,
                    privateKeyPath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is SecurityException || ex is NotSupportedException)
            {
                WriteError(
                    new IOException("Cannot use the " + environment + " API key pair: the private key file '" + path + "' cannot be read: " + ex.Message + " Check the path and that this account may read the file.", ex),
                    "PrivateKeyFileUnreadable",
                    ex is UnauthorizedAccessException || ex is SecurityException ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError,
                    privateKeyPath);
            }

            return null;
        }

        /// <summary>
        /// Runs an asynchronous operation (a gateway call, a database query) for the pipeline thread: its debug lines are written as
        /// they happen, Ctrl+C cancels it, and its result is returned.
        /// </summary>
        protected T RunOperation<T>(Func<Action<string>, CancellationToken, Task<T>> operation)
        {
            using (var operationStop = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken))
            using (var messages = new BlockingCollection<string>())
            {
                Task<T> task = operation(message => messages.TryAdd(message), operationStop.Token);
                task.ContinueWith(_ => messages.CompleteAdding(), TaskScheduler.Default);
                try
                {
                    foreach (string message in messages.GetConsumingEnumerable())
                    {
                        WriteDebug(message);
                    }

                    return task.GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
                finally
                {
                    // If writing failed (for example $DebugPreference = 'Stop'), the call must not go on unseen.
                    if (!task.IsCompleted)
                    {
                        operationStop.Cancel();
                        try
                        {
                            task.Wait();
                        }
                        catch (AggregateException)
                        {
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The gateway to call: <paramref name="gatewayUri"/> when given, else Adobe's for the
        /// environment. An http URI that is not loopback is an invalid invocation (terminating).
        /// </summary>
        protected Uri ValidateGatewayUri(Uri? gatewayUri, GatewayEnvironment environment)
        {
            try
            {
                return GatewayOptions.Validate(gatewayUri ?? new GatewayOptions().UriFor(environment));
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "InvalidGatewayUri", ErrorCategory.InvalidArgument, gatewayUri));
                throw;
            }
        }

        /// <summary>Writes a gateway failure as a non-terminating error with its stable id.</summary>
        protected void WriteGatewayError(GatewayException exception, object? target) =>
            WriteError(exception, exception.ErrorId, CategoryOf(exception), target);

        /// <summary>
        /// False after the error when a plain string was given for a SecureString secret
        /// (<see cref="PlainTextSecretRefusedAttribute"/>): the record's error, when it came from the
        /// pipeline; otherwise an invalid invocation. The error carries no target object.
        /// </summary>
        protected bool AcceptsSecret(System.Security.SecureString? value)
        {
            if (!ReferenceEquals(value, PlainTextSecretRefusedAttribute.Refused))
            {
                return true;
            }

            var refused = new ErrorRecord(new PSArgumentException(PlainTextSecretRefusedAttribute.Message), "PlainTextPrivateKeyRefused", ErrorCategory.InvalidArgument, null);
            if (MyInvocation.ExpectingInput)
            {
                WriteError(refused);
                return false;
            }

            ThrowTerminatingError(refused);
            return false;
        }

        /// <summary>The error category of a gateway failure.</summary>
        protected static ErrorCategory CategoryOf(GatewayException exception)
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
        /// The session's default instance. No connection at all is an invalid invocation
        /// (terminating), with the command that fixes it.
        /// </summary>
        protected CommerceServices.Instances.CommerceInstance DefaultInstanceOrThrow()
        {
            CommerceServices.Instances.CommerceInstance? current = InstanceSessions.Default;
            if (current == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("No Commerce instance is connected in this session. Run Connect-CommerceInstance -Path <Magento root> first, or pass -Instance."),
                    "NoCommerceInstance",
                    ErrorCategory.ConnectionError,
                    null));
            }

            return current!;
        }

        /// <summary>Reports a finished configuration change: where the previous values are, the cache, the hash.</summary>
        protected void ReportWrite(CommerceServices.Instances.CommerceInstance instance, CommerceServices.Instances.ConfigWriteResult result)
        {
            WriteVerbose("Changed " + result.Changed + " setting(s) of " + instance.Path + " (" + instance.ConfigStore + "). Previous values: " + result.BackupPath + ". " + result.Cache.Message);
            if (result.Cache.Method == CommerceServices.Instances.CacheCleanMethod.NotCleaned)
            {
                WriteWarning(result.Cache.Message);
            }

            if (instance.ConfigStore == CommerceServices.Instances.ConfigStore.EnvPhp && instance.IsInstalled && string.Equals(instance.MageMode, "production", StringComparison.OrdinalIgnoreCase))
            {
                WriteWarning("app/etc/env.php of " + instance.Path + " changed. In production PHP's OPcache often does not re-read files (opcache.validate_timestamps=0): reload PHP-FPM (or reset OPcache) so the web servers see the new env.php.");
            }

            if (result.ConfigImportPending)
            {
                WriteWarning("app/etc/env.php of " + instance.Path + " changed and Magento's configuration hash could not be updated from here: run 'bin/magento app:config:import' on the instance now, or the storefront refuses requests.");
            }
        }

        /// <summary>
        /// Whether an exception is the failure of one instance's change, to be written as that
        /// instance's error (with an id of its own where there is one) while the others go on:
        /// anything but the pipeline being stopped.
        /// </summary>
        protected static bool IsWriteFailure(Exception ex) =>
            !(ex is PipelineStoppedException) && !(ex is OperationCanceledException);

        /// <summary>Writes a configuration write failure with its stable id.</summary>
        protected void WriteWriteError(Exception ex, CommerceServices.Instances.CommerceInstance instance)
        {
            switch (ex)
            {
                case CommerceServices.Instances.ConfigValueShadowedException _:
                    WriteError(ex, "ConfigValueShadowed", ErrorCategory.InvalidOperation, instance);
                    break;
                case CommerceServices.Instances.DatabaseUnavailableException _:
                    WriteError(ex, "DatabaseUnavailable", ErrorCategory.ConnectionError, instance);
                    break;
                case CommerceServices.Instances.ConfigHashNotUpdatableException _:
                    WriteError(ex, "ConfigHashNotUpdatable", ErrorCategory.ResourceUnavailable, instance);
                    break;
                case CommerceServices.Php.PhpConfigParseException _:
                    WriteError(ex, "ConfigFileNotReadable", ErrorCategory.InvalidData, instance);
                    break;
                case System.IO.IOException _:
                case UnauthorizedAccessException _:
                    WriteError(ex, "ConfigFileNotWritable", ErrorCategory.WriteError, instance);
                    break;
                case CommerceServices.Instances.CryptKeyMissingException _:
                    WriteError(ex, "CryptKeyMissing", ErrorCategory.InvalidData, instance);
                    break;
                default:
                    WriteError(new InvalidOperationException(instance.Path + ": the change could not be made: " + ex.Message, ex), "ConfigWriteFailed", ErrorCategory.WriteError, instance);
                    break;
            }
        }

        /// <summary>Writes a non-terminating error with a stable id.</summary>
        protected void WriteError(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction = null)
        {
            var record = new ErrorRecord(exception, errorId, category, target);
            if (recommendedAction != null)
            {
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
            }

            WriteError(record);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>Releases what the cmdlet holds.</summary>
        protected virtual void Dispose(bool disposing)
        {
            if (disposing)
            {
                stopping.Dispose();
            }
        }
    }
}
