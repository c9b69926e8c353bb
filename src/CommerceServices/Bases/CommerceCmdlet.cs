using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Base of every CommerceServices cmdlet: a cancellation token that Ctrl+C (StopProcessing)
    /// cancels, the operation runner on it, and Write/ShouldProcess methods that the threads of
    /// -ThrottleLimit may call. What cmdlets share beyond that is composed from the parts in Parts/.
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
        public new void WriteError(ErrorRecord errorRecord)
        {
            RecordSink.Record(errorRecord);
            OnPipelineThread(() => base.WriteError(errorRecord));
        }

        /// <summary>As <see cref="Cmdlet.WriteWarning(string)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new void WriteWarning(string text)
        {
            if (!RecordSink.Record(text))
            {
                OnPipelineThread(() => base.WriteWarning(text));
            }
        }

        /// <summary>As <see cref="Cmdlet.WriteVerbose(string)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new void WriteVerbose(string text) => OnPipelineThread(() => base.WriteVerbose(text));

        /// <summary>As <see cref="Cmdlet.WriteDebug(string)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new void WriteDebug(string text) => OnPipelineThread(() => base.WriteDebug(text));

        /// <summary>As <see cref="Cmdlet.ShouldProcess(string, string)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new bool ShouldProcess(string target, string action) => OnPipelineThread(() => base.ShouldProcess(target, action));

        /// <summary>As <see cref="Cmdlet.ThrowTerminatingError(ErrorRecord)"/>, from any thread of <see cref="ForEachConcurrently"/>.</summary>
        public new void ThrowTerminatingError(ErrorRecord errorRecord) => OnPipelineThread(() => base.ThrowTerminatingError(errorRecord));

        /// <summary>Resolves a user-supplied path the way PowerShell does: relative to the current location, no wildcards.</summary>
        internal string ResolveLiteralFilePath(string path) =>
            SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        private OperationRunner? operations;

        /// <summary>
        /// Runs an asynchronous core operation (a gateway call, a database query) for the pipeline thread
        /// (<see cref="OperationRunner"/>): its debug lines are written as they happen, Ctrl+C cancels it,
        /// and its result is returned.
        /// </summary>
        internal T RunOperation<T>(Func<Action<string>, CancellationToken, Task<T>> operation) =>
            (operations ??= new OperationRunner(CancellationToken)).Run(operation, WriteDebug);

        /// <summary>As <see cref="RunOperation{T}"/>, with the lines the operation reports handed to <paramref name="write"/> instead of the debug stream.</summary>
        internal T RunOperation<T>(Func<Action<string>, CancellationToken, Task<T>> operation, Action<string> write) =>
            (operations ??= new OperationRunner(CancellationToken)).Run(operation, write);

        /// <summary>As <see cref="RunOperation{T}"/>, with progress reported as numbers for <paramref name="writeProgress"/>.</summary>
        internal T RunOperationWithProgress<T>(Func<Action<int>, CancellationToken, Task<T>> operation, Action<int> writeProgress) =>
            (operations ??= new OperationRunner(CancellationToken)).Run(operation, writeProgress);

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

        /// <summary>Writes a non-terminating error with a stable id.</summary>
        protected void WriteError(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction = null) =>
            WriteError(ErrorRecords.Of(exception, errorId, category, target, recommendedAction));

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
