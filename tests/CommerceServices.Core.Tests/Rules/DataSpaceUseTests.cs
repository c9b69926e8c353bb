using System.Linq;
using System.Threading.Tasks;
using CommerceServices.Rules;
using Xunit;

namespace CommerceServices.Core.Tests.Rules
{
    /// <summary>R6: each instance its own data space.</summary>
    public sealed class DataSpaceUseTests
    {
        [Fact]
        public void AClaimIsRefusedWhileAnotherInstanceUsesTheDataSpaceAndNamesThatInstance()
        {
            var use = new DataSpaceUse();
            use.RecordRead("/srv/a", "ds-1");

            Assert.False(use.TryClaim("/srv/b", "ds-1", new[] { "/srv/a" }, out string? usedBy));
            Assert.Equal("/srv/a", usedBy);
            Assert.False(use.TryGet("/srv/b", out _));

            Assert.True(use.TryClaim("/srv/b", "ds-2", new[] { "/srv/a" }, out usedBy));
            Assert.Null(usedBy);
            Assert.True(use.TryGet("/srv/b", out string? claimed));
            Assert.Equal("ds-2", claimed);
        }

        [Fact]
        public void AnInstanceMayClaimTheDataSpaceItAlreadyUses()
        {
            var use = new DataSpaceUse();
            use.Record("/srv/a", "ds-1");

            Assert.True(use.TryClaim("/srv/a", "ds-1", new[] { "/srv/a" }, out _));
        }

        [Fact]
        public void AReadDoesNotOverwriteWhatAChangeRecorded()
        {
            var use = new DataSpaceUse();
            use.Record("/srv/a", "ds-new");
            use.RecordRead("/srv/a", "ds-old");

            Assert.True(use.TryGet("/srv/a", out string? current));
            Assert.Equal("ds-new", current);
        }

        [Fact]
        public void OnlyOneOfManyInstancesClaimingOneDataSpaceAtOnceGetsIt()
        {
            var use = new DataSpaceUse();
            string[] paths = Enumerable.Range(0, 32).Select(i => "/srv/shop" + i).ToArray();

            bool[] won = new bool[paths.Length];
            Parallel.For(0, paths.Length, i => won[i] = use.TryClaim(paths[i], "ds-shared", paths, out _));

            Assert.Equal(1, won.Count(w => w));
        }

        [Fact]
        public void TheOthersUsingADataSpaceLeaveOutTheInstanceItself()
        {
            var use = new DataSpaceUse();
            use.Record("/srv/b", "ds-1");
            use.Record("/srv/a", "ds-1");
            use.Record("/srv/c", "ds-2");
            use.Record("/srv/d", null);

            Assert.Equal(new[] { "/srv/b" }, use.OthersUsing("/srv/a", "ds-1"));
            Assert.Equal(new[] { "/srv/a", "/srv/b" }, use.OthersUsing("/srv/c", "ds-1"));
            Assert.Empty(use.OthersUsing("/srv/c", "ds-2"));

            use.Clear();
            Assert.Empty(use.OthersUsing("/srv/c", "ds-1"));
        }
    }
}
