using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// The errors a cmdlet writes while it works on one item, gathered on the thread that does the work (also the
    /// threads of -ThrottleLimit), so the item's outcome can name them: Set-CommerceServicesState's result and JSON.
    /// Every error still goes to the error stream as usual.
    /// </summary>
    internal sealed class ErrorSink : IDisposable
    {
        [ThreadStatic]
        private static ErrorSink? current;

        private readonly ErrorSink? outer;
        private readonly List<ErrorRecord> errors = new List<ErrorRecord>();

        private ErrorSink()
        {
            outer = current;
            current = this;
        }

        /// <summary>The errors written on this thread since <see cref="Collect"/>.</summary>
        public IReadOnlyList<ErrorRecord> Errors => errors;

        /// <summary>Starts gathering the errors written on this thread, until disposed.</summary>
        public static ErrorSink Collect() => new ErrorSink();

        /// <summary>Called by <see cref="CommerceCmdlet.WriteError(ErrorRecord)"/> on the thread that writes the error.</summary>
        internal static void Record(ErrorRecord error) => current?.errors.Add(error);

        /// <inheritdoc />
        public void Dispose() => current = outer;
    }
}
