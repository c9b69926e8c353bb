using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Runs a cmdlet's per-instance work on up to -ThrottleLimit threads while everything that talks to
    /// PowerShell (WriteObject, WriteError, WriteVerbose, WriteWarning, WriteDebug, ShouldProcess,
    /// ThrowTerminatingError) still happens on the pipeline thread, where PowerShell requires it: a worker
    /// hands such a call to the pipeline thread and waits for it (<see cref="OnPipelineThread{T}"/>). Each
    /// item is done from start to end on one worker, so it keeps the guarantees it has when run alone; items
    /// finish, and write, in the order they finish. A terminating error or Ctrl+C lets running items end and
    /// starts no new one.
    /// </summary>
    internal sealed class ConcurrentWrites
    {
        private readonly BlockingCollection<Action> pipelineCalls = new BlockingCollection<Action>();
        private readonly Thread pipelineThread = Thread.CurrentThread;
        private int stopped;

        private ConcurrentWrites()
        {
        }

        /// <summary>
        /// Runs <paramref name="work"/> for each item, at most <paramref name="throttleLimit"/> at once; one at a
        /// time on the pipeline thread itself when the limit is 1 or there is one item.
        /// </summary>
        /// <param name="runningOn">Set to the runner while it runs, so the cmdlet's calls find it; null afterwards.</param>
        public static void ForEach<T>(IReadOnlyList<T> items, int throttleLimit, Action<ConcurrentWrites?> runningOn, Action<T> work)
        {
            if (throttleLimit <= 1 || items.Count <= 1)
            {
                foreach (T item in items)
                {
                    work(item);
                }

                return;
            }

            var runner = new ConcurrentWrites();
            Runspace runspace = Runspace.DefaultRunspace;
            int next = -1;
            int workers = Math.Min(throttleLimit, items.Count);
            int running = workers;
            ExceptionDispatchInfo? failure = null;
            var threads = new List<Thread>();
            for (int w = 0; w < workers; w++)
            {
                var thread = new Thread(() =>
                {
                    // The module keeps its per-runspace state (connections, pipeline cache) by the thread's default runspace.
                    Runspace.DefaultRunspace = runspace;
                    try
                    {
                        int index;
                        while (Volatile.Read(ref runner.stopped) == 0 && (index = Interlocked.Increment(ref next)) < items.Count)
                        {
                            work(items[index]);
                        }
                    }
                    catch (Exception ex)
                    {
                        Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(ex), null);
                        Interlocked.Exchange(ref runner.stopped, 1);
                    }
                    finally
                    {
                        if (Interlocked.Decrement(ref running) == 0)
                        {
                            runner.pipelineCalls.CompleteAdding();
                        }
                    }
                })
                {
                    IsBackground = true,
                    Name = "CommerceServices writer " + w,
                };
                threads.Add(thread);
            }

            runningOn(runner);
            try
            {
                foreach (Thread thread in threads)
                {
                    thread.Start();
                }

                // Every call a worker hands over is run here, even after a failure or Ctrl+C, so no worker waits forever;
                // on a stopped pipeline those calls throw, and the worker's item ends with that exception.
                foreach (Action call in runner.pipelineCalls.GetConsumingEnumerable())
                {
                    call();
                }

                foreach (Thread thread in threads)
                {
                    thread.Join();
                }
            }
            finally
            {
                runningOn(null);
                runner.pipelineCalls.Dispose();
            }

            failure?.Throw();
        }

        /// <summary>Runs <paramref name="call"/> on the pipeline thread and returns its result (or throws its exception) to the caller's thread.</summary>
        public T OnPipelineThread<T>(Func<T> call)
        {
            if (Thread.CurrentThread == pipelineThread)
            {
                return call();
            }

            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            pipelineCalls.Add(() =>
            {
                try
                {
                    done.SetResult(call());
                }
                catch (Exception ex)
                {
                    done.SetException(ex);
                }
            });
            return done.Task.GetAwaiter().GetResult();
        }
    }
}
