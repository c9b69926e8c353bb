namespace CommerceServices.Tests.Support
{
    /// <summary>
    /// The setting of the engine tests that run cmdlets against the gateway emulator: an emulator of each
    /// test's own, whose folder is the current location of the scripts and holds their instances and keys,
    /// stopped and deleted after the test.
    /// </summary>
    public abstract class EmulatorTests : IDisposable
    {
        protected EmulatorFixture Emulator { get; } = new EmulatorFixture();

        /// <summary>The folder of the instance <paramref name="name"/>: ./<paramref name="name"/> for the scripts.</summary>
        protected string InstancePath(string name) => Path.Combine(Emulator.Folder.Path, name);

        public void Dispose() => Emulator.Dispose();
    }

    /// <summary>
    /// The setting of the engine tests that run cmdlets on sample instances with databases against the
    /// gateway emulator: that of <see cref="EmulatorTests"/>, and the assembly's MariaDB server, where each
    /// instance has a database of its own.
    /// </summary>
    [Collection(MariaDbCollection.Name)]
    public abstract class ShopTests : EmulatorTests
    {
        protected ShopTests(MariaDbFixture fixture) => Server = fixture.Server;

        protected MariaDbServer Server { get; }

        /// <summary>
        /// Writes <paramref name="sample"/> (a default one unless given) as the instance <paramref name="name"/>, with a
        /// database of its own that names the emulator's <paramref name="gateways"/>.
        /// </summary>
        protected SampleShop Shop(string name, SampleInstance? sample = null, Gateways gateways = Gateways.ProductionAndSandbox)
        {
            SampleShop shop = SampleShop.Write(Server, InstancePath(name), sample);
            return gateways == Gateways.None ? shop : shop.UseGateways(Emulator.ProductionUri, gateways == Gateways.ProductionAndSandbox ? Emulator.SandboxUri : null);
        }
    }

    /// <summary>The emulator's gateways an instance's database names (services_connector/production_gateway_url, sandbox_gateway_url).</summary>
    public enum Gateways
    {
        None,
        Production,
        ProductionAndSandbox,
    }
}
