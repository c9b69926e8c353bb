using System.Management.Automation;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell.Commands
{
    /// <summary>The Import-CommerceApiKey cmdlet. Its user help (synopsis, parameters, examples) has one source: en-US/CommerceServices.dll-Help.xml.</summary>
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
                WriteError(new System.ArgumentException(KeyPairInput.Invalid(Environment, read)), "InvalidApiKeyPair", ErrorCategory.InvalidData, ParameterSetName == PrivateKeyPathSet ? PrivateKeyPath : (object)Environment);
                return;
            }

            WarnIfPkcs1(read);
            WriteVerbose("Imported " + read.KeyPair);
            WriteObject(read.KeyPair);
        }
    }
}
