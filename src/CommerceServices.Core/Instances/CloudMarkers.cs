using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace CommerceServices.Instances
{
    /// <summary>
    /// The signs that an instance is an Adobe Commerce on Cloud project, each named for the user, and the
    /// Cloud project and environment when this process runs in that project's application:
    /// <list type="bullet">
    /// <item>composer.lock holds magento/magento-cloud-metapackage (Cloud projects require it instead of
    /// magento/product-enterprise-edition) or magento/ece-tools;</item>
    /// <item>.magento.app.yaml or .magento.env.yaml in the root;</item>
    /// <item>the Cloud host's variables: only when MAGENTO_CLOUD_APP_DIR (the absolute path of the Cloud
    /// application) is this root. A MAGENTO_CLOUD_PROJECT in an administrator's own shell says nothing about
    /// the folder being connected, so it neither makes an instance Cloud nor names its project.</item>
    /// </list>
    /// </summary>
    public sealed class CloudMarkers
    {
        internal const string MetapackageMarker = "composer.lock: magento/magento-cloud-metapackage";
        internal const string EceToolsMarker = "composer.lock: magento/ece-tools";
        internal const string AppYamlMarker = ".magento.app.yaml";
        internal const string EnvYamlMarker = ".magento.env.yaml";
        internal const string HostMarker = "MAGENTO_CLOUD_APP_DIR is this folder";

        private static readonly string[] Packages = { "magento/magento-cloud-metapackage", "magento/ece-tools" };

        private CloudMarkers(string[] found, string? projectId, string? environment, IReadOnlyList<string>? variableNames)
        {
            Found = found;
            ProjectId = projectId;
            Environment = environment;
            VariableNames = variableNames;
        }

        /// <summary>No marker: an on-premises instance.</summary>
        internal static CloudMarkers None { get; } = new CloudMarkers(Array.Empty<string>(), null, null, null);

        /// <summary>What was found, in the words the user sees (a file name, a composer package, a variable); empty on premises.</summary>
        public IReadOnlyList<string> Found { get; }

        /// <summary>Cloud when any marker was found.</summary>
        public InstancePlatform Platform => Found.Count > 0 ? InstancePlatform.Cloud : InstancePlatform.OnPremises;

        /// <summary>MAGENTO_CLOUD_PROJECT, when this process runs in the Cloud application at this root; otherwise null.</summary>
        public string? ProjectId { get; }

        /// <summary>MAGENTO_CLOUD_ENVIRONMENT (the environment's branch), under the same rule as <see cref="ProjectId"/>.</summary>
        public string? Environment { get; }

        /// <summary>
        /// The names (never the values) in MAGENTO_CLOUD_VARIABLES, under the same rule as <see cref="ProjectId"/>; null when
        /// not known. Cloud puts there the variables that are not environment variables: those created without the env:
        /// prefix, which PHP's $_ENV, and so Magento, never sees. Variables created with env: are environment variables
        /// of their own instead.
        /// </summary>
        public IReadOnlyList<string>? VariableNames { get; }

        /// <summary>
        /// Looks for the markers of the instance at <paramref name="root"/> (a full path).
        /// <paramref name="composerPackages"/> are the package names of its composer.lock (null when it has none);
        /// <paramref name="environment"/> is this process's environment when null.
        /// </summary>
        public static CloudMarkers Find(string root, IEnumerable<string>? composerPackages, IDictionary? environment = null)
        {
            var found = new List<string>();
            if (composerPackages != null)
            {
                var names = new HashSet<string>(composerPackages, StringComparer.OrdinalIgnoreCase);
                if (names.Contains(Packages[0]))
                {
                    found.Add(MetapackageMarker);
                }

                if (names.Contains(Packages[1]))
                {
                    found.Add(EceToolsMarker);
                }
            }

            if (File.Exists(Path.Combine(root, AppYamlMarker)))
            {
                found.Add(AppYamlMarker);
            }

            if (File.Exists(Path.Combine(root, EnvYamlMarker)))
            {
                found.Add(EnvYamlMarker);
            }

            environment ??= System.Environment.GetEnvironmentVariables();
            string? projectId = null;
            string? branch = null;
            IReadOnlyList<string>? variableNames = null;
            if (IsCloudAppDir(Variable(environment, "MAGENTO_CLOUD_APP_DIR"), root))
            {
                found.Add(HostMarker);
                projectId = Variable(environment, "MAGENTO_CLOUD_PROJECT");
                branch = Variable(environment, "MAGENTO_CLOUD_ENVIRONMENT");
                variableNames = NamesOf(Variable(environment, "MAGENTO_CLOUD_VARIABLES"));
            }

            return found.Count == 0 ? None : new CloudMarkers(found.ToArray(), projectId, branch, variableNames);
        }

        /// <summary>The keys of MAGENTO_CLOUD_VARIABLES (base64 of a JSON object); null when it is missing or not that.</summary>
        private static IReadOnlyList<string>? NamesOf(string? encoded)
        {
            if (encoded == null)
            {
                return null;
            }

            try
            {
                using (var json = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(encoded)))
                {
                    return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                        ? json.RootElement.EnumerateObject().Select(p => p.Name).ToArray()
                        : null;
                }
            }
            catch (Exception ex) when (ex is FormatException || ex is System.Text.Json.JsonException)
            {
                return null;
            }
        }

        private static string? Variable(IDictionary environment, string name)
        {
            string? value = environment[name] as string;
            return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        }

        /// <summary>Whether the Cloud application folder the process was given is <paramref name="root"/> (trailing separators aside).</summary>
        private static bool IsCloudAppDir(string? appDir, string root)
        {
            if (appDir == null || !Path.IsPathRooted(appDir))
            {
                return false;
            }

            StringComparison comparison = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            return string.Equals(Trimmed(Path.GetFullPath(appDir)), Trimmed(root), comparison);
        }

        private static string Trimmed(string path)
        {
            string trimmed = path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return trimmed.Length == 0 ? path.Substring(0, 1) : trimmed;
        }

        /// <summary>The markers, for messages.</summary>
        public override string ToString() => Found.Count == 0 ? "no Cloud marker" : string.Join(", ", Found);
    }
}
