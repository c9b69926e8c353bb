using System;
using System.IO;
using System.Linq;
using CommerceServices.Config;
using CommerceServices.Instances;
using CommerceServices.Rules;
using CommerceServices.Saas;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Rules
{
    /// <summary>What Magento writes and clears when a data space or a project is chosen, and its project check.</summary>
    public sealed class SaasIdentifierChangeTests
    {
        private static readonly SaasDataSpace Testing = new SaasDataSpace("ds-7", "Testing 1", "Testing", "project-2", "Outlet", null, null);

        [Fact]
        public void ChoosingADataSpaceWritesAllFiveIdentifierSettingsWithItsProject()
        {
            ConfigChange[] changes = SaasIdentifierChange.ToDataSpace(Testing);

            Assert.Equal(SaasIdentifierChange.Paths, changes.Select(c => c.Path));
            Assert.Equal(new[] { "project-2", "Outlet", "ds-7", "Testing 1", "Testing" }, changes.Select(c => c.Value));
        }

        [Fact]
        public void ChoosingAProjectFillsInItsNameAndClearsTheDataSpace()
        {
            var project = new SaasProject("project-3", "Flagship", new[] { Testing }, null, null);

            ConfigChange[] changes = SaasIdentifierChange.ToProject(project);

            Assert.Equal(SaasIdentifierChange.Paths, changes.Select(c => c.Path));
            Assert.Equal(new[] { "project-3", "Flagship", null, null, null }, changes.Select(c => c.Value));
        }

        [Fact]
        public void TheIdentifierPathsAreTheConnectorsFive()
        {
            Assert.Equal(
                new[] { ConnectorPaths.ProjectId, ConnectorPaths.ProjectName, ConnectorPaths.DataSpaceId, ConnectorPaths.DataSpaceName, ConnectorPaths.DataSpaceType },
                SaasIdentifierChange.Paths);
        }

        [Theory]
        [InlineData(null, false, false)]
        [InlineData("", false, false)]
        [InlineData("project-2", false, false)]
        [InlineData("project-1", false, true)]
        [InlineData("project-1", true, false)]
        public void ADataSpaceOfAnotherProjectIsRefusedUnlessTheProjectIsSwitchedToo(string? configuredProject, bool switchProject, bool refused)
        {
            using var folder = new TempFolder();
            CommerceInstance instance = CommerceInstanceReader.Open(new SampleInstance().WriteTo(Path.Combine(folder.Path, "shop")));

            GuardRailViolation? mismatch = SaasIdentifierChange.ProjectMismatch(instance, configuredProject, Testing, switchProject);

            Assert.Equal(refused, mismatch != null);
            if (mismatch != null)
            {
                Assert.Equal("DataSpaceNotInProject", mismatch.ErrorId);
                Assert.Contains("-SwitchProject", mismatch.Message, StringComparison.Ordinal);
                Assert.Contains(configuredProject!, mismatch.Message, StringComparison.Ordinal);
            }
        }

        [Theory]
        [InlineData("0123456789ABCDEF01234567@AdobeOrg", true)]
        [InlineData(" 0123456789abcdef01234567@AdobeOrg ", true)]
        [InlineData("0123456789ABCDEF0123456@AdobeOrg", false)]
        [InlineData("0123456789ABCDEF01234567@adobeorg", false)]
        [InlineData("0123456789ABCDEF0123456G@AdobeOrg", false)]
        [InlineData("", false)]
        [InlineData(null, false)]
        public void AnImsOrganizationIdIsTwentyFourHexDigitsAndAdobeOrg(string? text, bool valid) =>
            Assert.Equal(valid, ImsOrganizationId.IsValid(text));

        [Fact]
        public void AProjectOfTheSameNameIsFoundWhateverItsLetterCase()
        {
            var shop = new SaasProject("p-1", "Shop", Array.Empty<SaasDataSpace>(), null, null);
            var outlet = new SaasProject("p-2", "Outlet", Array.Empty<SaasDataSpace>(), null, null);

            Assert.Same(shop, SaasProjectLookup.WithSameName(new[] { outlet, shop }, "SHOP"));
            Assert.Null(SaasProjectLookup.WithSameName(new[] { outlet, shop }, "Shop 2"));
        }
    }
}
