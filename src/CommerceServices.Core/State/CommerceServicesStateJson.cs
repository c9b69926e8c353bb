using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace CommerceServices.State
{
    /// <summary>
    /// The one line of JSON Set-CommerceServicesState -AsJson writes for tools that are not PowerShell (Ansible's
    /// command module with changed_when, shell scripts): changed, failed and status over all instances, then each
    /// instance's status, differences, errors and warnings. In Ansible's check mode terms, an instance that would
    /// change (-WhatIf) counts as changed.
    /// </summary>
    public static class CommerceServicesStateJson
    {
        /// <summary>The status over all results: Failed if any failed, else Changed, else WouldChange, else Unchanged.</summary>
        public static CommerceServicesStateStatus Overall(IReadOnlyCollection<CommerceServicesStateResult> results) =>
            results.Any(r => r.Status == CommerceServicesStateStatus.Failed) ? CommerceServicesStateStatus.Failed
            : results.Any(r => r.Status == CommerceServicesStateStatus.Changed) ? CommerceServicesStateStatus.Changed
            : results.Any(r => r.Status == CommerceServicesStateStatus.WouldChange) ? CommerceServicesStateStatus.WouldChange
            : CommerceServicesStateStatus.Unchanged;

        /// <summary>Whether anything failed: an instance, or a registry call after an instance was written.</summary>
        public static bool Failed(IReadOnlyCollection<CommerceServicesStateResult> results) =>
            results.Any(r => r.Status == CommerceServicesStateStatus.Failed || r.Errors.Length > 0);

        /// <summary>The summary as one line of JSON.</summary>
        public static string Summary(IReadOnlyCollection<CommerceServicesStateResult> results)
        {
            CommerceServicesStateStatus overall = Overall(results);
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteBoolean("changed", results.Any(r => r.Status == CommerceServicesStateStatus.Changed || r.Status == CommerceServicesStateStatus.WouldChange));
                json.WriteBoolean("failed", Failed(results));
                json.WriteString("status", overall.ToString());
                json.WriteStartArray("instances");
                foreach (CommerceServicesStateResult result in results)
                {
                    json.WriteStartObject();
                    json.WriteString("path", result.InstancePath);
                    json.WriteString("state", result.StatePath);
                    json.WriteString("status", result.Status.ToString());
                    json.WriteBoolean("changed", result.Status == CommerceServicesStateStatus.Changed || result.Status == CommerceServicesStateStatus.WouldChange);
                    json.WriteStartArray("differences");
                    foreach (CommerceServicesStateDifference difference in result.Differences)
                    {
                        json.WriteStartObject();
                        json.WriteString("setting", difference.Setting.ToString());
                        json.WriteString("current", difference.Current);
                        json.WriteString("desired", difference.Desired);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteStartArray("errors");
                    foreach (string error in result.Errors)
                    {
                        json.WriteStringValue(error);
                    }

                    json.WriteEndArray();
                    json.WriteStartArray("warnings");
                    foreach (string warning in result.Warnings)
                    {
                        json.WriteStringValue(warning);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }
}
