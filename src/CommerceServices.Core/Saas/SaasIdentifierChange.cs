using System.Collections.Generic;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Rules;

namespace CommerceServices.Saas
{
    /// <summary>
    /// What Magento writes when an instance's SaaS identifier is chosen in the Admin, as one set of
    /// changes: choosing a data space writes the five identifier settings (the project with it);
    /// choosing a project fills in its name and clears the data space until one is chosen (Magento's
    /// services-id plugin on the project id). The registry calls that follow a data space choice are
    /// <see cref="DataSpaceRegistration"/>.
    /// </summary>
    public static class SaasIdentifierChange
    {
        /// <summary>The five settings of the SaaS identifier, in the order Magento shows them.</summary>
        public static IReadOnlyList<string> Paths { get; } = new[]
        {
            ConnectorPaths.ProjectId, ConnectorPaths.ProjectName, ConnectorPaths.DataSpaceId, ConnectorPaths.DataSpaceName, ConnectorPaths.DataSpaceType,
        };

        /// <summary>The settings written when <paramref name="dataSpace"/> is chosen: its project, and the data space itself.</summary>
        public static ConfigChange[] ToDataSpace(SaasDataSpace dataSpace) => new[]
        {
            new ConfigChange(ConnectorPaths.ProjectId, dataSpace.ProjectId),
            new ConfigChange(ConnectorPaths.ProjectName, dataSpace.ProjectName),
            new ConfigChange(ConnectorPaths.DataSpaceId, dataSpace.DataSpaceId),
            new ConfigChange(ConnectorPaths.DataSpaceName, dataSpace.Name),
            new ConfigChange(ConnectorPaths.DataSpaceType, dataSpace.Type),
        };

        /// <summary>The settings written when <paramref name="project"/> is chosen: its id and name; the data space is cleared.</summary>
        public static ConfigChange[] ToProject(SaasProject project) => new[]
        {
            new ConfigChange(ConnectorPaths.ProjectId, project.ProjectId),
            new ConfigChange(ConnectorPaths.ProjectName, project.Name),
            new ConfigChange(ConnectorPaths.DataSpaceId, null),
            new ConfigChange(ConnectorPaths.DataSpaceName, null),
            new ConfigChange(ConnectorPaths.DataSpaceType, null),
        };

        /// <summary>
        /// Magento's own check when a data space is saved: it must belong to the project the instance is
        /// configured for. Null when it does, when no project is configured, or when
        /// <paramref name="switchProject"/> moves the instance to the data space's project as well.
        /// </summary>
        public static GuardRailViolation? ProjectMismatch(CommerceInstance instance, string? configuredProjectId, SaasDataSpace dataSpace, bool switchProject)
        {
            if (string.IsNullOrEmpty(configuredProjectId) || configuredProjectId == dataSpace.ProjectId || switchProject)
            {
                return null;
            }

            return new GuardRailViolation(
                "Magento",
                "DataSpaceNotInProject",
                "Data space '" + dataSpace.Name + "' (" + dataSpace.DataSpaceId + ") belongs to project '" + dataSpace.ProjectName + "' (" + dataSpace.ProjectId + "), not to the project " + instance.Path + " is configured for (" + configuredProjectId + "). Magento refuses such a data space. Choose a data space of the configured project, or add -SwitchProject to move the instance to '" + dataSpace.ProjectName + "' as well.");
        }
    }
}
