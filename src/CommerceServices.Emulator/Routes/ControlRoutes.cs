using System;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;

namespace CommerceServices.Emulator
{
    /// <summary>
    /// The emulator's own routes below <c>/_emulator/</c>, for tests that drive an emulator in
    /// another process (Pester against <c>dotnet run</c>); not part of the gateway. They answer
    /// requests from this machine only, need no keys, and no fault applies to them:
    /// <list type="bullet">
    /// <item><c>POST /_emulator/keys</c> <c>{"mageId","edition","environment"}</c>: issues a key pair (<see cref="GatewayEmulator.IssueKeyPair"/>).</item>
    /// <item><c>GET /_emulator/requests</c>: the request log, without the control requests.</item>
    /// <item><c>POST /_emulator/faults</c> <c>{"kind","count","method","pathPattern","retryAfterSeconds","delayMilliseconds"}</c>: adds a fault.</item>
    /// <item><c>DELETE /_emulator/faults</c>: clears the faults.</item>
    /// </list>
    /// </summary>
    internal sealed class ControlRoutes
    {
        private const string Prefix = "/_emulator/";
        private readonly GatewayEmulator emulator;

        public ControlRoutes(GatewayEmulator emulator)
        {
            this.emulator = emulator;
        }

        public static bool IsControlPath(string path) => path.StartsWith(Prefix, StringComparison.Ordinal);

        public Reply Handle(HttpListenerRequest request, string path, string? body)
        {
            if (!IPAddress.IsLoopback(request.RemoteEndPoint.Address))
            {
                return Reply.Error(403, "Forbidden", "Emulator control is available from this machine only");
            }

            if (request.HttpMethod == "POST" && path == Prefix + "keys")
            {
                return IssueKey(Parse(body));
            }

            if (request.HttpMethod == "GET" && path == Prefix + "requests")
            {
                return ListRequests();
            }

            if (request.HttpMethod == "POST" && path == Prefix + "faults")
            {
                return AddFault(Parse(body));
            }

            if (request.HttpMethod == "DELETE" && path == Prefix + "faults")
            {
                emulator.ClearFaults();
                return new Reply(204, string.Empty, "text/plain");
            }

            return Reply.Error(404, "Not Found", "No emulator control route " + request.HttpMethod + " " + path);
        }

        private static JsonNode? Parse(string? body) => body == null ? null : JsonNode.Parse(body);

        private Reply IssueKey(JsonNode? input)
        {
            string? mageId = input?["mageId"]?.GetValue<string>();
            if (mageId == null
                || !Enum.TryParse(input?["edition"]?.GetValue<string>(), true, out CommerceEdition edition)
                || !Enum.TryParse(input?["environment"]?.GetValue<string>(), true, out EmulatorEnvironment environment))
            {
                return Reply.Error(400, "Bad Request", "mageId, edition (AdobeCommerce|MagentoOpenSource) and environment (Production|Sandbox) are required");
            }

            IssuedKeyPair pair = emulator.IssueKeyPair(mageId, edition, environment);
            return Reply.Json(200, new JsonObject
            {
                ["mageId"] = pair.MageId,
                ["edition"] = pair.Edition.ToString(),
                ["environment"] = pair.Environment.ToString(),
                ["apiKey"] = pair.ApiKey,
                ["privateKey"] = pair.PrivateKeyPem,
                ["gatewayUri"] = pair.GatewayUri.ToString(),
            });
        }

        private Reply ListRequests()
        {
            var list = new JsonArray(emulator.Requests.Where(r => !IsControlPath(r.Path)).Select(r => (JsonNode)new JsonObject
            {
                ["time"] = r.Time.ToString("o"),
                ["environment"] = r.Environment.ToString(),
                ["method"] = r.Method,
                ["path"] = r.Path,
                ["status"] = r.Status,
                ["fault"] = r.Fault?.ToString(),
                ["rejection"] = r.Rejection,
                ["contentType"] = r.ContentType,
            }).ToArray());
            return Reply.Json(200, new JsonObject { ["requests"] = list });
        }

        private Reply AddFault(JsonNode? input)
        {
            if (!Enum.TryParse(input?["kind"]?.GetValue<string>(), true, out FaultKind kind))
            {
                return Reply.Error(400, "Bad Request", "kind is required: " + string.Join(", ", Enum.GetNames<FaultKind>()));
            }

            var fault = new EmulatorFault(kind, input?["count"]?.GetValue<int>() ?? 1)
            {
                Method = input?["method"]?.GetValue<string>(),
                PathPattern = input?["pathPattern"]?.GetValue<string>(),
                RetryAfterSeconds = input?["retryAfterSeconds"]?.GetValue<int>() ?? 1,
                Delay = TimeSpan.FromMilliseconds(input?["delayMilliseconds"]?.GetValue<int>() ?? 1000),
            };
            emulator.AddFault(fault);
            return Reply.Json(200, new JsonObject { ["kind"] = kind.ToString(), ["count"] = fault.Count });
        }
    }
}
