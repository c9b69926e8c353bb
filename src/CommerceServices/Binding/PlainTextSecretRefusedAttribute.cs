using System.Management.Automation;
using System.Security;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Put on SecureString secret parameters: a plain string is refused with a message that says
    /// what to pass instead, and never repeats the value it was given. The refusal is the
    /// cmdlet's own error (<see cref="KeyPairInput.AcceptsSecret"/>), not the engine's binding
    /// error, because the engine's would carry the piped object, plain-text key and all, as its
    /// target object into $Error.
    /// </summary>
    public sealed class PlainTextSecretRefusedAttribute : ArgumentTransformationAttribute
    {
        /// <summary>The message of the refusal.</summary>
        internal const string Message =
            "A private key is not accepted as a plain string, because it would stay readable in memory, in the command history and in transcripts. " +
            "Pass a SecureString (for example from Get-Secret or Read-Host -AsSecureString) or the key file with -PrivateKeyPath.";

        /// <summary>What a refused plain string binds as: empty, read-only, recognised by reference.</summary>
        internal static readonly SecureString Refused = CreateRefused();

        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is string ? Refused : inputData;
        }

        private static SecureString CreateRefused()
        {
            var refused = new SecureString();
            refused.MakeReadOnly();
            return refused;
        }
    }
}
