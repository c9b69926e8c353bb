using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// The errors and warnings a cmdlet writes while it works on one item, gathered on the thread that does the work
    /// (also the threads of -ThrottleLimit), so the item's outcome can name them: Set-CommerceServicesState's result
    /// and JSON. Errors still go to the error stream; warnings too, unless the sink keeps them
    /// (<see cref="Collect"/>: -AsJson, whose standard output must be the JSON alone, and pwsh writes warnings there).
    /// </summary>
    internal sealed class RecordSink : IDisposable
    {
        [ThreadStatic]
        private static RecordSink? current;

        private readonly RecordSink? outer;
        private readonly bool keepWarnings;
        private readonly List<ErrorRecord> errors = new List<ErrorRecord>();
        private readonly List<string> warnings = new List<string>();

        private RecordSink(bool keepWarnings)
        {
            this.keepWarnings = keepWarnings;
            outer = current;
            current = this;
        }

        /// <summary>The errors written on this thread since <see cref="Collect"/>.</summary>
        public IReadOnlyList<ErrorRecord> Errors => errors;

        /// <summary>The warnings written on this thread since <see cref="Collect"/>.</summary>
        public IReadOnlyList<string> Warnings => warnings;

        /// <summary>Starts gathering what is written on this thread, until disposed.</summary>
        /// <param name="keepWarnings">Keep the warnings here only, off the warning stream.</param>
        public static RecordSink Collect(bool keepWarnings = false) => new RecordSink(keepWarnings);

        /// <summary>Called by <see cref="CommerceCmdlet.WriteError(ErrorRecord)"/> on the thread that writes the error.</summary>
        internal static void Record(ErrorRecord error) => current?.errors.Add(error);

        /// <summary>Called by <see cref="CommerceCmdlet.WriteWarning(string)"/>: true when the warning is kept here, not written.</summary>
        internal static bool Record(string warning)
        {
            RecordSink? sink = current;
            sink?.warnings.Add(warning);
            return sink != null && sink.keepWarnings;
        }

        /// <inheritdoc />
        public void Dispose() => current = outer;
    }
}
