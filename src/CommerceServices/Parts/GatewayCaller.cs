using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Gateway;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// The one way a cmdlet calls the gateway: a client for a key pair at a gateway (following an
    /// instance's key-check and registry settings when given), run through the cmdlet's operation runner
    /// (debug lines as they happen, Ctrl+C), and a gateway failure written as that call's error record.
    /// </summary>
    internal sealed class GatewayCaller
    {
        private readonly CommerceCmdlet cmdlet;

        public GatewayCaller(CommerceCmdlet cmdlet)
        {
            this.cmdlet = cmdlet;
        }

        /// <summary>A proxy to use instead of the system proxy (the cmdlet's -Proxy).</summary>
        public Uri? Proxy { get; set; }

        /// <summary>
        /// Runs one gateway call with <paramref name="keyPair"/> at <paramref name="gateway"/> (validated
        /// already); false after writing the gateway's failure as the error of <paramref name="target"/>.
        /// </summary>
        public bool TryCall<T>(ApiKeyPair keyPair, Uri gateway, GatewayRoutes? routes, Func<GatewayClient, CancellationToken, Task<T>> call, object? target, out T result)
        {
            try
            {
                result = Call(keyPair, gateway, routes, call);
                return true;
            }
            catch (GatewayException ex)
            {
                cmdlet.WriteError(ErrorRecords.ForGateway(ex, target));
                result = default!;
                return false;
            }
        }

        /// <summary>Runs one gateway call; a gateway failure is thrown as it is, for callers that word it themselves.</summary>
        /// <exception cref="GatewayException">The gateway refused or failed.</exception>
        public T Call<T>(ApiKeyPair keyPair, Uri gateway, GatewayRoutes? routes, Func<GatewayClient, CancellationToken, Task<T>> call)
        {
            var options = new GatewayOptions { Proxy = Proxy == null ? null : new WebProxy(Proxy) };
            return cmdlet.RunOperation((debug, token) => call(new GatewayClient(keyPair, options, debug, gateway, routes), token));
        }

        /// <summary>
        /// The gateway to call: <paramref name="gatewayUri"/> when given, else Adobe's for the
        /// environment. An http URI that is not loopback is an invalid invocation (terminating).
        /// </summary>
        public Uri Validate(Uri? gatewayUri, GatewayEnvironment environment)
        {
            try
            {
                return GatewayOptions.Validate(gatewayUri ?? new GatewayOptions().UriFor(environment));
            }
            catch (ArgumentException ex)
            {
                cmdlet.ThrowTerminatingError(new System.Management.Automation.ErrorRecord(ex, "InvalidGatewayUri", System.Management.Automation.ErrorCategory.InvalidArgument, gatewayUri));
                throw;
            }
        }
    }
}
