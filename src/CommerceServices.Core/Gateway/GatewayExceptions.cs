using System;
using System.Net;

namespace CommerceServices.Gateway
{
    /// <summary>
    /// A gateway call that failed. Carries what helps a person or script react (operation, HTTP
    /// status, the gateway's request id) and never a header value or key.
    /// </summary>
    public abstract class GatewayException : Exception
    {
        protected GatewayException(string errorId, string message, GatewayEnvironment environment, HttpStatusCode? statusCode, string? requestId, Exception? inner)
            : base(message, inner)
        {
            ErrorId = errorId;
            Environment = environment;
            StatusCode = statusCode;
            RequestId = requestId;
        }

        /// <summary>The stable error id cmdlets use for their error records.</summary>
        public string ErrorId { get; }

        /// <summary>The gateway environment called.</summary>
        public GatewayEnvironment Environment { get; }

        /// <summary>The HTTP status of the last answer, when there was one.</summary>
        public HttpStatusCode? StatusCode { get; }

        /// <summary>The gateway's request id (x-request-id), when it sent one.</summary>
        public string? RequestId { get; }

        /// <summary>The message, the status and the request id in one line.</summary>
        protected static string Describe(string message, HttpStatusCode? status, string? requestId) =>
            message
            + (status.HasValue ? " (HTTP " + (int)status.Value + (!string.IsNullOrEmpty(requestId) ? ", request id " + requestId : string.Empty) + ")" : string.Empty);
    }

    /// <summary>The gateway refused the API key pair: unknown, revoked, or a signature it does not accept.</summary>
    public sealed class ApiKeyRejectedException : GatewayException
    {
        public ApiKeyRejectedException(string message, GatewayEnvironment environment, HttpStatusCode? statusCode, string? requestId)
            : base("ApiKeyRejected", Describe(message, statusCode, requestId), environment, statusCode, requestId, null)
        {
        }
    }

    /// <summary>No SaaS project with that id is reachable with the key pair.</summary>
    public sealed class ProjectNotFoundException : GatewayException
    {
        public ProjectNotFoundException(string projectId, GatewayEnvironment environment, HttpStatusCode? statusCode, string? requestId)
            : base("ProjectNotFound", Describe("No SaaS project with id '" + projectId + "' is reachable with the " + environment + " key pair. List the projects with Get-SaasProject; projects belong to the account whose keys are used.", statusCode, requestId), environment, statusCode, requestId, null)
        {
            ProjectId = projectId;
        }

        public string ProjectId { get; }
    }

    /// <summary>No SaaS data space with that id is reachable with the key pair.</summary>
    public sealed class DataSpaceNotFoundException : GatewayException
    {
        public DataSpaceNotFoundException(string dataSpaceId, GatewayEnvironment environment, HttpStatusCode? statusCode, string? requestId)
            : base("DataSpaceNotFound", Describe("No SaaS data space with id '" + dataSpaceId + "' is reachable with the " + environment + " key pair. List the data spaces with Get-SaasDataSpace.", statusCode, requestId), environment, statusCode, requestId, null)
        {
            DataSpaceId = dataSpaceId;
        }

        public string DataSpaceId { get; }
    }

    /// <summary>The gateway could not be reached or kept failing, after the retries allowed.</summary>
    public sealed class GatewayUnavailableException : GatewayException
    {
        public GatewayUnavailableException(string message, GatewayEnvironment environment, HttpStatusCode? statusCode, string? requestId, Exception? inner)
            : base("GatewayUnavailable", Describe(message, statusCode, requestId), environment, statusCode, requestId, inner)
        {
        }
    }

    /// <summary>The gateway answered something the protocol does not allow: a malformed or unexpected body.</summary>
    public sealed class GatewayProtocolException : GatewayException
    {
        public GatewayProtocolException(string message, GatewayEnvironment environment, HttpStatusCode? statusCode, string? requestId, Exception? inner = null)
            : base("GatewayProtocolError", Describe(message, statusCode, requestId), environment, statusCode, requestId, inner)
        {
        }
    }

    /// <summary>The gateway refused the request itself (a 4xx other than those above).</summary>
    public sealed class GatewayRequestRejectedException : GatewayException
    {
        public GatewayRequestRejectedException(string message, GatewayEnvironment environment, HttpStatusCode? statusCode, string? requestId)
            : base("GatewayRequestRejected", Describe(message, statusCode, requestId), environment, statusCode, requestId, null)
        {
        }
    }

    /// <summary>The instance's connector settings name a gateway URL the keys must not be sent to.</summary>
    public sealed class GatewayConfigurationException : GatewayException
    {
        public GatewayConfigurationException(string message, GatewayEnvironment environment, Exception? inner = null)
            : base("GatewayConfigurationInvalid", message, environment, null, null, inner)
        {
        }
    }
}
