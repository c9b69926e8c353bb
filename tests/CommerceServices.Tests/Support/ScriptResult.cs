using System.Text;

namespace CommerceServices.Tests.Support
{
    /// <summary>The PowerShell streams a record can arrive on.</summary>
    public enum PSStream
    {
        Output,
        Error,
        Warning,
        Verbose,
        Debug,
        Information,
        Progress,
    }

    /// <summary>One record from one stream, in arrival order.</summary>
    public sealed record StreamRecord(PSStream Stream, object Value);

    /// <summary>Everything a script produced, on every stream, in the order it happened.</summary>
    public sealed class ScriptResult
    {
        public ScriptResult(IReadOnlyList<StreamRecord> records, RuntimeException? terminatingError, string hostText)
        {
            Records = records;
            TerminatingError = terminatingError;
            HostText = hostText;
        }

        public IReadOnlyList<StreamRecord> Records { get; }

        /// <summary>The error that stopped the script, if one did (also present in <see cref="Errors"/>).</summary>
        public RuntimeException? TerminatingError { get; }

        /// <summary>What the host displayed (formatted output, when the script pipes to Out-Default).</summary>
        public string HostText { get; }

        public IReadOnlyList<object> Output => Of<PSObject>(PSStream.Output).Select(o => o.BaseObject).ToList();

        public IReadOnlyList<ErrorRecord> Errors => Of<ErrorRecord>(PSStream.Error);

        public IReadOnlyList<WarningRecord> Warnings => Of<WarningRecord>(PSStream.Warning);

        public IReadOnlyList<VerboseRecord> Verbose => Of<VerboseRecord>(PSStream.Verbose);

        public IReadOnlyList<DebugRecord> Debug => Of<DebugRecord>(PSStream.Debug);

        public IReadOnlyList<InformationRecord> Information => Of<InformationRecord>(PSStream.Information);

        public IReadOnlyList<ProgressRecord> Progress => Of<ProgressRecord>(PSStream.Progress);

        /// <summary>The output objects cast to <typeparamref name="T"/>.</summary>
        public IReadOnlyList<T> OutputOf<T>() => Output.Cast<T>().ToList();

        /// <summary>The fully qualified ids of the error records.</summary>
        public IReadOnlyList<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId).ToList();

        /// <summary>
        /// Everything the script produced as text: every record on every stream, every property
        /// of every output object, error details, exception messages and their inner exceptions,
        /// and what the host displayed. Secret scans search this.
        /// </summary>
        public string AllText()
        {
            var text = new StringBuilder(HostText).AppendLine();
            foreach (StreamRecord record in Records)
            {
                text.AppendLine(record.Stream + ": " + record.Value);
                switch (record.Value)
                {
                    case PSObject obj:
                        AppendObject(text, obj, depth: 0);
                        break;
                    case ErrorRecord error:
                        text.AppendLine(error.ErrorDetails?.Message).AppendLine(error.ErrorDetails?.RecommendedAction);
                        text.AppendLine(error.CategoryInfo.ToString());
                        if (error.TargetObject != null)
                        {
                            AppendObject(text, PSObject.AsPSObject(error.TargetObject), depth: 0);
                        }

                        for (Exception? ex = error.Exception; ex != null; ex = ex.InnerException)
                        {
                            text.AppendLine(ex.GetType().FullName + ": " + ex.Message).AppendLine(ex.ToString());
                        }

                        break;
                    case InformationRecord info:
                        text.AppendLine(Convert.ToString(info.MessageData));
                        break;
                    case ProgressRecord progress:
                        text.AppendLine(progress.Activity + " " + progress.StatusDescription + " " + progress.CurrentOperation);
                        break;
                }
            }

            return text.ToString();
        }

        private static void AppendObject(StringBuilder text, PSObject obj, int depth)
        {
            text.AppendLine(obj.ToString());
            if (depth > 3 || obj.BaseObject is string || obj.BaseObject.GetType().IsPrimitive)
            {
                return;
            }

            foreach (PSPropertyInfo property in obj.Properties)
            {
                object? value;
                try
                {
                    value = property.Value;
                }
                catch (GetValueException ex)
                {
                    value = ex.Message;
                }

                text.Append(property.Name).Append(" = ");
                if (value is System.Collections.IEnumerable list && value is not string)
                {
                    foreach (object? item in list)
                    {
                        AppendObject(text, PSObject.AsPSObject(item ?? string.Empty), depth + 1);
                    }
                }
                else if (value != null)
                {
                    AppendObject(text, PSObject.AsPSObject(value), depth + 1);
                }
                else
                {
                    text.AppendLine();
                }
            }
        }

        private List<T> Of<T>(PSStream stream) => Records.Where(r => r.Stream == stream).Select(r => (T)r.Value).ToList();
    }
}
