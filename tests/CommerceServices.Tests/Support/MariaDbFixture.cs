using System;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Tests.Support
{
    /// <summary>One private MariaDB server for the engine tests that need a database.</summary>
    public sealed class MariaDbFixture : IDisposable
    {
        public MariaDbFixture() => Server = MariaDbServer.Start();

        public MariaDbServer Server { get; }

        public void Dispose() => Server.Dispose();
    }

    [CollectionDefinition(Name)]
    public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
    {
        public const string Name = "MariaDB";
    }
}
