using System.Management.Automation;
using CommerceServices.Gateway;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Base of the Rename- cmdlets: -NewName and -PassThru around one registry rename, with
    /// ShouldProcess. Renaming changes only a label (R9), hence ConfirmImpact Low on both.
    /// </summary>
    public abstract class SaasRenameCmdlet<T> : SaasCmdlet
        where T : class
    {
        /// <summary>The new name.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 255)]
        [ValidatePattern(@"\S")]
        public string NewName { get; set; } = string.Empty;

        /// <summary>Write the renamed object.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>What is renamed, for messages: "SaaS project" or "SaaS data space".</summary>
        protected abstract string Noun { get; }

        /// <summary>The id of the object to rename.</summary>
        protected abstract string TargetId { get; }

        /// <summary>The registry call.</summary>
        protected abstract System.Threading.Tasks.Task<T> RenameAsync(GatewayClient client, string id, string newName, System.Threading.CancellationToken token);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string newName = NewName.Trim();
            ApiKeyPair? keyPair = ResolveKeyPair();
            if (keyPair == null || !ShouldProcess(Noun + " " + TargetId + " in " + Where(keyPair), "Rename to '" + newName + "'"))
            {
                return;
            }

            if (TryCall(keyPair, (client, token) => RenameAsync(client, TargetId, newName, token), TargetId, out T renamed))
            {
                // A project list kept for New-SaasProject's check of names would now hold the old name.
                PipelineCache.Current.ForgetProjects(RegistryOf(keyPair));
                WriteVerbose("Renamed " + Noun + " " + TargetId + " to '" + newName + "'.");
                if (PassThru)
                {
                    WriteObject(renamed);
                }
            }
        }
    }
}
