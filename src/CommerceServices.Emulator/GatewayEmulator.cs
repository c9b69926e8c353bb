using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// A local emulator of the Commerce Services gateway (production and sandbox, each on its own
    /// loopback port) and of the API Portal that issues key pairs. It answers as Magento's connector
    /// expects the gateway to; where the real gateway's answer is not public, the code says
    /// "Assumption".
    /// <para>
    /// Where each part lives: Http/ (the listeners, the dispatching and logging of a request, the
    /// answer), Routes/ (which route answers, the control routes, the key check, the IMS
    /// registration, and Registry/ with the projects and data spaces), Authentication/ (API keys and
    /// signatures), Faults/ (fault injection), Portal/ (key pairs issued and saved), State/ (what the
    /// emulator remembers).
    /// </para>
    /// </summary>
    public sealed class GatewayEmulator : IDisposable
    {
        private readonly EmulatorState state;
        private readonly ApiPortal portal;
        private readonly RequestLog log = new RequestLog();
        private readonly FaultInjector faults = new FaultInjector();
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private readonly List<GatewayListener> listeners = new List<GatewayListener>();
        private int disposed;

        private GatewayEmulator(EmulatorOptions options)
        {
            state = EmulatorState.Open(options.StatePath);
            portal = new ApiPortal(state);
            var dispatcher = new RequestDispatcher(new RouteTable(state, new ControlRoutes(this)), log, faults, stopping.Token);
            StatePath = options.StatePath;
            ProductionUri = Listen(options.Address, options.ProductionPort, EmulatorEnvironment.Production, dispatcher);
            SandboxUri = Listen(options.Address, options.SandboxPort, EmulatorEnvironment.Sandbox, dispatcher);
        }

        /// <summary>The emulated https://commerce.adobe.io/.</summary>
        public Uri ProductionUri { get; }

        /// <summary>The emulated https://commerce-beta.adobe.io/.</summary>
        public Uri SandboxUri { get; }

        public string? StatePath { get; }

        public bool IsRunning => Volatile.Read(ref disposed) == 0;

        /// <summary>Every request received so far, oldest first.</summary>
        public IReadOnlyList<EmulatorRequest> Requests => log.ToArray();

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

        public void ClearRequests() => log.Clear();

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
            foreach (GatewayListener listener in listeners)
            {
                listener.Close();
            }

            try
            {
                Task.WaitAll(listeners.Select(l => l.AcceptLoop).ToArray(), TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            stopping.Dispose();
        }

        public override string ToString() => "Commerce Services emulator: production " + ProductionUri + ", sandbox " + SandboxUri;

        private Uri Listen(IPAddress address, int port, EmulatorEnvironment environment, RequestDispatcher dispatcher)
        {
            GatewayListener listener = GatewayListener.Start(address, port, environment, dispatcher, stopping.Token);
            listeners.Add(listener);
            return listener.Uri;
        }
    }
}
