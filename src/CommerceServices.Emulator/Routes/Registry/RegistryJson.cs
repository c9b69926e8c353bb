using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CommerceServices.Emulator
{
    /// <summary>The JSON the registry routes read (names in request bodies) and answer (rows), and the ids they hand out.</summary>
    internal static class RegistryJson
    {
        /// <summary>The answer listing every data space of <paramref name="projects"/>: {"results": [rows]}.</summary>
        public static Reply Results(IEnumerable<EmulatedProject> projects) =>
            Reply.Json(200, new JsonObject
            {
                ["results"] = new JsonArray(projects.SelectMany(p => p.DataSpaces.Select(d => (JsonNode)Row(p, d))).ToArray()),
            });

        /// <summary>
        /// Fact: the registry answers in flat rows, one per data space, each with its project's id
        /// and name. Assumption: the registry also lists the data space's features and, once
        /// attached, its Cloud project id (the connector reads neither; the module reads features
        /// to tell whether Live Search was registered).
        /// </summary>
        public static JsonObject Row(EmulatedProject project, EmulatedDataSpace dataSpace)
        {
            var row = new JsonObject
            {
                ["projectId"] = project.ProjectId,
                ["projectName"] = project.ProjectName,
                ["environmentId"] = dataSpace.EnvironmentId,
                ["environmentName"] = dataSpace.EnvironmentName,
                ["environmentType"] = dataSpace.EnvironmentType,
                ["features"] = new JsonArray(dataSpace.Features.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            };
            if (dataSpace.CloudId != null)
            {
                row["cloudId"] = dataSpace.CloudId;
            }

            return row;
        }

        /// <summary>The string <paramref name="property"/> of a JSON body, trimmed; null when the body is not JSON or the name is missing or blank.</summary>
        public static string? ReadName(string? body, string property)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return null;
            }

            try
            {
                JsonNode? value = JsonNode.Parse(body!)?[property];
                string? name = value is JsonValue v && v.TryGetValue(out string? text) ? text : null;
                return string.IsNullOrWhiteSpace(name) ? null : name!.Trim();
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>A name the body must carry (see <see cref="ReadName"/>), or the 400 "<paramref name="property"/> is required".</summary>
        public static bool TryReadRequiredName(string? body, string property, [NotNullWhen(true)] out string? name, [NotNullWhen(false)] out Reply? missing)
        {
            name = ReadName(body, property);
            missing = name == null ? Reply.Error(400, "Bad Request", property + " is required") : null;
            return name != null;
        }

        /// <summary>Assumption: registry ids are UUIDs.</summary>
        public static string NewId() => Guid.NewGuid().ToString();
    }
}
