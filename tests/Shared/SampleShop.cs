using System;

namespace CommerceServices.Testing
{
    /// <summary>
    /// A sample instance (<see cref="SampleInstance"/>) written to a folder with a Magento database of its
    /// own on a test server (<see cref="MagentoDatabase"/>), and what tests read and write in that database.
    /// </summary>
    public sealed class SampleShop
    {
        public const string ProductionGatewayUrl = "services_connector/production_gateway_url";

        public const string SandboxGatewayUrl = "services_connector/sandbox_gateway_url";

        private SampleShop(MariaDbServer server, string root, string database, string tablePrefix)
        {
            Server = server;
            Root = root;
            Database = database;
            TablePrefix = tablePrefix;
        }

        public MariaDbServer Server { get; }

        /// <summary>The instance's root folder.</summary>
        public string Root { get; }

        /// <summary>The name of the instance's database.</summary>
        public string Database { get; }

        public string TablePrefix { get; }

        /// <summary>
        /// Creates a database with the tables of <paramref name="sample"/>'s prefix (a default sample unless given),
        /// points the sample at it and writes the instance under <paramref name="root"/>.
        /// </summary>
        public static SampleShop Write(MariaDbServer server, string root, SampleInstance? sample = null, bool overSocket = true)
        {
            sample ??= new SampleInstance();
            string database = MagentoDatabase.Create(server, sample.TablePrefix);
            sample.UseDatabase(server, database, overSocket).WriteTo(root);
            return new SampleShop(server, root, database, sample.TablePrefix);
        }

        /// <summary>Inserts or replaces a default-scope value in the database.</summary>
        public SampleShop Set(string path, string? value)
        {
            MagentoDatabase.SetValue(Server, Database, TablePrefix, path, value);
            return this;
        }

        /// <summary>Configures the instance for these gateways in the database: production, and sandbox when given.</summary>
        public SampleShop UseGateways(Uri production, Uri? sandbox = null)
        {
            Set(ProductionGatewayUrl, production.ToString());
            return sandbox == null ? this : Set(SandboxGatewayUrl, sandbox.ToString());
        }

        /// <summary>The default-scope value of <paramref name="path"/> in the database (empty when there is none).</summary>
        public string Value(string path) =>
            Sql("SELECT value FROM " + TablePrefix + "core_config_data WHERE scope = 'default' AND path = '" + path + "'").TrimEnd('\n');

        /// <summary>Runs SQL in the instance's database.</summary>
        public string Sql(string sql) => Server.Sql(sql, Database);
    }
}
