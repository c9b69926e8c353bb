using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommerceServices.Emulator
{
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

        /// <summary>The projects of an account in one gateway environment. Enumerate with <see cref="Gate"/> held.</summary>
        internal IEnumerable<EmulatedProject> ProjectsOf(string mageId, EmulatorEnvironment environment) =>
            Data.Projects.Where(p => p.MageId == mageId && p.Environment == environment);

        /// <summary>The serialisable content of the state.</summary>
        internal sealed class Snapshot
        {
            public List<EmulatedAccount> Accounts { get; set; } = new List<EmulatedAccount>();

            public List<EmulatedKey> Keys { get; set; } = new List<EmulatedKey>();

            public List<EmulatedProject> Projects { get; set; } = new List<EmulatedProject>();
        }
    }
}
