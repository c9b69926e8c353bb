using System;

namespace CommerceServices.Testing
{
    /// <summary>
    /// One private MariaDB server for the database tests of a test assembly, shared by the classes of
    /// the collection <see cref="CollectionName"/>. xunit finds a collection's definition only in the
    /// test assembly itself, so each one declares it in a line (Support/MariaDbCollection.cs); this
    /// class needs no xunit, as the benchmarks compile tests/Shared too.
    /// </summary>
    public sealed class MariaDbFixture : IDisposable
    {
        /// <summary>The name of the test collection whose classes share the server.</summary>
        public const string CollectionName = "MariaDB";

        public MariaDbFixture() => Server = MariaDbServer.Start();

        public MariaDbServer Server { get; }

        public void Dispose() => Server.Dispose();
    }
}
