using System;
using System.Collections.Generic;
using System.Linq;
using CommerceServices.Config;
using CommerceServices.Gateway;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Saas;
using CommerceServices.Stores;

namespace CommerceServices.State
{
    /// <summary>
    /// What bringing an instance to its desired state writes: the settings of every difference in one write (one
    /// transaction, or one atomic rename of env.php), so an instance is never left half-way; and how the project and
    /// data space the state names are found among those the gateway lists.
    /// </summary>
    public static class CommerceServicesStatePlan
    {
        /// <summary>
        /// The project <paramref name="wanted"/> names among <paramref name="projects"/>: the one with that id, else
        /// the only one with that name (letter case aside); null with <paramref name="problem"/> when there is none or
        /// several.
        /// </summary>
        public static SaasProject? FindProject(IReadOnlyList<SaasProject> projects, string wanted, GatewayEnvironment environment, out string? problem)
        {
            SaasProject? found = FindByIdOrName(projects, wanted, p => p.ProjectId, p => p.Name, out SaasProject[] sameName);
            problem = found != null ? null
                : sameName.Length == 0
                ? "No SaaS project with the id or name '" + wanted + "' is reachable with the " + environment + " key pair (" + projects.Count + " project(s) are). Create it with New-SaasProject -Name '" + wanted + "', or correct Project in the desired state."
                : sameName.Length + " SaaS projects are named '" + wanted + "' (" + string.Join(", ", sameName.Select(p => p.ProjectId)) + "): give the project's id in the desired state instead.";
            return found;
        }

        /// <summary>
        /// The data space <paramref name="wanted"/> names among <paramref name="dataSpaces"/>: the one with that id,
        /// else the only one with that name (letter case aside); null with <paramref name="problem"/> otherwise.
        /// </summary>
        /// <param name="within">Where the data spaces were looked for, for the message.</param>
        public static SaasDataSpace? FindDataSpace(IEnumerable<SaasDataSpace> dataSpaces, string wanted, string within, out string? problem)
        {
            SaasDataSpace[] all = dataSpaces.ToArray();
            SaasDataSpace? found = FindByIdOrName(all, wanted, d => d.DataSpaceId, d => d.Name, out SaasDataSpace[] sameName);
            problem = found != null ? null
                : sameName.Length == 0
                ? "No data space with the id or name '" + wanted + "' is in " + within + " (" + string.Join(", ", all.Select(d => d.Name)) + "). Correct DataSpace in the desired state; Get-SaasDataSpace lists them."
                : sameName.Length + " data spaces in " + within + " are named '" + wanted + "' (" + string.Join(", ", sameName.Select(d => d.DataSpaceId)) + "): give the data space's id, or the Project, in the desired state.";
            return found;
        }

        /// <summary>The item with id <paramref name="wanted"/>, else the only one with that name in any letter case; <paramref name="sameName"/> holds all with that name.</summary>
        private static T? FindByIdOrName<T>(IReadOnlyList<T> items, string wanted, Func<T, string> id, Func<T, string> name, out T[] sameName)
            where T : class
        {
            T? byId = items.FirstOrDefault(i => string.Equals(id(i), wanted, StringComparison.Ordinal));
            sameName = items.Where(i => string.Equals(name(i), wanted, StringComparison.OrdinalIgnoreCase)).ToArray();
            return byId ?? (sameName.Length == 1 ? sameName[0] : null);
        }

        /// <summary>
        /// Every setting the differences change, for one write: the gateway environment, each key pair (encrypted
        /// with the instance's crypt key), the IMS organization, and the SaaS identifier (<paramref name="dataSpace"/>
        /// with its project, or <paramref name="project"/> alone, which clears the data space as Magento does).
        /// </summary>
        /// <exception cref="CryptKeyMissingException">A key pair is to be stored, and env.php has no crypt/key.</exception>
        public static IReadOnlyList<ConfigChange> Changes(
            CommerceInstance instance,
            CommerceServicesState desired,
            IReadOnlyList<CommerceServicesStateDifference> differences,
            IReadOnlyDictionary<GatewayEnvironment, ApiKeyPair> desiredPairs,
            SaasProject? project,
            SaasDataSpace? dataSpace)
        {
            var changes = new List<ConfigChange>();
            foreach (CommerceServicesStateDifference difference in differences)
            {
                if (CommerceServicesStateComparison.KeyPairEnvironment(difference.Setting) is GatewayEnvironment environment)
                {
                    changes.AddRange(SettingsStores.KeyPairChanges(instance, desiredPairs[environment]));
                    continue;
                }

                switch (difference.Setting)
                {
                    case CommerceServicesStateSetting.GatewayEnvironment:
                        changes.Add(new ConfigChange(ConnectorPaths.GatewayEnvironment, StoredKeyPairs.SettingValueOf(desired.GatewayEnvironment!.Value)));
                        break;
                    case CommerceServicesStateSetting.ImsOrganizationId:
                        changes.Add(new ConfigChange(ConnectorPaths.ImsOrganizationId, desired.ImsOrganizationId));
                        break;
                }
            }

            if (dataSpace != null)
            {
                changes.AddRange(SaasIdentifierChange.ToDataSpace(dataSpace));
            }
            else if (project != null)
            {
                changes.AddRange(SaasIdentifierChange.ToProject(project));
            }

            return changes;
        }

        /// <summary>Whether the differences include a key pair.</summary>
        public static bool ChangesKeys(IEnumerable<CommerceServicesStateDifference> differences) =>
            differences.Any(d => CommerceServicesStateComparison.KeyPairEnvironment(d.Setting).HasValue);

        /// <summary>Whether the differences include the project or the data space.</summary>
        public static bool ChangesIdentifier(IEnumerable<CommerceServicesStateDifference> differences) =>
            differences.Any(d => d.Setting == CommerceServicesStateSetting.Project || d.Setting == CommerceServicesStateSetting.DataSpace);

        /// <summary>
        /// The key pair the gateway is asked with for <paramref name="environment"/> after the state is applied: the
        /// state's own pair when it has one (it is not stored yet), else the instance's stored pair; with the gateway
        /// URL and routes the instance is configured for.
        /// </summary>
        /// <exception cref="StoredKeyPairMissingException">The state has no pair for the environment, and the instance has none stored.</exception>
        /// <exception cref="ArgumentException">The configured gateway URL is not usable.</exception>
        public static GatewayCredentials CredentialsFor(CommerceInstance instance, IReadOnlyList<ConnectorSetting> current, IReadOnlyDictionary<GatewayEnvironment, ApiKeyPair> desiredPairs, GatewayEnvironment environment)
        {
            if (desiredPairs.TryGetValue(environment, out ApiKeyPair? pair))
            {
                return new GatewayCredentials(pair, GatewayOptions.Validate(StoredKeyPairs.GatewayUriOf(current, environment)), StoredKeyPairs.RoutesOf(current));
            }

            GatewayCredentials stored = StoredKeyPairs.From(instance, current, environment);
            return new GatewayCredentials(stored.KeyPair, GatewayOptions.Validate(stored.GatewayUri), stored.Routes);
        }
    }
}
