using System;
using CommerceServices.Instances;
using CommerceServices.Saas;

namespace CommerceServices.Rules
{
    /// <summary>
    /// The guard rails of a data space choice, written once for the cmdlets that change an instance's
    /// SaaS identifier and for the connection report that judges the current one:
    /// <list type="bullet">
    /// <item>R7: the Production data space only on an instance declared Production
    /// (<see cref="ProductionDataSpaceRefusal"/>, <see cref="ProductionDataSpaceFits"/>);</item>
    /// <item>R6: each instance its own data space (<see cref="DataSpaceUse"/>, <see cref="SharedDataSpaceRefusal"/>);</item>
    /// <item>R8: no change of keys and of the Production data space of a live installation in one session
    /// (<see cref="ProductionLossRefusal"/>, <see cref="ProductionLossNotice"/>).</item>
    /// </list>
    /// Each refusal can be overridden with -Force by the cmdlets; the rules themselves do not know of it.
    /// </summary>
    public static class DataSpaceGuardRails
    {
        /// <summary>The data space type that receives live data.</summary>
        public const string ProductionType = "Production";

        /// <summary>Whether a data space type is the Production one (the registry's spelling varies in case).</summary>
        public static bool IsProduction(string? dataSpaceType) => string.Equals(dataSpaceType, ProductionType, StringComparison.OrdinalIgnoreCase);

        /// <summary>R7: whether an instance of <paramref name="role"/> may use a data space of <paramref name="dataSpaceType"/>.</summary>
        public static bool ProductionDataSpaceFits(string? dataSpaceType, InstanceRole role) => !IsProduction(dataSpaceType) || role == InstanceRole.Production;

        /// <summary>R7: why <paramref name="instance"/> may not choose <paramref name="dataSpace"/>; null when it may.</summary>
        public static GuardRailViolation? ProductionDataSpaceRefusal(CommerceInstance instance, SaasDataSpace dataSpace) =>
            ProductionDataSpaceRefusal(instance, dataSpace.Name, dataSpace.Type);

        /// <summary>R7 for a data space known by its name and type (one a backup holds, say).</summary>
        public static GuardRailViolation? ProductionDataSpaceRefusal(CommerceInstance instance, string? dataSpaceName, string? dataSpaceType) =>
            ProductionDataSpaceFits(dataSpaceType, instance.Role)
                ? null
                : new GuardRailViolation(
                    "R7",
                    "ProductionDataSpaceOnNonProduction",
                    "Data space '" + dataSpaceName + "' is the Production data space, and " + instance.Path + " is not declared a production installation (role " + instance.Role + "). Using the Production data space anywhere but on the live installation overwrites live data with test data, such as staging URLs in the live catalog (R7). "
                        + "Choose a Testing data space, or if this is the live installation connect it with -Role Production (or add -Force).");

        /// <summary>R6: the refusal when <paramref name="usedBy"/> (another instance's path) already uses <paramref name="dataSpace"/>.</summary>
        public static GuardRailViolation SharedDataSpaceRefusal(SaasDataSpace dataSpace, string usedBy) =>
            new GuardRailViolation(
                "R6",
                "DataSpaceInUse",
                "Data space '" + dataSpace.Name + "' (" + dataSpace.DataSpaceId + ") is already used by " + usedBy + ". Each instance needs a data space of its own, or their data overwrite each other (R6). Choose another data space, or add -Force.");

        /// <summary>
        /// R8: why the SaaS identifier of <paramref name="instance"/> may not change now; null when it may.
        /// Refused when the instance is (or, its current identifier unknown, may be) on a Production data
        /// space and its key pair was changed earlier in the same session.
        /// </summary>
        /// <param name="currentType">The type of the data space the instance uses now.</param>
        /// <param name="currentKnown">Whether the current identifier could be read.</param>
        /// <param name="keysChangedInSession">Whether the instance's key pair was stored earlier in this session.</param>
        public static GuardRailViolation? ProductionLossRefusal(CommerceInstance instance, string? currentType, bool currentKnown, bool keysChangedInSession)
        {
            if ((currentKnown && !IsProduction(currentType)) || !keysChangedInSession)
            {
                return null;
            }

            return new GuardRailViolation(
                "R8",
                "ProductionIdentifierAfterKeyChange",
                instance.Path + (currentKnown ? " sends live data to a Production data space" : " may send live data to a Production data space (its current one is not known here)") + ", and its key pair was changed earlier in this session. Changing keys and the data space of a live installation in one run mixes two changes whose loss cannot be told apart or undone (R8): the Production data space stops receiving data. "
                    + "Check the new keys first (Test-CommerceConnection), then change the data space in a new session, or add -Force.");
        }

        /// <summary>
        /// R8: what moving off the current data space loses, for the confirmation of the change (empty when the
        /// instance is known not to be on a Production data space).
        /// </summary>
        public static string ProductionLossNotice(string? currentType, bool currentKnown)
        {
            if (currentKnown && !IsProduction(currentType))
            {
                return string.Empty;
            }

            return (currentKnown ? " The instance now sends live data to a Production data space; after the change" : " The data space the instance uses now is not known here; if it is a Production data space, after the change")
                + " that data space stops receiving it, and the SaaS services (recommendations, search, payments) work from the new data space's data only (R8).";
        }
    }
}
