using System;
using System.Collections.Generic;
using System.Linq;
using CommerceServices.Config;
using CommerceServices.Encryption;
using CommerceServices.Instances;
using CommerceServices.Keys;

namespace CommerceServices.State
{
    /// <summary>
    /// How an instance differs from a desired state, from its settings alone (no gateway call): the role it is
    /// declared with, the gateway environment, each key pair (by API key and public key fingerprint, and whether the
    /// connector can read what is stored), the IMS organization, and the project and data space (by id, or by the
    /// name Magento keeps with it, in any letter case). A difference lists nothing secret.
    /// </summary>
    public static class CommerceServicesStateComparison
    {
        /// <summary>The settings a comparison reads.</summary>
        public static IReadOnlyList<string> Paths { get; } = ConnectorPaths.ConnectionPaths.Append(ConnectorPaths.ImsOrganizationId).ToArray();

        /// <summary>The differences, in the order they are applied; none when the instance is in the desired state.</summary>
        /// <param name="desiredPairs">The key pairs of <see cref="CommerceServicesState.KeyPairs"/>, read from where they are.</param>
        public static IReadOnlyList<CommerceServicesStateDifference> Compare(CommerceServicesState desired, CommerceInstance instance, IReadOnlyList<ConnectorSetting> current, IReadOnlyDictionary<GatewayEnvironment, ApiKeyPair> desiredPairs)
        {
            var differences = new List<CommerceServicesStateDifference>();
            if (desired.Role.HasValue && desired.Role.Value != instance.Role)
            {
                differences.Add(new CommerceServicesStateDifference(CommerceServicesStateSetting.Role, instance.Role.ToString(), desired.Role.Value.ToString()));
            }

            if (desired.GatewayEnvironment.HasValue)
            {
                GatewayEnvironment active = StoredKeyPairs.ActiveEnvironment(current);
                if (active != desired.GatewayEnvironment.Value)
                {
                    differences.Add(new CommerceServicesStateDifference(CommerceServicesStateSetting.GatewayEnvironment, active.ToString(), desired.GatewayEnvironment.Value.ToString()));
                }
            }

            IReadOnlyList<StoredApiKey> stored = StoredApiKey.From(instance, current);
            MagentoEncryptor? encryptor = ConnectorConfigReader.EncryptorOf(instance);
            foreach (GatewayEnvironment environment in new[] { GatewayEnvironment.Production, GatewayEnvironment.Sandbox })
            {
                if (!desiredPairs.TryGetValue(environment, out ApiKeyPair? pair))
                {
                    continue;
                }

                StoredApiKey have = stored.Single(k => k.Environment == environment);
                ConnectorSetting apiKeySetting = current.Single(s => s.Path == ConnectorPaths.ApiKeyFor(environment));
                string? storedApiKey = apiKeySetting.IsUndecryptable ? null : StoredSecret.PlainValue(apiKeySetting, encryptor);
                bool same = have.IsSet
                    && have.Problems.Length == 0
                    && string.Equals(have.Fingerprint, pair.Fingerprint, StringComparison.Ordinal)
                    && storedApiKey != null
                    && string.Equals(ApiKeyValidator.Normalize(storedApiKey), pair.ApiKey, StringComparison.Ordinal);
                if (!same)
                {
                    differences.Add(new CommerceServicesStateDifference(KeyPairSetting(environment), Describe(have), Describe(pair)));
                }
            }

            if (desired.ManagesImsOrganizationId)
            {
                string? have = Value(current, ConnectorPaths.ImsOrganizationId)?.Trim();
                if (string.IsNullOrEmpty(have))
                {
                    have = null;
                }

                if (!string.Equals(have, desired.ImsOrganizationId, StringComparison.OrdinalIgnoreCase))
                {
                    differences.Add(new CommerceServicesStateDifference(CommerceServicesStateSetting.ImsOrganizationId, have ?? "(none)", desired.ImsOrganizationId ?? "(none)"));
                }
            }

            bool projectDiffers = false;
            if (desired.Project != null && !Names(desired.Project, Value(current, ConnectorPaths.ProjectId), Value(current, ConnectorPaths.ProjectName)))
            {
                projectDiffers = true;
                differences.Add(new CommerceServicesStateDifference(CommerceServicesStateSetting.Project, Identifier(current, ConnectorPaths.ProjectName, ConnectorPaths.ProjectId), desired.Project));
            }

            // A new project clears the data space, so a data space of the state is then always to be chosen.
            if (desired.DataSpace != null && (projectDiffers || !Names(desired.DataSpace, Value(current, ConnectorPaths.DataSpaceId), Value(current, ConnectorPaths.DataSpaceName))))
            {
                differences.Add(new CommerceServicesStateDifference(CommerceServicesStateSetting.DataSpace, Identifier(current, ConnectorPaths.DataSpaceName, ConnectorPaths.DataSpaceId), desired.DataSpace));
            }

            return differences;
        }

        /// <summary>The setting that stands for the key pair of <paramref name="environment"/>.</summary>
        public static CommerceServicesStateSetting KeyPairSetting(GatewayEnvironment environment) =>
            environment == GatewayEnvironment.Production ? CommerceServicesStateSetting.ProductionKeyPair : CommerceServicesStateSetting.SandboxKeyPair;

        /// <summary>The environment of a key pair setting; null for any other setting.</summary>
        public static GatewayEnvironment? KeyPairEnvironment(CommerceServicesStateSetting setting) =>
            setting == CommerceServicesStateSetting.ProductionKeyPair ? GatewayEnvironment.Production
            : setting == CommerceServicesStateSetting.SandboxKeyPair ? GatewayEnvironment.Sandbox
            : (GatewayEnvironment?)null;

        /// <summary>A key pair as messages show it: API key hint and the start of the fingerprint.</summary>
        public static string Describe(ApiKeyPair pair) => pair.ApiKeyHint + ", SHA256:" + pair.Fingerprint.Substring(0, 16) + "...";

        private static string Describe(StoredApiKey stored)
        {
            if (!stored.IsSet)
            {
                return "(not set)";
            }

            string described = (stored.ApiKey ?? "?") + (stored.Fingerprint == null ? string.Empty : ", SHA256:" + stored.Fingerprint.Substring(0, 16) + "...");
            return stored.Problems.Length == 0 ? described : described + " (" + string.Join(", ", stored.Problems) + ")";
        }

        /// <summary>Whether <paramref name="wanted"/> names the id (exactly) or the name (in any letter case).</summary>
        private static bool Names(string wanted, string? id, string? name) =>
            (id != null && string.Equals(wanted, id, StringComparison.Ordinal)) || (name != null && string.Equals(wanted, name, StringComparison.OrdinalIgnoreCase));

        private static string Identifier(IReadOnlyList<ConnectorSetting> current, string namePath, string idPath)
        {
            string? id = Value(current, idPath);
            return id == null ? "(none)" : (Value(current, namePath) ?? "?") + " (" + id + ")";
        }

        /// <summary>The value of <paramref name="path"/> among settings read; null when it is not set or empty.</summary>
        public static string? Value(IReadOnlyList<ConnectorSetting> current, string path)
        {
            string? value = current.FirstOrDefault(s => s.Path == path)?.Value;
            return string.IsNullOrEmpty(value) ? null : value;
        }
    }
}
