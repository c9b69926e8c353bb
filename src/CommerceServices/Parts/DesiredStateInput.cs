using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.InteropServices;
using System.Collections.ObjectModel;
using System.Security;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.State;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// What Test-CommerceServicesState and Set-CommerceServicesState take in: desired states from files (a
    /// PowerShell data file, read without running it, or JSON) or a table, the instances each applies to (-Instance,
    /// else the state's own Instance, opened for this command, else the session's default), and the key pairs the
    /// state names, read from their files, environment variables or secrets (-Secret, else SecretManagement).
    /// </summary>
    internal sealed class DesiredStateInput
    {
        private readonly InstanceCmdlet cmdlet;
        private readonly List<CommerceInstance> opened = new List<CommerceInstance>();

        public DesiredStateInput(InstanceCmdlet cmdlet)
        {
            this.cmdlet = cmdlet;
        }

        /// <summary>The instances this command opened from the states' Instance keys (not in the session).</summary>
        public IReadOnlyList<CommerceInstance> Opened
        {
            get
            {
                lock (opened)
                {
                    return opened.ToArray();
                }
            }
        }

        /// <summary>Wipes what the instances this command opened read (their files, their crypt key), as Disconnect-CommerceInstance does: they were opened for this command only.</summary>
        public void CloseOpened()
        {
            foreach (CommerceInstance instance in Opened)
            {
                instance.Forget();
            }
        }

        /// <summary>
        /// The states of the files <paramref name="paths"/> (wildcards allowed), or of <paramref name="table"/>. A file
        /// that is missing or cannot be used is that file's error; a table that cannot be used stops the command.
        /// </summary>
        public IEnumerable<CommerceServicesState> Read(string[]? paths, IDictionary? table, Action<string, ErrorRecord>? failed = null)
        {
            if (table != null)
            {
                CommerceServicesState? state = null;
                try
                {
                    state = CommerceServicesState.FromDictionary(Plain(table), null);
                }
                catch (CommerceServicesStateException ex)
                {
                    cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "DesiredStateInvalid", ErrorCategory.InvalidData, null));
                }

                yield return state!;
                yield break;
            }

            foreach (string path in paths ?? Array.Empty<string>())
            {
                foreach (string file in ResolveFiles(path, failed))
                {
                    CommerceServicesState? state = null;
                    try
                    {
                        state = ReadFile(file);
                    }
                    catch (CommerceServicesStateException ex)
                    {
                        Fail(file, new ErrorRecord(ex, "DesiredStateInvalid", ErrorCategory.InvalidData, file), failed);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is SecurityException)
                    {
                        Fail(file, new ErrorRecord(new IOException("Cannot read the desired state '" + file + "': " + ex.Message + " Check that this account may read it.", ex), "DesiredStateUnreadable", ErrorCategory.ReadError, file), failed);
                    }

                    if (state != null)
                    {
                        yield return state;
                    }
                }
            }
        }

        /// <summary>
        /// The instances <paramref name="state"/> applies to: <paramref name="given"/>, else the one its Instance key
        /// names (opened for this command with its ConfigStore and Role; not made the session's default), else the
        /// session's default instance. Empty after the error when the state's instance cannot be opened.
        /// </summary>
        public IReadOnlyList<CommerceInstance> InstancesOf(CommerceServicesState state, CommerceInstance[]? given, Action<string, ErrorRecord>? failed = null)
        {
            if (given != null)
            {
                var open = new List<CommerceInstance>();
                foreach (CommerceInstance instance in given)
                {
                    if (instance.IsOpen)
                    {
                        open.Add(instance);
                    }
                    else
                    {
                        Fail(instance.Path, ErrorRecords.Disconnected(instance), failed);
                    }
                }

                return open;
            }

            if (state.Instance == null)
            {
                return new[] { DefaultInstance() };
            }

            string root = RelativeToState(state, state.Instance);
            try
            {
                CommerceInstance instance = CommerceInstanceReader.Open(root, state.ConfigStore ?? ConfigStore.Database, state.Role ?? InstanceRole.Undeclared);
                cmdlet.WriteVerbose("Opened " + instance + " for the desired state " + (state.Source ?? "given with -State") + ".");
                lock (opened)
                {
                    opened.Add(instance);
                }

                return new[] { instance };
            }
            catch (Exception ex) when (ErrorRecords.ForOpen(ex, root, state.Instance) is ErrorRecord refused)
            {
                Fail(root, refused, failed);
                return Array.Empty<CommerceInstance>();
            }
        }

        /// <summary>
        /// The instance's settings a comparison reads (<see cref="CommerceServicesStateComparison.Paths"/>); null after the
        /// error when they cannot be read.
        /// </summary>
        /// <param name="outcome">What that means for the instance, after its path: " was not changed", say.</param>
        public IReadOnlyList<ConnectorSetting>? ReadCurrent(CommerceInstance instance, string outcome)
        {
            try
            {
                return cmdlet.Settings.Read(instance, _ => CommerceServicesStateComparison.Paths);
            }
            catch (Exception ex) when (ErrorRecords.ForStoredKeyPair(ex, instance) is ErrorRecord error)
            {
                cmdlet.WriteError(error);
            }
            catch (Exception ex) when (ErrorRecords.IsInstanceFailure(ex))
            {
                cmdlet.WriteError(new ErrorRecord(new InvalidOperationException(instance.Path + outcome + ": its configuration cannot be read: " + ex.Message, ex), "ConfigFileNotReadable", ErrorCategory.InvalidData, instance));
            }

            return null;
        }

        /// <summary>
        /// The key pairs <paramref name="state"/> wants, read from where it says; null after the errors when one cannot
        /// be read or used. The caller disposes the pairs.
        /// </summary>
        public Dictionary<GatewayEnvironment, ApiKeyPair>? ReadKeyPairs(CommerceServicesState state, IDictionary? secrets)
        {
            var pairs = new Dictionary<GatewayEnvironment, ApiKeyPair>();
            bool allRead = true;
            var input = new KeyPairInput(cmdlet);
            foreach (KeyPairSource source in state.KeyPairs)
            {
                ApiKeyPairReadResult? read = ReadKeyPair(state, source, secrets, input);
                if (read == null)
                {
                    allRead = false;
                    continue;
                }

                if (!read.IsValid)
                {
                    cmdlet.WriteError(new ErrorRecord(
                        new ArgumentException(KeyPairInput.Invalid(source.Environment, read) + " (The private key was read from " + source.Describe() + " of " + (state.Source ?? "the desired state") + ".)"),
                        "InvalidApiKeyPair",
                        ErrorCategory.InvalidData,
                        state.Source));
                    allRead = false;
                    continue;
                }

                input.WarnIfPkcs1(read, source.Environment);
                pairs[source.Environment] = read.KeyPair!;
            }

            if (!allRead)
            {
                foreach (ApiKeyPair pair in pairs.Values)
                {
                    pair.Dispose();
                }

                return null;
            }

            return pairs;
        }

        /// <summary>Whether -Secret holds only SecureStrings; false after the terminating error otherwise.</summary>
        public void CheckSecrets(IDictionary? secrets)
        {
            if (secrets == null)
            {
                return;
            }

            foreach (DictionaryEntry entry in secrets)
            {
                object? value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
                if (!(value is SecureString) && !(value is PSCredential))
                {
                    cmdlet.ThrowTerminatingError(new ErrorRecord(
                        new PSArgumentException("-Secret takes secrets as SecureStrings (or PSCredentials), and the value of '" + entry.Key + "' is " + (value == null ? "null" : "a " + value.GetType().Name) + ". A private key typed or kept as plain text ends up in histories and logs: use Read-Host -AsSecureString, Get-Secret, or ConvertTo-SecureString on what another tool hands over (standard input, say)."),
                        "PlainTextSecretRefused",
                        ErrorCategory.InvalidArgument,
                        null));
                }
            }
        }

        private ApiKeyPairReadResult? ReadKeyPair(CommerceServicesState state, KeyPairSource source, IDictionary? secrets, KeyPairInput input)
        {
            switch (source.Kind)
            {
                case PrivateKeySourceKind.File:
                    return input.ReadFile(source.ApiKey, RelativeToState(state, source.Reference), source.Environment);
                case PrivateKeySourceKind.EnvironmentVariable:
                    string? value = Environment.GetEnvironmentVariable(source.Reference);
                    if (string.IsNullOrEmpty(value))
                    {
                        SecretNotFound(state, source, "environment variable " + source.Reference + " is not set in this process. Set it for the command (a CI secret, or Ansible's environment), or name the key another way.");
                        return null;
                    }

                    char[] pem = value!.ToCharArray();
                    try
                    {
                        return ApiKeyPairReader.Read(source.ApiKey, pem, source.Environment);
                    }
                    finally
                    {
                        Array.Clear(pem, 0, pem.Length);
                    }

                default:
                    SecureString? secret = GivenSecret(secrets, source.Reference) ?? VaultSecret(state, source);
                    return secret == null ? null : ApiKeyPairReader.Read(source.ApiKey, secret, source.Environment);
            }
        }

        private static SecureString? GivenSecret(IDictionary? secrets, string name)
        {
            if (secrets == null)
            {
                return null;
            }

            foreach (DictionaryEntry entry in secrets)
            {
                if (string.Equals(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture), name, StringComparison.OrdinalIgnoreCase))
                {
                    object? value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
                    return value is PSCredential credential ? credential.Password : (SecureString?)value;
                }
            }

            return null;
        }

        /// <summary>The secret from SecretManagement (Get-Secret), when it is installed; null after the error otherwise.</summary>
        private SecureString? VaultSecret(CommerceServicesState state, KeyPairSource source)
        {
            CommandInfo? getSecret = cmdlet.InvokeCommand.GetCommand("Get-Secret", CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias);
            if (getSecret == null)
            {
                SecretNotFound(state, source, "it was not given with -Secret, and SecretManagement (Get-Secret) is not installed here. Pass it: -Secret @{ '" + source.Reference + "' = <SecureString> }, or install Microsoft.PowerShell.SecretManagement with a vault that holds it.");
                return null;
            }

            try
            {
                const string Script = "param($Name, $Vault) if ($Vault) { Get-Secret -Name $Name -Vault $Vault -ErrorAction Stop } else { Get-Secret -Name $Name -ErrorAction Stop }";
                object? found = cmdlet.InvokeCommand.InvokeScript(Script, false, System.Management.Automation.Runspaces.PipelineResultTypes.None, null, source.Reference, source.Vault).FirstOrDefault()?.BaseObject;
                switch (found)
                {
                    case SecureString secure:
                        return secure;
                    case PSCredential credential:
                        return credential.Password;
                    default:
                        SecretNotFound(state, source, "Get-Secret gave " + (found == null ? "nothing" : "a " + found.GetType().Name) + ", not a SecureString. Store the private key as a SecureString or String secret.");
                        return null;
                }
            }
            catch (RuntimeException ex)
            {
                cmdlet.WriteError(new ErrorRecord(
                    new InvalidOperationException("Cannot read the " + source.Environment + " private key from " + source.Describe() + " named by " + (state.Source ?? "the desired state") + ": " + ex.Message, ex),
                    "DesiredStateSecretNotFound",
                    ErrorCategory.ObjectNotFound,
                    source.Reference));
                return null;
            }
        }

        private void SecretNotFound(CommerceServicesState state, KeyPairSource source, string why) =>
            cmdlet.WriteError(new ErrorRecord(
                new ItemNotFoundException("Cannot read the " + source.Environment + " private key from " + source.Describe() + " named by " + (state.Source ?? "the desired state") + ": " + why),
                "DesiredStateSecretNotFound",
                ErrorCategory.ObjectNotFound,
                source.Reference));

        private CommerceInstance DefaultInstance()
        {
            CommerceInstance? current = InstanceSessions.Default;
            if (current == null)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("The desired state names no Instance, -Instance was not given, and no Commerce instance is connected in this session. Add Instance = '<Magento root>' to the state, pass -Instance, or run Connect-CommerceInstance first."),
                    "NoCommerceInstance",
                    ErrorCategory.ConnectionError,
                    null));
            }

            return current!;
        }

        /// <summary>A path of the state: relative to the state file's folder, or to the current location for a table.</summary>
        private string RelativeToState(CommerceServicesState state, string path)
        {
            if (state.Source != null && !Path.IsPathRooted(path) && !path.StartsWith("~", StringComparison.Ordinal))
            {
                return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(state.Source)!, path));
            }

            return cmdlet.ResolveLiteralFilePath(path);
        }

        private IEnumerable<string> ResolveFiles(string path, Action<string, ErrorRecord>? failed)
        {
            Collection<string> files;
            try
            {
                files = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                if (provider.Name != "FileSystem")
                {
                    throw new ItemNotFoundException("'" + path + "' is not a file.");
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException)
            {
                Fail(path, new ErrorRecord(new ItemNotFoundException("The desired state '" + path + "' does not exist: " + ex.Message, ex), "DesiredStateNotFound", ErrorCategory.ObjectNotFound, path), failed);
                return Array.Empty<string>();
            }

            return files;
        }

        private static CommerceServicesState ReadFile(string file)
        {
            string text = File.ReadAllText(file);
            bool json = file.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                || (!file.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase) && text.TrimStart().StartsWith("{", StringComparison.Ordinal));
            return json ? CommerceServicesState.FromJson(text, file) : FromDataFile(text, file);
        }

        /// <summary>A PowerShell data file, read as Import-PowerShellDataFile does: parsed, never run; only literal values.</summary>
        private static CommerceServicesState FromDataFile(string text, string file)
        {
            ScriptBlockAst ast = Parser.ParseInput(text, file, out _, out ParseError[] errors);
            if (errors.Length > 0)
            {
                // By line and kind only: a parse error's message quotes the text, which may be a key pasted by mistake.
                throw new CommerceServicesStateException(file, errors.Take(3).Select(e => "It does not parse as a PowerShell data file at line " + e.Extent.StartLineNumber + ", column " + e.Extent.StartColumnNumber + " (" + e.ErrorId + ").").ToArray());
            }

            var hashtable = ast.EndBlock?.Statements.Count == 1 && ast.ParamBlock == null && ast.BeginBlock == null && ast.ProcessBlock == null
                ? (ast.EndBlock.Statements[0] as PipelineAst)?.GetPureExpression() as HashtableAst
                : null;
            if (hashtable == null)
            {
                throw new CommerceServicesStateException(file, new[] { "A PowerShell data file must hold one table, @{ ... }, and nothing else." });
            }

            object value;
            try
            {
                value = hashtable.SafeGetValue();
            }
            catch (InvalidOperationException)
            {
                // Not the message: it quotes the expression.
                throw new CommerceServicesStateException(file, new[] { "Only literal values are allowed (it is read, never run): a value there is computed (a variable other than $true, $false and $null, a command, or an expression)." });
            }

            return CommerceServicesState.FromDictionary(Plain((IDictionary)value), file);
        }

        /// <summary>A table with PowerShell's wrappers taken off, nested tables included.</summary>
        private static IDictionary Plain(IDictionary table)
        {
            var plain = new Hashtable(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table)
            {
                object? value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
                plain[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty] = value is IDictionary nested ? Plain(nested) : value;
            }

            return plain;
        }

        private void Fail(string target, ErrorRecord error, Action<string, ErrorRecord>? failed)
        {
            cmdlet.WriteError(error);
            failed?.Invoke(target, error);
        }
    }
}
