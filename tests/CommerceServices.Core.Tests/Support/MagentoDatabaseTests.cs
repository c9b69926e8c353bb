using System;
using CommerceServices.Testing;
using Xunit;

namespace CommerceServices.Core.Tests.Support
{
    /// <summary>
    /// The setting of the core tests that read or write an instance's database: the assembly's MariaDB server,
    /// a Magento database of the test's own (tables with <see cref="Prefix"/>), and a folder for its instances,
    /// deleted after the test.
    /// </summary>
    [Collection(MariaDbCollection.Name)]
    public abstract class MagentoDatabaseTests : IDisposable
    {
        /// <summary>The table prefix of the test's database.</summary>
        protected const string Prefix = "mg_";

        protected MagentoDatabaseTests(MariaDbFixture fixture)
        {
            Server = fixture.Server;
            Database = MagentoDatabase.Create(Server, Prefix);
        }

        protected MariaDbServer Server { get; }

        /// <summary>The test's own Magento database on <see cref="Server"/>.</summary>
        protected string Database { get; }

        /// <summary>Where the test writes its instances.</summary>
        protected TempFolder Folder { get; } = new TempFolder();

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>Deletes the folder; a test class that changes static test hooks puts them back here.</summary>
        protected virtual void Dispose(bool disposing)
        {
            if (disposing)
            {
                Folder.Dispose();
            }
        }
    }
}
