using System.Net;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// Which route answers a request, in this order: the emulator's control routes (no keys
    /// needed); then, once the request's keys pass the <see cref="GatewayAuthenticator"/>, the key
    /// check routes, the IMS registration and the merchant registry; anything else gets 404.
    /// </summary>
    internal sealed class RouteTable
    {
        private readonly ControlRoutes control;
        private readonly GatewayAuthenticator authenticator;
        private readonly ImsRegistrationRoute imsRegistration;
        private readonly MerchantRegistryRoutes registry;

        public RouteTable(EmulatorState state, ControlRoutes control)
        {
            this.control = control;
            authenticator = new GatewayAuthenticator(state);
            imsRegistration = new ImsRegistrationRoute(state);
            registry = new MerchantRegistryRoutes(state);
        }

        public Reply Route(HttpListenerRequest request, string path, string? body, EmulatorEnvironment environment, EmulatorRequest entry)
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
