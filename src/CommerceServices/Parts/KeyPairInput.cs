using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CommerceServices.Keys;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Reading a key pair the user gives (an API key with its private key as a SecureString or a file):
    /// the file's errors, the refusal of a plain-text private key, and the messages about what was read,
    /// the same for every cmdlet that takes a key pair.
    /// </summary>
    internal sealed class KeyPairInput
    {
        private readonly CommerceCmdlet cmdlet;

        public KeyPairInput(CommerceCmdlet cmdlet)
        {
            this.cmdlet = cmdlet;
        }

        /// <summary>
        /// Reads a key pair whose private key is in a file, or writes the error that says why the
        /// file could not be read (PrivateKeyFileNotFound, PrivateKeyFileUnreadable) and returns null.
        /// </summary>
        public ApiKeyPairReadResult? ReadFile(string? apiKey, string privateKeyPath, GatewayEnvironment environment)
        {
            string path = cmdlet.ResolveLiteralFilePath(privateKeyPath);
            try
            {
                cmdlet.WriteVerbose("Reading the " + environment + " private key from '" + path + "'.");
                return ApiKeyPairReader.ReadFile(apiKey, path, environment);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                cmdlet.WriteError(new ErrorRecord(
                    new ItemNotFoundException("Cannot use the " + environment + " API key pair: the private key file '" + path + "' does not exist. Check the path, or pass the key with -PrivateKey.", ex),
                    "PrivateKeyFileNotFound",
                    ErrorCategory.ObjectNotFound,
                    privateKeyPath));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is SecurityException || ex is NotSupportedException)
            {
                cmdlet.WriteError(new ErrorRecord(
                    new IOException("Cannot use the " + environment + " API key pair: the private key file '" + path + "' cannot be read: " + ex.Message + " Check the path and that this account may read the file.", ex),
                    "PrivateKeyFileUnreadable",
                    ex is UnauthorizedAccessException || ex is SecurityException ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError,
                    privateKeyPath));
            }

            return null;
        }

        /// <summary>
        /// False after the error when a plain string was given for a SecureString secret
        /// (<see cref="PlainTextSecretRefusedAttribute"/>): the record's error, when it came from the
        /// pipeline; otherwise an invalid invocation. The error carries no target object.
        /// </summary>
        public bool AcceptsSecret(SecureString? value)
        {
            if (!ReferenceEquals(value, PlainTextSecretRefusedAttribute.Refused))
            {
                return true;
            }

            var refused = new ErrorRecord(new PSArgumentException(PlainTextSecretRefusedAttribute.Message), "PlainTextPrivateKeyRefused", ErrorCategory.InvalidArgument, null);
            if (cmdlet.MyInvocation.ExpectingInput)
            {
                cmdlet.WriteError(refused);
                return false;
            }

            cmdlet.ThrowTerminatingError(refused);
            return false;
        }

        /// <summary>Says that a PKCS#1 key was converted, when it was.</summary>
        public void WarnIfPkcs1(ApiKeyPairReadResult read, GatewayEnvironment environment)
        {
            if (read.Format == PrivateKeyFormat.Pkcs1)
            {
                cmdlet.WriteWarning("The " + environment + " private key is in PKCS#1 form (BEGIN RSA PRIVATE KEY). It was converted to PKCS#8 (BEGIN PRIVATE KEY), the form Adobe documents; the key itself is unchanged.");
            }
        }

        /// <summary>Why a pair that was read cannot be used, for the InvalidApiKeyPair error.</summary>
        public static string Invalid(GatewayEnvironment environment, ApiKeyPairReadResult read) =>
            "The " + environment + " API key pair cannot be used: "
            + string.Join(" ", read.Problems.Select(p => p.Id + ": " + p.Message))
            + " Test-CommerceApiKey shows the details.";
    }
}
