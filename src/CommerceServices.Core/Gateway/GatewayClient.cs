using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Keys;
using CommerceServices.Saas;

namespace CommerceServices.Gateway
{
    /// <summary>
    /// Talks to one Commerce Services gateway with one key pair, as the Magento connector does:
    /// <c>x-api-key</c>, <c>magento-api-key</c> and a fresh <c>x-gw-signature</c> on every request.
    /// Retries idempotent requests (honouring Retry-After on 429/503) within a bounded number of
    /// attempts and time; never retries POST or PATCH. Failures become <see cref="GatewayException"/>s.
    /// Where each request goes on the gateway follows the connector's settings (<see cref="GatewayRoutes"/>).
    /// </summary>
    public sealed class GatewayClient
    {
        private static readonly ConcurrentDictionary<string, HttpClient> Clients = new ConcurrentDictionary<string, HttpClient>();
        private static readonly string UserAgent = "CommerceServices/" + typeof(GatewayClient).Assembly.GetName().Version!.ToString(3) + " (PowerShell module; +https://github.com/commerceservices/CommerceServicesPS)";

        private readonly ApiKeyPair keyPair;
        private readonly GatewayOptions options;
        private readonly GatewayRoutes routes;
        private readonly Action<string>? debug;
        private readonly HttpClient http;

        /// <param name="keyPair">The key pair; its environment chooses the gateway.</param>
        /// <param name="options">Gateway URIs, timeouts, retries and proxy.</param>
        /// <param name="debug">Receives one line per attempt: method, URL, status, attempt, time. Never a header value.</param>
        /// <param name="gatewayUri">Overrides the base URI of the key pair's environment (an emulator, for example).</param>
        /// <param name="routes">The key-check and registry paths of the instance the pair belongs to; the connector's defaults when null.</param>
        public GatewayClient(ApiKeyPair keyPair, GatewayOptions? options = null, Action<string>? debug = null, Uri? gatewayUri = null, GatewayRoutes? routes = null)
        {
            this.keyPair = keyPair ?? throw new ArgumentNullException(nameof(keyPair));
            this.options = options ?? new GatewayOptions();
            this.routes = routes ?? GatewayRoutes.Default;
            this.debug = debug;
            BaseUri = GatewayOptions.Validate(gatewayUri ?? this.options.UriFor(keyPair.Environment));
            http = SharedClient(BaseUri, this.options.Proxy);
        }

        /// <summary>The gateway this client calls.</summary>
        public Uri BaseUri { get; }

        /// <summary>The gateway environment of the key pair.</summary>
        public GatewayEnvironment Environment => keyPair.Environment;

        /// <summary>The key-check and registry paths this client follows.</summary>
        public GatewayRoutes Routes => routes;

        /// <summary>
        /// The connector's key check: GET the URL <see cref="GatewayRoutes.KeyCheckUri"/> names
        /// (with Adobe's gateways and the default settings, /merchant-registry/v1/ping on production
        /// and /merchant-registry/index.html on the sandbox's CloudFront host), without a Content-Type.
        /// True for exactly HTTP 200, false for any other answer but a redirect, which is no answer of the gateway's
        /// (a captive portal's), never followed, and a <see cref="GatewayProtocolException"/>. With no key-check URL configured
        /// the connector asks nothing and counts the pair as valid, and so does this.
        /// </summary>
        /// <exception cref="GatewayUnavailableException">The gateway could not answer.</exception>
        /// <exception cref="GatewayConfigurationException">The key-check setting is not a URL, or would send the keys over plain http to another machine.</exception>
        /// <exception cref="GatewayProtocolException">The key check was answered with a redirect.</exception>
        public async Task<bool> CheckApiKeyAsync(CancellationToken cancellationToken)
        {
            Uri? url = Route(() => routes.KeyCheckUri(keyPair.Environment, BaseUri), "key-check");
            if (url == null)
            {
                debug?.Invoke("No key-check URL is configured for the " + Environment + " gateway " + Shown(BaseUri) + ": like the connector, the pair counts as valid without a request.");
                return true;
            }

            using (HttpResponseMessage response = await SendAsync(HttpMethod.Get, url, null, cancellationToken, rejectionIsAnswer: true, jsonRequest: false).ConfigureAwait(false))
            {
                int status = (int)response.StatusCode;
                if (status >= 300 && status < 400)
                {
                    // Not the gateway's answer: a captive portal or a sign-in proxy answers so, and the connector (Guzzle)
                    // would follow it with the signed headers and take the portal's 200 for valid keys. Never followed here.
                    string to = response.Headers.Location == null ? "nowhere" : response.Headers.Location.IsAbsoluteUri ? response.Headers.Location.Host : "another path";
                    throw Protocol(
                        "The key check " + Shown(url) + " was answered with a redirect (HTTP " + status + ") to " + to + ", not by the gateway: a captive portal or a proxy that asks to sign in answers this way. "
                        + "The redirect was not followed, so the keys went nowhere else. Check this machine's network path (or proxy) to the gateway, or the instance's key-check settings, and try again.",
                        response.StatusCode,
                        RequestIdOf(response));
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return false;
                }

                // The connector's key check reads no body, but wherever it reads one, these two mean
                // "keys not valid" (ServicesClient): a 200 that says so is a refusal here, not a pass.
                // Any other body passes, as for the connector (the CloudFront check answers a web page).
                string text = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                return !IsKeyRejection(text);
            }
        }

        /// <summary>
        /// Tells the registry which Adobe Commerce Cloud project a data space belongs to, as
        /// Magento does after saving services_id/environment_id on Cloud (SetCloudIdOnConfigSave).
        /// </summary>
        /// <exception cref="DataSpaceNotFoundException">No such data space for this key pair.</exception>
        public Task AttachCloudProjectAsync(string dataSpaceId, string cloudProjectId, CancellationToken cancellationToken) =>
            RequestAcceptedAsync(new HttpMethod("PUT"), "registry/environments/" + Escape(dataSpaceId) + "/cloudid/" + Escape(cloudProjectId), NotFound.DataSpace(dataSpaceId), cancellationToken);

        /// <summary>
        /// Registers a feature for a data space, as Live Search does (PREMIUM_SEARCH) after
        /// services_id/environment_id is saved (RegisterMerchantOnConfigValueSave).
        /// </summary>
        /// <exception cref="DataSpaceNotFoundException">No such data space for this key pair.</exception>
        public Task EnableFeatureAsync(string dataSpaceId, string feature, CancellationToken cancellationToken) =>
            RequestAcceptedAsync(new HttpMethod("PUT"), "registry/environments/" + Escape(dataSpaceId) + "/feature/" + Escape(feature), NotFound.DataSpace(dataSpaceId), cancellationToken);

        /// <summary>Every project reachable with the key pair, with its data spaces.</summary>
        public async Task<IReadOnlyList<SaasProject>> GetProjectsAsync(CancellationToken cancellationToken)
        {
            JsonElement body = await RequestJsonAsync(HttpMethod.Get, "registry", null, null, cancellationToken).ConfigureAwait(false);
            return Group(ReadRows(body, "the project list"));
        }

        /// <summary>One project with its data spaces.</summary>
        /// <exception cref="ProjectNotFoundException">No such project for this key pair.</exception>
        public async Task<SaasProject> GetProjectAsync(string projectId, CancellationToken cancellationToken)
        {
            JsonElement body = await RequestJsonAsync(HttpMethod.Get, "registry/projects/" + Escape(projectId), null, NotFound.Project(projectId), cancellationToken).ConfigureAwait(false);
            return SingleProject(body, projectId);
        }

        /// <summary>One data space with its project.</summary>
        /// <exception cref="DataSpaceNotFoundException">No such data space for this key pair.</exception>
        public async Task<SaasDataSpace> GetDataSpaceAsync(string dataSpaceId, CancellationToken cancellationToken)
        {
            JsonElement body = await RequestJsonAsync(HttpMethod.Get, "registry/environments/" + Escape(dataSpaceId), null, NotFound.DataSpace(dataSpaceId), cancellationToken).ConfigureAwait(false);
            return ReadDataSpace(body, "the data space");
        }

        /// <summary>Creates a project; the registry adds its data spaces by the account's edition (R5). Not retried.</summary>
        public async Task<SaasProject> CreateProjectAsync(string name, CancellationToken cancellationToken)
        {
            JsonElement body = await RequestJsonAsync(HttpMethod.Post, "registry/initialize", Json("projectName", name), null, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<SaasProject> projects = Group(ReadRows(body, "the new project"));
            if (projects.Count != 1)
            {
                throw Protocol("The gateway answered the creation of project '" + name + "' with " + projects.Count + " projects instead of one.", null, null);
            }

            return projects[0];
        }

        /// <summary>
        /// Renames a project (only its label changes, R9). Not retried. The project is read back
        /// afterwards, so the answer does not depend on which fields the rename reply carries.
        /// </summary>
        public async Task<SaasProject> RenameProjectAsync(string projectId, string newName, CancellationToken cancellationToken)
        {
            await RequestJsonAsync(new HttpMethod("PATCH"), "registry/projects/" + Escape(projectId), Json("projectName", newName), NotFound.Project(projectId), cancellationToken).ConfigureAwait(false);
            return await GetProjectAsync(projectId, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Renames a data space (only its label changes, R9). Not retried; read back afterwards.</summary>
        public async Task<SaasDataSpace> RenameDataSpaceAsync(string dataSpaceId, string newName, CancellationToken cancellationToken)
        {
            await RequestJsonAsync(new HttpMethod("PATCH"), "registry/environments/" + Escape(dataSpaceId), Json("environmentName", newName), NotFound.DataSpace(dataSpaceId), cancellationToken).ConfigureAwait(false);
            return await GetDataSpaceAsync(dataSpaceId, cancellationToken).ConfigureAwait(false);
        }

        private static HttpClient SharedClient(Uri baseUri, IWebProxy? proxy)
        {
            // One HttpClient per gateway (and proxy), reused for the life of the process.
            string proxyKey = proxy == null ? "system"
                : proxy is WebProxy webProxy && webProxy.Address != null ? webProxy.Address.AbsoluteUri
                : proxy.GetHashCode().ToString(CultureInfo.InvariantCulture);
            string key = baseUri.GetLeftPart(UriPartial.Authority) + "|" + proxyKey;
            return Clients.GetOrAdd(key, _ =>
            {
                var handler = new HttpClientHandler { UseProxy = true, Proxy = proxy, AllowAutoRedirect = false };
                var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
                return client;
            });
        }

        /// <summary>
        /// A registry call whose answer carries nothing the module reads (the cloudid and feature
        /// PUTs), read as the connector's callers read it (MerchantRegistryClient): the answer is an
        /// error when its "status" is not empty and not 200 (PHP's loose comparison) and its "message"
        /// is not empty. A body that is not JSON counts as status = the HTTP status, message = the
        /// body (ServicesClient::parseResponseBody). Beyond Magento, an HTTP error status (4xx) is an
        /// error whatever the body says.
        /// </summary>
        private async Task RequestAcceptedAsync(HttpMethod method, string operation, NotFound? notFound, CancellationToken cancellationToken)
        {
            Uri url = Route(() => routes.RegistryUri(BaseUri, operation), "registry")!;
            using (HttpResponseMessage response = await SendAsync(method, url, null, cancellationToken, rejectionIsAnswer: false, jsonRequest: true).ConfigureAwait(false))
            {
                string text = await ReadRegistryAnswerAsync(method, url, response, notFound).ConfigureAwait(false);
                string? refusal = RegistryRefusal(text, (int)response.StatusCode);
                if (refusal != null)
                {
                    throw new GatewayRequestRejectedException("The gateway refused " + method + " " + url.AbsolutePath + ": " + refusal + ".", Environment, response.StatusCode, RequestIdOf(response));
                }
            }
        }

        /// <summary>The message of an answer the connector's callers read as an error, or null.</summary>
        internal static string? RegistryRefusal(string body, int httpStatus)
        {
            JsonElement status;
            string? message;
            try
            {
                using (JsonDocument document = JsonDocument.Parse(body))
                {
                    JsonElement root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out JsonElement found))
                    {
                        return null;
                    }

                    status = found.Clone();
                    message = root.TryGetProperty("message", out JsonElement text) ? (text.ValueKind == JsonValueKind.String ? text.GetString() : text.ValueKind == JsonValueKind.Null || text.ValueKind == JsonValueKind.False ? null : text.GetRawText()) : null;
                }
            }
            catch (JsonException)
            {
                using (JsonDocument number = JsonDocument.Parse(httpStatus.ToString(CultureInfo.InvariantCulture)))
                {
                    status = number.RootElement.Clone();
                }

                message = body;
            }

            return !IsEmptyInPhp(status) && !EqualsTwoHundredInPhp(status) && !Php.PhpTruth.IsEmpty(message) ? message : null;
        }

        /// <summary>PHP's empty() on a decoded JSON value.</summary>
        private static bool IsEmptyInPhp(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                case JsonValueKind.False:
                    return true;
                case JsonValueKind.Number:
                    return value.GetDouble() == 0;
                case JsonValueKind.String:
                    return value.GetString() is string text && (text.Length == 0 || text == "0");
                case JsonValueKind.Array:
                    return value.GetArrayLength() == 0;
                case JsonValueKind.Object:
                    return !value.EnumerateObject().Any();
                default:
                    return false;
            }
        }

        /// <summary>PHP 8's loose <c>== 200</c> on a decoded JSON value.</summary>
        private static bool EqualsTwoHundredInPhp(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Number:
                    return value.GetDouble() == 200;
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.String:
                    // A numeric string (surrounding white space allowed) compares as a number; any other string as a string with "200".
                    return double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && number == 200;
                default:
                    return false;
            }
        }

        /// <summary>The text of a registry answer, after the failures every registry call shares.</summary>
        private async Task<string> ReadRegistryAnswerAsync(HttpMethod method, Uri url, HttpResponseMessage response, NotFound? notFound)
        {
            string? requestId = RequestIdOf(response);
            string text = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (IsKeyRejection(text))
            {
                throw Rejected(text, response.StatusCode, requestId);
            }

            if (response.StatusCode == HttpStatusCode.NotFound && notFound != null)
            {
                throw notFound.Create(Environment, response.StatusCode, requestId);
            }

            if ((int)response.StatusCode >= 400)
            {
                throw new GatewayRequestRejectedException(
                    "The gateway refused " + method + " " + url.AbsolutePath + ": " + (GatewayMessage(text) ?? response.ReasonPhrase) + ".",
                    Environment,
                    response.StatusCode,
                    requestId);
            }

            return text;
        }

        private async Task<JsonElement> RequestJsonAsync(HttpMethod method, string operation, string? body, NotFound? notFound, CancellationToken cancellationToken)
        {
            Uri url = Route(() => routes.RegistryUri(BaseUri, operation), "registry")!;
            string path = url.AbsolutePath;
            using (HttpResponseMessage response = await SendAsync(method, url, body, cancellationToken, rejectionIsAnswer: false, jsonRequest: true).ConfigureAwait(false))
            {
                string? requestId = RequestIdOf(response);
                string text = await ReadRegistryAnswerAsync(method, url, response, notFound).ConfigureAwait(false);

                if ((int)response.StatusCode != 200 && (int)response.StatusCode != 201)
                {
                    throw Protocol("The gateway answered " + method + " " + path + " with an unexpected status.", response.StatusCode, requestId);
                }

                JsonElement root;
                try
                {
                    using (JsonDocument document = JsonDocument.Parse(text))
                    {
                        root = document.RootElement.Clone();
                    }
                }
                catch (JsonException ex)
                {
                    throw new GatewayProtocolException("The gateway's answer to " + method + " " + path + " is not valid JSON.", Environment, response.StatusCode, requestId, ex);
                }

                // Fact: the connector treats any top-level "message" as an error, whatever the status (Magento_ServicesId's MerchantRegistryProvider).
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out JsonElement message))
                {
                    throw Protocol("The gateway answered " + method + " " + path + " with the error '" + message + "'.", response.StatusCode, requestId);
                }

                return root;
            }
        }

        /// <summary>
        /// Sends with retries. Returns the final response for anything that is an answer (success,
        /// 4xx); throws for refusal of the key pair (unless <paramref name="rejectionIsAnswer"/>) and
        /// for a gateway that stays unavailable.
        /// </summary>
        /// <param name="jsonRequest">
        /// Send Content-Type: application/json (with the body, or an empty one), as the connector's
        /// registry client does on every call; its key check sends none.
        /// </param>
        private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, string? body, CancellationToken cancellationToken, bool rejectionIsAnswer, bool jsonRequest)
        {
            bool idempotent = method == HttpMethod.Get || method == HttpMethod.Put || method == HttpMethod.Head;
            var total = Stopwatch.StartNew();
            TimeSpan backoff = options.FirstRetryDelay;
            for (int attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var watch = Stopwatch.StartNew();
                HttpResponseMessage? response = null;
                Exception? failure = null;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    TimeSpan left = options.MaxRetryTime - total.Elapsed;
                    timeout.CancelAfter(attempt == 1 || left >= options.RequestTimeout ? options.RequestTimeout : (left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)));
                    using (HttpRequestMessage request = BuildRequest(method, url, body, jsonRequest))
                    {
                        try
                        {
                            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                            failure = new TimeoutException("No answer within " + options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s.");
                        }
                        catch (HttpRequestException ex)
                        {
                            failure = ex;
                        }
                    }
                }

                string outcome = response != null ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) : failure!.GetType().Name + ": " + failure.Message;
                debug?.Invoke(method + " " + Shown(url) + " -> " + outcome + " (attempt " + attempt + ", " + watch.ElapsedMilliseconds + " ms" + (response != null && RequestIdOf(response) != null ? ", request id " + RequestIdOf(response) : string.Empty) + ")");

                int status = response == null ? 0 : (int)response.StatusCode;
                if (status == 401 || status == 403)
                {
                    if (rejectionIsAnswer)
                    {
                        return response!;
                    }

                    string text = await response!.Content.ReadAsStringAsync().ConfigureAwait(false);
                    string? requestId = RequestIdOf(response);
                    response.Dispose();
                    throw Rejected(text, response.StatusCode, requestId);
                }

                bool transient = status == 429 || status == 503 || (idempotent && (failure != null || status == 500 || status == 502 || status == 504));
                if (!transient)
                {
                    if (response != null && status < 500)
                    {
                        return response;
                    }

                    string? failedRequestId = response == null ? null : RequestIdOf(response);
                    HttpStatusCode? failedStatus = response?.StatusCode;
                    response?.Dispose();
                    throw Unavailable(method, url, attempt, failedStatus, failure, failedRequestId, idempotent);
                }

                TimeSpan wait = RetryAfter(response) ?? backoff;
                backoff = TimeSpan.FromTicks(backoff.Ticks * 2);
                bool canRetry = idempotent && attempt < options.MaxAttempts && total.Elapsed + wait <= options.MaxRetryTime;
                if (!canRetry)
                {
                    string? requestId = response == null ? null : RequestIdOf(response);
                    HttpStatusCode? code = response?.StatusCode;
                    response?.Dispose();
                    throw Unavailable(method, url, attempt, code, failure, requestId, idempotent);
                }

                response?.Dispose();
                debug?.Invoke("Retrying " + method + " " + Shown(url) + " in " + (long)wait.TotalMilliseconds + " ms.");
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Fact: the connector reads {"message":"JWT is invalid"} and {"error":{"message":"Client ID is invalid"}}
        /// as "keys not valid", whatever the HTTP status (Magento_ServicesId's ServicesClient).
        /// </summary>
        private static bool IsKeyRejection(string text)
        {
            string? message = GatewayMessage(text);
            return message == "JWT is invalid" || message == "Client ID is invalid";
        }

        private ApiKeyRejectedException Rejected(string text, HttpStatusCode status, string? requestId) =>
            new ApiKeyRejectedException(
                "The gateway rejected the " + Environment + " API key pair (SHA256:" + keyPair.Fingerprint.Substring(0, 16) + "...): "
                + (GatewayMessage(text) ?? "access denied")
                + ". If new keys were generated in the API Portal, the old pair stopped working (only one pair per environment is active): apply the new pair. Otherwise check that the API key and private key belong together and to this environment.",
                Environment,
                status,
                requestId);

        private HttpRequestMessage BuildRequest(HttpMethod method, Uri url, string? body, bool jsonRequest)
        {
            var request = new HttpRequestMessage(method, url);
            request.Headers.TryAddWithoutValidation("x-api-key", keyPair.ApiKey);
            request.Headers.TryAddWithoutValidation("magento-api-key", keyPair.ApiKey);
            request.Headers.TryAddWithoutValidation("x-gw-signature", keyPair.CreateGatewaySignature());
            if (jsonRequest && (body != null || !NoBodyOn(method)))
            {
                // Fact: the services-id client sends Content-Type: application/json and the body string, '' when there is none.
                request.Content = new StringContent(body ?? string.Empty, new UTF8Encoding(false), "application/json");
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            return request;
        }

        /// <summary>
        /// .NET Framework (Windows PowerShell 5.1) refuses any content on a GET or HEAD, and
        /// Content-Type travels with the content: there, registry reads go without it.
        /// </summary>
        private static bool NoBodyOn(HttpMethod method) =>
            RunsOnNetFramework && (method == HttpMethod.Get || method == HttpMethod.Head);

        private static readonly bool RunsOnNetFramework =
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// A URL built from the instance's settings may be no URL at all, or point anywhere: the
        /// keys travel only over https, or plain http on this machine, as for the gateway URL itself.
        /// </summary>
        private Uri? Route(Func<Uri?> build, string what)
        {
            Uri? url;
            try
            {
                url = build();
            }
            catch (ArgumentException ex)
            {
                throw new GatewayConfigurationException("The " + what + " URL of the " + Environment + " gateway " + Shown(BaseUri) + " cannot be built from the instance's connector settings: " + ex.Message + " Fix the setting (Get-CommerceServicesConfig shows where it comes from).", Environment, ex);
            }

            if (url == null || url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
            {
                return url;
            }

            throw new GatewayConfigurationException(
                "The " + what + " URL " + Shown(url) + " that the instance's connector settings give for the " + Environment + " gateway " + Shown(BaseUri) + " is not https (plain http is allowed on this machine only), so the keys are not sent there. Fix the setting (Get-CommerceServicesConfig shows where it comes from).",
                Environment);
        }

        /// <summary>A URL as messages show it: without user name or password, query or fragment.</summary>
        private static string Shown(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

        private GatewayUnavailableException Unavailable(HttpMethod method, Uri url, int attempts, HttpStatusCode? status, Exception? failure, string? requestId = null, bool idempotent = true)
        {
            string why = failure != null ? failure.Message : "it answered HTTP " + (int)status!.Value;
            string retried = idempotent ? " after " + attempts + (attempts == 1 ? " attempt" : " attempts") : " (not retried: the request changes data and might have been applied)";
            return new GatewayUnavailableException(
                "The Commerce Services gateway " + url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + " could not complete " + method + " " + url.AbsolutePath + retried + ": " + why + ". Check the network and proxy settings, and try again later.",
                Environment,
                status,
                requestId,
                failure);
        }

        private static TimeSpan? RetryAfter(HttpResponseMessage? response)
        {
            RetryConditionHeaderValue? header = response?.Headers.RetryAfter;
            if (header?.Delta != null)
            {
                return header.Delta.Value;
            }

            if (header?.Date != null)
            {
                TimeSpan delta = header.Date.Value - DateTimeOffset.UtcNow;
                return delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
            }

            return null;
        }

        private static string? RequestIdOf(HttpResponseMessage response) =>
            response.Headers.TryGetValues("x-request-id", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

        /// <summary>The message of a gateway error body, if it has one; quoting it is safe (no key material).</summary>
        private static string? GatewayMessage(string text)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(text))
                {
                    JsonElement root = document.RootElement;
                    if (root.ValueKind == JsonValueKind.Object)
                    {
                        if (root.TryGetProperty("message", out JsonElement message) && message.ValueKind == JsonValueKind.String)
                        {
                            return message.GetString();
                        }

                        if (root.TryGetProperty("error", out JsonElement error))
                        {
                            return error.ValueKind == JsonValueKind.String ? error.GetString()
                                : error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out JsonElement inner) ? inner.GetString() : null;
                        }
                    }
                }
            }
            catch (JsonException)
            {
            }

            return null;
        }

        private IReadOnlyList<Row> ReadRows(JsonElement root, string what)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out JsonElement results) || results.ValueKind != JsonValueKind.Array)
            {
                throw Protocol("The gateway's answer for " + what + " has no 'results' list.", null, null);
            }

            return results.EnumerateArray().Select(row => ReadRow(row, what)).ToArray();
        }

        private Row ReadRow(JsonElement row, string what)
        {
            string Field(string name)
            {
                if (row.ValueKind == JsonValueKind.Object && row.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString()!;
                }

                throw Protocol("The gateway's answer for " + what + " lacks the text field '" + name + "'.", null, null);
            }

            // Assumption: the registry may list a data space's features (Live Search's PREMIUM_SEARCH);
            // none of the connector's code reads such a field, so its absence means "not said".
            string[]? features = row.TryGetProperty("features", out JsonElement list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!).ToArray()
                : null;
            return new Row(Field("projectId"), Field("projectName"), Field("environmentId"), Field("environmentName"), Field("environmentType")) { Features = features };
        }

        private SaasDataSpace ReadDataSpace(JsonElement root, string what)
        {
            Row row = ReadRow(root, what);
            return new SaasDataSpace(row.EnvironmentId, row.EnvironmentName, row.EnvironmentType, row.ProjectId, row.ProjectName, keyPair, BaseUri, row.Features);
        }

        private SaasProject SingleProject(JsonElement body, string projectId)
        {
            IReadOnlyList<SaasProject> projects = Group(ReadRows(body, "project '" + projectId + "'"));
            SaasProject? project = projects.FirstOrDefault(p => p.ProjectId == projectId);
            if (project == null)
            {
                // Fact: an empty results list means "Project not found" to the connector (Magento_ServicesId's ProjectIdOnConfigImport plugin).
                throw new ProjectNotFoundException(projectId, Environment, HttpStatusCode.OK, null);
            }

            return project;
        }

        private IReadOnlyList<SaasProject> Group(IReadOnlyList<Row> rows) =>
            rows.GroupBy(r => r.ProjectId)
                .Select(g => new SaasProject(
                    g.Key,
                    g.First().ProjectName,
                    g.Select(r => new SaasDataSpace(r.EnvironmentId, r.EnvironmentName, r.EnvironmentType, r.ProjectId, r.ProjectName, keyPair, BaseUri, r.Features)).ToArray(),
                    keyPair,
                    BaseUri))
                .ToArray();

        private GatewayProtocolException Protocol(string message, HttpStatusCode? status, string? requestId) =>
            new GatewayProtocolException(message, Environment, status, requestId);

        private static string Json(string property, string value)
        {
            using (var stream = new System.IO.MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    writer.WriteStartObject();
                    writer.WriteString(property, value);
                    writer.WriteEndObject();
                }

                return Encoding.UTF8.GetString(stream.ToArray());
            }
        }

        private static string Escape(string id) => Uri.EscapeDataString(id);

        private sealed class Row
        {
            public Row(string projectId, string projectName, string environmentId, string environmentName, string environmentType)
            {
                ProjectId = projectId;
                ProjectName = projectName;
                EnvironmentId = environmentId;
                EnvironmentName = environmentName;
                EnvironmentType = environmentType;
            }

            public string ProjectId { get; }

            public string ProjectName { get; }

            public string EnvironmentId { get; }

            public string EnvironmentName { get; }

            public string EnvironmentType { get; }

            public string[]? Features { get; set; }
        }

        private sealed class NotFound
        {
            private readonly Func<GatewayEnvironment, HttpStatusCode, string?, GatewayException> create;

            private NotFound(Func<GatewayEnvironment, HttpStatusCode, string?, GatewayException> create) => this.create = create;

            public static NotFound Project(string id) => new NotFound((e, s, r) => new ProjectNotFoundException(id, e, s, r));

            public static NotFound DataSpace(string id) => new NotFound((e, s, r) => new DataSpaceNotFoundException(id, e, s, r));

            public GatewayException Create(GatewayEnvironment environment, HttpStatusCode status, string? requestId) => create(environment, status, requestId);
        }
    }
}
