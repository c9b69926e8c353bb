using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Gateway;
using CommerceServices.Instances;

namespace CommerceServices.Saas
{
    /// <summary>
    /// One registry call that Magento makes after services_id/environment_id is saved with a data
    /// space (Magento_ServicesId's cloudid PUT, Magento_LiveSearch's PREMIUM_SEARCH feature PUT), and
    /// that 'bin/magento setup:upgrade' repeats through their RecurringData setup.
    /// </summary>
    public sealed class RegistryFollowUp
    {
        private readonly Func<GatewayClient, CancellationToken, Task> send;

        internal RegistryFollowUp(string operation, string why, string describes, Func<GatewayClient, CancellationToken, Task> send)
        {
            Operation = operation;
            Why = why;
            Describes = describes;
            this.send = send;
        }

        /// <summary>The registry operation after registry_api_path, e.g. registry/environments/{id}/feature/PREMIUM_SEARCH.</summary>
        public string Operation { get; }

        /// <summary>Why Magento makes the call for this instance.</summary>
        public string Why { get; }

        /// <summary>What the call tells the registry, e.g. "that Live Search is used with the data space".</summary>
        public string Describes { get; }

        /// <summary>The request line, as a -WhatIf names it: PUT /merchant-registry/v1/registry/... .</summary>
        public string RequestLine(GatewayRoutes routes) => "PUT " + (routes.RegistryApiPath ?? string.Empty) + Operation;

        /// <summary>Makes the call.</summary>
        public Task SendAsync(GatewayClient client, CancellationToken cancellationToken) => send(client, cancellationToken);
    }

    /// <summary>
    /// The side effects of choosing a data space, as Magento's plugins have them: services-id's
    /// SetCloudIdOnConfigSave attaches the Adobe Commerce Cloud project id when there is one
    /// (MAGENTO_CLOUD_PROJECT), and Live Search's RegisterMerchantOnConfigValueSave registers the
    /// PREMIUM_SEARCH feature when Magento_LiveSearch is enabled. Clearing the data space calls nothing.
    /// </summary>
    public static class DataSpaceRegistration
    {
        /// <summary>The module whose plugin registers the feature.</summary>
        public const string LiveSearchModule = "Magento_LiveSearch";

        /// <summary>The feature Live Search registers for a data space.</summary>
        public const string LiveSearchFeature = "PREMIUM_SEARCH";

        /// <summary>
        /// What the registry was not told when a data space is chosen for a Cloud instance whose project id is not
        /// known here (it is known only in the Cloud application itself, or from -CloudProjectId); null otherwise.
        /// </summary>
        public static string? CloudProjectUnknown(CommerceInstance instance, string? dataSpaceId, string? cloudProjectId) =>
            instance.Platform != InstancePlatform.Cloud || string.IsNullOrEmpty(dataSpaceId) || !string.IsNullOrEmpty(cloudProjectId)
                ? null
                : instance.Path + " is an Adobe Commerce on Cloud project, but its project id is not known here, so the registry was not told that data space "
                    + dataSpaceId + " belongs to it (Magento tells it on the Cloud host, from MAGENTO_CLOUD_PROJECT). "
                    + "Choose the data space again with -CloudProjectId <project id> ('magento-cloud project:info id' shows it), or run 'bin/magento setup:upgrade' in the Cloud environment, which tells the registry.";

        /// <summary>The calls Magento would make after <paramref name="instance"/> is set to <paramref name="dataSpaceId"/>.</summary>
        /// <param name="cloudProjectId">The instance's Adobe Commerce Cloud project id, when it is a Cloud project.</param>
        public static IReadOnlyList<RegistryFollowUp> For(CommerceInstance instance, string? dataSpaceId, string? cloudProjectId)
        {
            var calls = new List<RegistryFollowUp>();
            if (string.IsNullOrEmpty(dataSpaceId))
            {
                return calls;
            }

            string escaped = Uri.EscapeDataString(dataSpaceId);
            if (!string.IsNullOrEmpty(cloudProjectId))
            {
                calls.Add(new RegistryFollowUp(
                    "registry/environments/" + escaped + "/cloudid/" + Uri.EscapeDataString(cloudProjectId),
                    "the instance is Adobe Commerce Cloud project " + cloudProjectId,
                    "that the data space belongs to Adobe Commerce Cloud project " + cloudProjectId,
                    (client, token) => client.AttachCloudProjectAsync(dataSpaceId!, cloudProjectId!, token)));
            }

            if (instance.IsModuleEnabled(LiveSearchModule))
            {
                calls.Add(new RegistryFollowUp(
                    "registry/environments/" + escaped + "/feature/" + LiveSearchFeature,
                    LiveSearchModule + " is enabled",
                    "that Live Search is used with the data space (feature " + LiveSearchFeature + ")",
                    (client, token) => client.EnableFeatureAsync(dataSpaceId!, LiveSearchFeature, token)));
            }

            return calls;
        }
    }
}
