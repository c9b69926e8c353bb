using System.Management.Automation;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads an API key pair into an object that other cmdlets take as -ApiKey.</para>
    /// </summary>
    [Cmdlet(VerbsData.Import, "CommerceApiKey")]
    [OutputType(typeof(ApiKeyPair))]
    public sealed class ImportCommerceApiKeyCommand : ApiKeyInputCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ApiKeyPairReadResult? read = ReadInput();
            if (read == null)
            {
                return;
            }

            if (!read.IsValid)
            {
                WriteError(new System.ArgumentException(ImportCommandText.Invalid(Environment, read)), "InvalidApiKeyPair", ErrorCategory.InvalidData, ParameterSetName == PrivateKeyPathSet ? PrivateKeyPath : (object)Environment);
                return;
            }

            WarnIfPkcs1(read);
            WriteVerbose("Imported " + read.KeyPair);
            WriteObject(read.KeyPair);
        }
    }
}
