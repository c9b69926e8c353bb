using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CommerceServices.DataExport;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// -Feed of the data export cmdlets: the names saas:resync takes (any case), with wildcards where a cmdlet
    /// allows them, and tab completion. A name that matches no feed is an invalid invocation.
    /// </summary>
    internal static class ExportFeedNames
    {
        /// <summary>The feeds the names stand for, in the catalog's order; a name that matches none throws the DataExportFeedUnknown error.</summary>
        public static IReadOnlyList<ExportFeed> Resolve(PSCmdlet cmdlet, IEnumerable<string> names, bool wildcards)
        {
            var feeds = new List<ExportFeed>();
            foreach (string name in names)
            {
                ExportFeed[] matches = wildcards && WildcardPattern.ContainsWildcardCharacters(name)
                    ? ExportFeeds.All.Where(feed => new WildcardPattern(name, WildcardOptions.IgnoreCase).IsMatch(feed.Name)).ToArray()
                    : ExportFeeds.Find(name) is ExportFeed found ? new[] { found } : Array.Empty<ExportFeed>();
                if (matches.Length == 0)
                {
                    cmdlet.ThrowTerminatingError(new ErrorRecord(
                        new ArgumentException("'" + name + "' is not a feed of the SaaS data export. The feeds are: " + ExportFeeds.Names + "."),
                        "DataExportFeedUnknown",
                        ErrorCategory.InvalidArgument,
                        name));
                }

                feeds.AddRange(matches);
            }

            return ExportFeeds.All.Where(feeds.Contains).ToList();
        }
    }

    /// <summary>Completes -Feed with the feed names.</summary>
    public sealed class ExportFeedNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return ExportFeeds.All
                .Where(feed => feed.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(feed => new CompletionResult(feed.Name, feed.Name, CompletionResultType.ParameterValue, feed.Name + " (" + feed.IndexerId + ")"));
        }
    }
}
