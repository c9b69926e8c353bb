using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommerceServices.Emulator
{
    /// <summary>The two gateway environments the emulator serves, each on its own port.</summary>
    public enum EmulatorEnvironment
    {
        Production,
        Sandbox,
    }

    /// <summary>The edition of the account's license: decides the data spaces a new project gets (R5).</summary>
    public enum CommerceEdition
    {
        AdobeCommerce,
        MagentoOpenSource,
    }

    /// <summary>A Commerce account (a MageID) as the API Portal knows it.</summary>
    public sealed class EmulatedAccount
    {
        public string MageId { get; set; } = string.Empty;

        public CommerceEdition Edition { get; set; }
    }

    /// <summary>A key pair registered at the gateway: only the public half is kept.</summary>
    public sealed class EmulatedKey
    {
        public string ApiKey { get; set; } = string.Empty;

        public string MageId { get; set; } = string.Empty;

        public EmulatorEnvironment Environment { get; set; }

        /// <summary>SubjectPublicKeyInfo PEM of the key the API Portal issued.</summary>
        public string PublicKeyPem { get; set; } = string.Empty;

        public bool Revoked { get; set; }

        public DateTimeOffset IssuedAt { get; set; }
    }

    /// <summary>A SaaS project with its data spaces, owned by one account in one gateway environment.</summary>
    public sealed class EmulatedProject
    {
        public string ProjectId { get; set; } = string.Empty;

        public string ProjectName { get; set; } = string.Empty;

        public string MageId { get; set; } = string.Empty;

        public EmulatorEnvironment Environment { get; set; }

        public List<EmulatedDataSpace> DataSpaces { get; set; } = new List<EmulatedDataSpace>();
    }

    /// <summary>A SaaS data space ("environment" in the registry API).</summary>
    public sealed class EmulatedDataSpace
    {
        public string EnvironmentId { get; set; } = string.Empty;

        public string EnvironmentName { get; set; } = string.Empty;

        /// <summary><c>Production</c> or <c>Testing</c>.</summary>
        public string EnvironmentType { get; set; } = string.Empty;

        public string? CloudId { get; set; }

        public List<string> Features { get; set; } = new List<string>();
    }

    /// <summary>
    /// Everything the emulator remembers: accounts, registered keys (public halves only) and the
    /// registry. Thread-safe through one lock; optionally saved to a JSON file after every change
    /// (written to a temporary file, then renamed) so a stopped emulator resumes where it was.
    /// </summary>
    public sealed class EmulatorState
    {
        private static readonly JsonSerializerOptions FileOptions = new JsonSerializerOptions
        {
            WriteIndented = true,
            Converters = { new JsonStringEnumConverter() },
        };

        private readonly object gate = new object();
        private readonly string? path;

        private EmulatorState(string? path, Snapshot snapshot)
        {
            this.path = path;
            Data = snapshot;
        }

        internal object Gate => gate;

        internal Snapshot Data { get; }

        /// <summary>Loads the state from <paramref name="path"/> when the file exists, or starts empty.</summary>
        public static EmulatorState Open(string? path)
        {
            if (path != null && File.Exists(path))
            {
                Snapshot loaded = JsonSerializer.Deserialize<Snapshot>(File.ReadAllText(path), FileOptions)
                    ?? throw new InvalidDataException("The emulator state file '" + path + "' is empty.");
                return new EmulatorState(path, loaded);
            }

            return new EmulatorState(path, new Snapshot());
        }

        /// <summary>Saves the state when a file was given. Call with <see cref="Gate"/> held.</summary>
        internal void Save()
        {
            if (path == null)
            {
                return;
            }

            string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(directory);
            string temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("n") + ".tmp");
            File.WriteAllText(temp, JsonSerializer.Serialize(Data, FileOptions));
            File.Move(temp, path, overwrite: true);
        }

        internal EmulatedKey? FindKey(string apiKey, EmulatorEnvironment environment) =>
            Data.Keys.FirstOrDefault(k => k.Environment == environment && string.Equals(k.ApiKey, apiKey, StringComparison.Ordinal));

        /// <summary>The serialisable content of the state.</summary>
        internal sealed class Snapshot
        {
            public List<EmulatedAccount> Accounts { get; set; } = new List<EmulatedAccount>();

            public List<EmulatedKey> Keys { get; set; } = new List<EmulatedKey>();

            public List<EmulatedProject> Projects { get; set; } = new List<EmulatedProject>();
        }
    }
}
