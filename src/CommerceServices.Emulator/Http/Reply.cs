using System;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace CommerceServices.Emulator
{
    /// <summary>An answer to one request: status, body and content type, and how it is written out.</summary>
    internal sealed class Reply
    {
        public Reply(int status, string body, string contentType)
        {
            Status = status;
            Body = body;
            ContentType = contentType;
        }

        public int Status { get; }

        public string Body { get; }

        public string ContentType { get; }

        public int? RetryAfter { get; private set; }

        public static Reply Json(int status, JsonNode body) => new Reply(status, body.ToJsonString(), "application/json");

        /// <summary>Assumption: registry errors are Spring-style {status, error, message}.</summary>
        public static Reply Error(int status, string error, string message) =>
            Json(status, new JsonObject { ["status"] = status, ["error"] = error, ["message"] = message });

        public Reply WithRetryAfter(int? seconds)
        {
            RetryAfter = seconds;
            return this;
        }

        /// <summary>Writes the answer with a fresh <c>x-request-id</c> header and closes the response.</summary>
        public async Task WriteToAsync(HttpListenerResponse response)
        {
            response.StatusCode = Status;
            response.ContentType = ContentType;
            response.Headers["x-request-id"] = Guid.NewGuid().ToString("n");
            if (RetryAfter.HasValue)
            {
                response.Headers["Retry-After"] = RetryAfter.Value.ToString(CultureInfo.InvariantCulture);
            }

            byte[] bytes = Encoding.UTF8.GetBytes(Body);
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            response.Close();
        }
    }
}
