using System;
using System.Management.Automation;
using System.Threading;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Base of every CommerceServices cmdlet: a cancellation token that Ctrl+C (StopProcessing)
    /// cancels, and helpers that build error records with stable ids.
    /// </summary>
    public abstract class CommerceCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
        protected CancellationToken CancellationToken => stopping.Token;

        /// <inheritdoc />
        protected override void StopProcessing() => stopping.Cancel();

        /// <summary>Resolves a user-supplied path the way PowerShell does: relative to the current location, no wildcards.</summary>
        protected string ResolveLiteralFilePath(string path) =>
            SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        /// <summary>Writes a non-terminating error with a stable id.</summary>
        protected void WriteError(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction = null)
        {
            var record = new ErrorRecord(exception, errorId, category, target);
            if (recommendedAction != null)
            {
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
            }

            WriteError(record);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>Releases what the cmdlet holds.</summary>
        protected virtual void Dispose(bool disposing)
        {
            if (disposing)
            {
                stopping.Dispose();
            }
        }
    }
}
