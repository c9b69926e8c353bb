using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CommerceServices.DataExport;

namespace CommerceServices.PowerShell
{
    /// <summary>Completes feed names (-Feed) from the feeds the module knows (<see cref="ExportFeeds.All"/>), in their order, any case.</summary>
    public sealed class ExportFeedNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return ExportFeeds.All
                .Where(feed => feed.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(feed => new CompletionResult(feed.Name, feed.Name, CompletionResultType.ParameterValue, feed.Name + " (" + feed.Mode + ", " + feed.Module + ")"))
                .ToList();
        }
    }
}
