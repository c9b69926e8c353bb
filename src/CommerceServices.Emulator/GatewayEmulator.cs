using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// A local emulator of the Commerce Services gateway (production and sandbox, each on its own
    /// loopback port) and of the API Portal that issues key pairs.
    /// Facts it follows are in reference/protocol.md §2–4; where the real gateway's answer is not
    /// public, the code says "Assumption".
    /// </summary>
    public sealed class GatewayEmulator : IDisposable
    {
        private readonly EmulatorState state;
        private readonly ApiPortal portal;
        private readonly GatewayAuthenticator authenticator;
        private readonly ControlRoutes control;
        private readonly ImsRegistrationRoute imsRegistration;
        private readonly MerchantRegistryRoutes registry;
        private readonly List<HttpListener> listeners = new List<HttpListener>();
        private readonly List<EmulatorRequest> requests = new List<EmulatorRequest>();
        private readonly FaultInjector faults = new FaultInjector();
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private readonly List<Task> loops = new List<Task>();
        private int disposed;

        private GatewayEmulator(EmulatorOptions options)
        {
            state = EmulatorState.Open(options.StatePath);
            portal = new ApiPortal(state);
            authenticator = new GatewayAuthenticator(state);
            control = new ControlRoutes(this);
            imsRegistration = new ImsRegistrationRoute(state);
            registry = new MerchantRegistryRoutes(state);
            StatePath = options.StatePath;
            ProductionUri = Listen(options.Address, options.ProductionPort, EmulatorEnvironment.Production);
            SandboxUri = Listen(options.Address, options.SandboxPort, EmulatorEnvironment.Sandbox);
        }

        /// <summary>The emulated https://commerce.adobe.io/.</summary>
        public Uri ProductionUri { get; }

        /// <summary>The emulated https://commerce-beta.adobe.io/.</summary>
        public Uri SandboxUri { get; }

        public string? StatePath { get; }

        public bool IsRunning => Volatile.Read(ref disposed) == 0;

        /// <summary>Every request received so far, oldest first.</summary>
        public IReadOnlyList<EmulatorRequest> Requests
        {
            get
            {
                lock (requests)
                {
                    return requests.ToArray();
                }
            }
        }

        /// <summary>Starts an emulator; with default options on two free loopback ports, state in memory.</summary>
        public static GatewayEmulator Start(EmulatorOptions? options = null) => new GatewayEmulator(options ?? new EmulatorOptions());

        /// <summary>The emulated gateway of <paramref name="environment"/>.</summary>
        public Uri UriFor(EmulatorEnvironment environment) => environment == EmulatorEnvironment.Production ? ProductionUri : SandboxUri;

        /// <summary>
        /// Plays the API Portal: issues a new key pair for the account and environment and returns
        /// the private key once. A previous pair of the same account and environment is revoked (R3).
        /// The account is created on first use; its edition cannot change later.
        /// </summary>
        public IssuedKeyPair IssueKeyPair(string mageId, CommerceEdition edition, EmulatorEnvironment environment) =>
            portal.Issue(mageId, edition, environment, UriFor(environment));

        /// <summary>Revokes a key without issuing a new one.</summary>
        public void RevokeKey(string apiKey) => portal.Revoke(apiKey);

        /// <summary>Adds a fault for the requests that follow.</summary>
        public EmulatorFault AddFault(EmulatorFault fault)
        {
            faults.Add(fault);
            return fault;
        }

        public void ClearFaults() => faults.Clear();

        public void ClearRequests()
        {
            lock (requests)
            {
                requests.Clear();
            }
        }

        /// <summary>The projects of an account, as the registry holds them (for assertions).</summary>
        public IReadOnlyList<EmulatedProject> ProjectsOf(string mageId, EmulatorEnvironment environment)
        {
            lock (state.Gate)
            {
                return state.ProjectsOf(mageId, environment).ToArray();
            }
        }

        /// <summary>Stops listening. Requests in flight are dropped.</summary>
        public void Stop() => Dispose();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }

            stopping.Cancel();
            foreach (HttpListener listener in listeners)
            {
                try
                {
                    listener.Stop();
                    listener.Close();
                }
                catch (Exception ex) when (ex is ObjectDisposedException || ex is HttpListenerException)
                {
                    // The managed HttpListener may look its port up again while closing and find it
                    // taken by another listener by then; the listener is stopped either way.
                }
            }

            try
            {
                Task.WaitAll(loops.ToArray(), TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            stopping.Dispose();
        }

        public override string ToString() => "Commerce Services emulator: production " + ProductionUri + ", sandbox " + SandboxUri;

        private Uri Listen(IPAddress address, int port, EmulatorEnvironment environment)
        {
            // HttpListener cannot pick a port itself: ask the OS for a free one, then bind to it,
            // trying again if another process took it in between.
            for (int attempt = 0; ; attempt++)
            {
                int chosen = port != 0 ? port : FreePort(address);
                string host = address.Equals(IPAddress.Any) ? "+" : address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();
                var listener = new HttpListener();
                listener.Prefixes.Add("http://" + host + ":" + chosen + "/");
                try
                {
                    listener.Start();
                }
                catch (HttpListenerException) when (port == 0 && attempt < 10)
                {
                    listener.Close();
                    continue;
                }

                listeners.Add(listener);
                loops.Add(Task.Run(() => AcceptLoop(listener, environment)));
                string uriHost = address.Equals(IPAddress.Any) ? IPAddress.Loopback.ToString() : host;
                return new Uri("http://" + uriHost + ":" + chosen + "/");
            }
        }

        private static int FreePort(IPAddress address)
        {
            var probe = new TcpListener(address.Equals(IPAddress.Any) ? IPAddress.Loopback : address, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private async Task AcceptLoop(HttpListener listener, EmulatorEnvironment environment)
        {
            while (!stopping.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpListenerException || ex is ObjectDisposedException || ex is InvalidOperationException)
                {
                    return;
                }

                _ = Task.Run(() => HandleAsync(context, environment));
            }
        }

        private async Task HandleAsync(HttpListenerContext context, EmulatorEnvironment environment)
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
            lock (requests)
            {
                requests.Add(entry);
            }

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
                        await Task.Delay(fault.Delay, stopping.Token).ConfigureAwait(false);
                        reply = Route(request, path, body, environment, entry);
                    }
                    else
                    {
                        reply = FaultInjector.ReplyFor(fault);
                    }
                }
                else
                {
                    reply = Route(request, path, body, environment, entry);
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

        private Reply Route(HttpListenerRequest request, string path, string? body, EmulatorEnvironment environment, EmulatorRequest entry)
        {
            if (ControlRoutes.IsControlPath(path))
            {
                return control.Handle(request, path, body);
            }

            if (!authenticator.TryAuthenticate(request, environment, entry, out EmulatedKey? key, out Reply? rejection))
            {
                return rejection;
            }

            string method = request.HttpMethod;
            return KeyCheckRoutes.TryHandle(method, path)
                ?? imsRegistration.TryHandle(request, path, body, key)
                ?? registry.TryHandle(method, path, body, key)
                ?? Reply.Error(404, "Not Found", "No route for " + method + " " + path);
        }
    }
}
