using System.IO;
using CommerceServices.Instances;
using CommerceServices.Rules;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Rules
{
    /// <summary>R12: the connector needs both of its modules.</summary>
    public class ConnectorModulesTests
    {
        [Theory]
        [InlineData(true, true)]
        [InlineData(false, false)]
        public void TheConnectorCountsAsEnabledOnlyWithBothModules(bool enabledInConfigPhp, bool enabled)
        {
            using var folder = new TempFolder();
            CommerceInstance instance = CommerceInstanceReader.Open(new SampleInstance { ConnectorEnabled = enabledInConfigPhp }.WriteTo(Path.Combine(folder.Path, "shop")));

            Assert.Equal(enabled, ConnectorModules.Enabled(instance));
            Assert.Equal(instance.ServicesConnectorEnabled && instance.ServicesIdEnabled, ConnectorModules.Enabled(instance));
        }
    }
}
