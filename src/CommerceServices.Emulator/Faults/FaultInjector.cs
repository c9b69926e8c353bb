using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// The faults added for the requests that follow (<see cref="GatewayEmulator.AddFault"/> or
    /// <c>POST /_emulator/faults</c>), and the answer each kind of fault gives instead of the route's.
    /// </summary>
    internal sealed class FaultInjector
    {
        private readonly List<EmulatorFault> faults = new List<EmulatorFault>();

        public void Add(EmulatorFault fault)
        {
            lock (faults)
            {
                faults.Add(fault);
            }
        }

        public void Clear()
        {
            lock (faults)
            {
                faults.Clear();
            }
        }

        /// <summary>The first fault that matches the request and still has a count left, which it uses up.</summary>
        public EmulatorFault? Match(string method, string path, EmulatorEnvironment environment)
        {
            lock (faults)
            {
                return faults.FirstOrDefault(f => f.TryApply(method, path, environment));
            }
        }

        /// <summary>The answer of a fault that answers in place of the route (every kind but Latency and DropConnection).</summary>
        public static Reply ReplyFor(EmulatorFault fault)
        {
            switch (fault.Kind)
            {
                case FaultKind.TooManyRequests:
                    return Reply.Error(429, "Too Many Requests", "Too many requests").WithRetryAfter(fault.RetryAfterSeconds);
                case FaultKind.ServiceUnavailable:
                    return Reply.Error(503, "Service Unavailable", "Service unavailable").WithRetryAfter(fault.RetryAfterSeconds);
                case FaultKind.InternalServerError:
                    return Reply.Error(500, "Internal Server Error", "Internal server error");
                case FaultKind.MalformedJson:
                    return new Reply(200, "{\"results\": [ {\"projectId\": ", "application/json");
                case FaultKind.MessageBody:
                    return Reply.Json(200, new JsonObject { ["message"] = fault.Message });
                default:
                    throw new InvalidOperationException("Unhandled fault " + fault.Kind);
            }
        }

        /// <summary>
        /// Breaks the connection mid-answer: headers promise a body that never comes.
        /// (HttpListener cannot reset a connection before answering.)
        /// </summary>
        public static async Task DropConnectionAsync(HttpListenerResponse response)
        {
            response.StatusCode = 200;
            response.ContentType = "application/json";
            response.ContentLength64 = 4096;
            byte[] start = Encoding.UTF8.GetBytes("{\"results\": [");
            await response.OutputStream.WriteAsync(start).ConfigureAwait(false);
            await response.OutputStream.FlushAsync().ConfigureAwait(false);
            response.Abort();
        }
    }
}
