using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// The HTTP listener of one gateway environment: binds its port (a free one when asked for 0)
    /// and hands every request to the <see cref="RequestDispatcher"/> until it is closed.
    /// </summary>
    internal sealed class GatewayListener
    {
        private readonly HttpListener listener;

        private GatewayListener(HttpListener listener, Uri uri, Task acceptLoop)
        {
            this.listener = listener;
            Uri = uri;
            AcceptLoop = acceptLoop;
        }

        /// <summary>The address clients call, on loopback when listening on every address.</summary>
        public Uri Uri { get; }

        /// <summary>The loop that accepts requests; it ends once the listener is closed.</summary>
        public Task AcceptLoop { get; }

        public static GatewayListener Start(IPAddress address, int port, EmulatorEnvironment environment, RequestDispatcher dispatcher, CancellationToken stopping)
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

                Task acceptLoop = Task.Run(() => AcceptAsync(listener, environment, dispatcher, stopping));
                string uriHost = address.Equals(IPAddress.Any) ? IPAddress.Loopback.ToString() : host;
                return new GatewayListener(listener, new Uri("http://" + uriHost + ":" + chosen + "/"), acceptLoop);
            }
        }

        /// <summary>Stops listening; requests in flight are dropped.</summary>
        public void Close()
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

        private static int FreePort(IPAddress address)
        {
            var probe = new TcpListener(address.Equals(IPAddress.Any) ? IPAddress.Loopback : address, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private static async Task AcceptAsync(HttpListener listener, EmulatorEnvironment environment, RequestDispatcher dispatcher, CancellationToken stopping)
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

                _ = Task.Run(() => dispatcher.HandleAsync(context, environment));
            }
        }
    }
}
