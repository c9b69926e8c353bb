namespace CommerceServices.Tests.Support
{
    /// <summary>The database tests of this assembly, sharing one private MariaDB server (<see cref="MariaDbFixture"/>).</summary>
    [CollectionDefinition(Name)]
    public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
    {
        public const string Name = MariaDbFixture.CollectionName;
    }
}
