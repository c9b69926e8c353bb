using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Runs an asynchronous core operation (a gateway call, a database query, a fleet test) for the
    /// pipeline thread, the one message pump of the module: what the operation reports on the way
    /// (debug lines, progress) is written as it happens, Ctrl+C cancels it, and its result is returned.
    /// </summary>
    internal sealed class OperationRunner
    {
        private readonly CancellationToken stopping;

        public OperationRunner(CancellationToken stopping)
        {
            this.stopping = stopping;
        }

        /// <summary>
        /// Runs <paramref name="operation"/>, handing each message it reports to <paramref name="write"/> on
        /// the calling thread, and returns its result. If writing fails (for example $DebugPreference = 'Stop'),
        /// the operation is cancelled and awaited, so it never goes on unseen.
        /// </summary>
        public T Run<TMessage, T>(Func<Action<TMessage>, CancellationToken, Task<T>> operation, Action<TMessage> write)
        {
            using (var operationStop = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            using (var messages = new BlockingCollection<TMessage>())
            {
                Task<T> task = operation(message => messages.TryAdd(message), operationStop.Token);
                task.ContinueWith(_ => messages.CompleteAdding(), TaskScheduler.Default);
                try
                {
                    foreach (TMessage message in messages.GetConsumingEnumerable())
                    {
                        write(message);
                    }

                    return task.GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
                finally
                {
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
    }
}
