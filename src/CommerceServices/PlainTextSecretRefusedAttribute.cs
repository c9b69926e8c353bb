using System.Management.Automation;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Put on SecureString secret parameters: a plain string is refused with a message that says
    /// what to pass instead, and never repeats the value it was given.
    /// </summary>
    public sealed class PlainTextSecretRefusedAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string)
            {
                throw new ArgumentTransformationMetadataException(
                    "A private key is not accepted as a plain string, because it would stay readable in memory, in the command history and in transcripts. " +
                    "Pass a SecureString (for example from Get-Secret or Read-Host -AsSecureString) or the key file with -PrivateKeyPath.");
            }

            return inputData;
        }
    }
}
