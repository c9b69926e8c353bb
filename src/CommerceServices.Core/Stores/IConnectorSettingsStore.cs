using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Config;
using CommerceServices.Instances;

namespace CommerceServices.Stores
{
    /// <summary>
    /// Where an instance's connector settings are written (<see cref="ConfigStore"/>), behind one contract:
    /// a write changes every setting or none (one transaction, or one atomic rename), leaves a backup of
    /// the previous values, refuses a path a higher layer would hide, and cleans Magento's config cache.
    /// <see cref="SettingsStores.For"/> gives the store an instance was connected with.
    /// </summary>
    public interface IConnectorSettingsStore
    {
        /// <summary>Which store this is.</summary>
        ConfigStore Kind { get; }

        /// <summary>Writes <paramref name="changes"/> (a null value removes the setting).</summary>
        /// <param name="deferConfigImport">For env.php: write even when the deployment-config hash cannot be brought up to date from here; the caller runs app:config:import on the instance.</param>
        Task<ConfigWriteResult> WriteAsync(CommerceInstance instance, IReadOnlyList<ConfigChange> changes, bool deferConfigImport, CancellationToken cancellationToken);
    }
}
