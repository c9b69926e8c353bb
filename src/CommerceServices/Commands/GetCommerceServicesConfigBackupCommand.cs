using System.Management.Automation;
using CommerceServices.Instances;
using CommerceServices.Stores.Backups;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Get-CommerceServicesConfigBackup cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
    [Cmdlet(VerbsCommon.Get, "CommerceServicesConfigBackup")]
    [OutputType(typeof(ConfigBackupInfo))]
    public sealed class GetCommerceServicesConfigBackupCommand : InstanceCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (CommerceInstance instance in ResolveInstances())
            {
                foreach (string file in ConfigBackupReader.Files(instance))
                {
                    try
                    {
                        ConfigBackup backup = ConfigBackupReader.Read(instance, file);
                        WriteObject(RunOperation((debug, token) => ConfigBackupInfo.DescribeAsync(instance, backup, token)));
                    }
                    catch (ConfigBackupUnreadableException ex)
                    {
                        WriteError(ex, "ConfigBackupUnreadable", ErrorCategory.InvalidData, file);
                    }
                    catch (DatabaseUnavailableException ex)
                    {
                        WriteError(ex, "DatabaseUnavailable", ErrorCategory.ConnectionError, instance);
                        break;
                    }
                }
            }
        }
    }
}
