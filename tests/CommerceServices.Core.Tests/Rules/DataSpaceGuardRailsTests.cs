using System;
using System.IO;
using CommerceServices.Instances;
using CommerceServices.Rules;
using CommerceServices.Saas;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Rules
{
    /// <summary>R7 (the Production data space only on a Production instance) and R8 (no change of keys and of
    /// the Production data space in one session) as the cmdlets and the connection report apply them.</summary>
    public sealed class DataSpaceGuardRailsTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        private CommerceInstance Instance(InstanceRole role) =>
            CommerceInstanceReader.Open(new SampleInstance().WriteTo(Path.Combine(folder.Path, role.ToString())), ConfigStore.Database, role);

        private static SaasDataSpace DataSpace(string type) => new SaasDataSpace("ds-" + type, type + " space", type, "project-1", "Shop", null, null);

        [Theory]
        [InlineData("Production", InstanceRole.Production, true)]
        [InlineData("Production", InstanceRole.Staging, false)]
        [InlineData("production", InstanceRole.Undeclared, false)]
        [InlineData("Testing", InstanceRole.Staging, true)]
        [InlineData("Testing", InstanceRole.Production, true)]
        [InlineData(null, InstanceRole.Development, true)]
        public void TheProductionDataSpaceFitsOnlyAnInstanceDeclaredProduction(string? type, InstanceRole role, bool fits) =>
            Assert.Equal(fits, DataSpaceGuardRails.ProductionDataSpaceFits(type, role));

        [Fact]
        public void ChoosingTheProductionDataSpaceOnAStagingInstanceIsRefusedWithTheRuleAndTheWayOut()
        {
            CommerceInstance staging = Instance(InstanceRole.Staging);

            GuardRailViolation? refusal = DataSpaceGuardRails.ProductionDataSpaceRefusal(staging, DataSpace("Production"));

            Assert.NotNull(refusal);
            Assert.Equal("R7", refusal!.Rule);
            Assert.Equal("ProductionDataSpaceOnNonProduction", refusal.ErrorId);
            Assert.Contains(staging.Path, refusal.Message, StringComparison.Ordinal);
            Assert.Contains("-Role Production", refusal.Message, StringComparison.Ordinal);
            Assert.Null(DataSpaceGuardRails.ProductionDataSpaceRefusal(staging, DataSpace("Testing")));
            Assert.Null(DataSpaceGuardRails.ProductionDataSpaceRefusal(Instance(InstanceRole.Production), DataSpace("Production")));
        }

        [Theory]
        [InlineData("Production", true, true, true)]
        [InlineData("Production", true, false, false)]
        [InlineData("Testing", true, true, false)]
        [InlineData(null, false, true, true)]
        [InlineData(null, false, false, false)]
        [InlineData(null, true, true, false)]
        public void LeavingAProductionDataSpaceIsRefusedOnlyAfterAKeyChangeInTheSameSession(string? currentType, bool currentKnown, bool keysChanged, bool refused)
        {
            CommerceInstance live = Instance(InstanceRole.Production);

            GuardRailViolation? refusal = DataSpaceGuardRails.ProductionLossRefusal(live, currentType, currentKnown, keysChanged);

            Assert.Equal(refused, refusal != null);
            if (refusal != null)
            {
                Assert.Equal("R8", refusal.Rule);
                Assert.Equal("ProductionIdentifierAfterKeyChange", refusal.ErrorId);
                Assert.Contains(currentKnown ? "sends live data" : "its current one is not known here", refusal.Message, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void TheConfirmationSaysWhatLeavingTheDataSpaceLosesUnlessItIsKnownNotToBeProduction()
        {
            Assert.Equal(string.Empty, DataSpaceGuardRails.ProductionLossNotice("Testing", currentKnown: true));
            Assert.Contains("now sends live data to a Production data space", DataSpaceGuardRails.ProductionLossNotice("PRODUCTION", currentKnown: true), StringComparison.Ordinal);
            Assert.Contains("not known here", DataSpaceGuardRails.ProductionLossNotice(null, currentKnown: false), StringComparison.Ordinal);
        }
    }
}
