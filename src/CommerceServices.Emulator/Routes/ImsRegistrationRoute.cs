using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// <c>POST /cabp-org/registration</c>: registers one of the key's account's data spaces with
    /// Adobe IMS. Fact: body <c>{"redirectUrl"}</c> with header <c>Magento-Environment-Id</c>; the
    /// answer needs an id. Assumption: the id and organizationId formats.
    /// </summary>
    internal sealed class ImsRegistrationRoute
    {
        private readonly EmulatorState state;

        public ImsRegistrationRoute(EmulatorState state)
        {
            this.state = state;
        }

        /// <summary>The answer, or null when the request is not an IMS registration.</summary>
        public Reply? TryHandle(HttpListenerRequest request, string path, string? body, EmulatedKey key)
        {
            if (request.HttpMethod != "POST" || path != "/cabp-org/registration")
            {
                return null;
            }

            string? environmentId = request.Headers["Magento-Environment-Id"];
            if (RegistryJson.ReadName(body, "redirectUrl") == null || string.IsNullOrEmpty(environmentId))
            {
                return Reply.Error(400, "Bad Request", "redirectUrl and Magento-Environment-Id are required");
            }

            lock (state.Gate)
            {
                if (!state.ProjectsOf(key.MageId, key.Environment).Any(p => p.DataSpaces.Any(d => d.EnvironmentId == environmentId)))
                {
                    return Reply.Error(404, "Not Found", "Environment not found");
                }
            }

            return Reply.Json(200, new JsonObject
            {
                ["id"] = RegistryJson.NewId(),
                ["organizationId"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)) + "@AdobeOrg",
            });
        }
    }
}
