using System;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// Answers one request: reads its body, logs it in the <see cref="RequestLog"/>, applies the
    /// first matching fault (none applies to the control routes) or else lets the
    /// <see cref="RouteTable"/> answer, and writes the answer. A failure of the emulator itself
    /// answers 500.
    /// </summary>
    internal sealed class RequestDispatcher
    {
        private readonly RouteTable routes;
        private readonly RequestLog log;
        private readonly FaultInjector faults;
        private readonly CancellationToken stopping;

        public RequestDispatcher(RouteTable routes, RequestLog log, FaultInjector faults, CancellationToken stopping)
        {
            this.routes = routes;
            this.log = log;
            this.faults = faults;
            this.stopping = stopping;
        }

        public async Task HandleAsync(HttpListenerContext context, EmulatorEnvironment environment)
        {
            HttpListenerRequest request = context.Request;
            string path = request.Url!.AbsolutePath;
            string? body = null;
            if (request.HasEntityBody)
            {
                using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
                body = await reader.ReadToEndAsync().ConfigureAwait(false);
            }

            var entry = new EmulatorRequest(DateTimeOffset.UtcNow, environment, request.HttpMethod, request.Url.PathAndQuery, request.Headers["x-api-key"], body, request.UserAgent, request.Headers["Content-Type"]);
            log.Add(entry);

            try
            {
                Reply reply;
                EmulatorFault? fault = ControlRoutes.IsControlPath(path) ? null : faults.Match(request.HttpMethod, path, environment);
                if (fault != null)
                {
                    entry.Fault = fault.Kind;
                    if (fault.Kind == FaultKind.DropConnection)
                    {
                        entry.Status = 0;
                        await FaultInjector.DropConnectionAsync(context.Response).ConfigureAwait(false);
                        return;
                    }

                    if (fault.Kind == FaultKind.Latency)
                    {
                        await Task.Delay(fault.Delay, stopping).ConfigureAwait(false);
                        reply = routes.Route(request, path, body, environment, entry);
                    }
                    else
                    {
                        reply = FaultInjector.ReplyFor(fault);
                    }
                }
                else
                {
                    reply = routes.Route(request, path, body, environment, entry);
                }

                entry.Status = reply.Status;
                await reply.WriteToAsync(context.Response).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                context.Response.Abort();
            }
            catch (HttpListenerException)
            {
                // The client went away.
            }
            catch (Exception ex)
            {
                entry.Status = 500;
                try
                {
                    await Reply.Error(500, "Internal Server Error", "Emulator failure: " + ex.Message).WriteToAsync(context.Response).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    context.Response.Abort();
                }
            }
        }
    }
}
