using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CommerceServices.DataExport;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// -Feed of the data export cmdlets: the names saas:resync takes (any case), with wildcards where a cmdlet takes
    /// them. A name that matches no feed is an invalid invocation (completion: <see cref="ExportFeedNameCompleter"/>).
    /// </summary>
    internal static class ExportFeedNames
    {
        /// <summary>The feeds the names stand for, each once, in the order named (a wildcard's matches in the catalog's order); a name that matches none throws the DataExportFeedUnknown error.</summary>
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
                    cmdlet.ThrowTerminatingError(ErrorRecords.UnknownFeed(name));
                }

                feeds.AddRange(matches);
            }

            return feeds.Distinct().ToList();
        }
    }
}
