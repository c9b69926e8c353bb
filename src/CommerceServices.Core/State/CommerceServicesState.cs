using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CommerceServices.Instances;
using CommerceServices.Keys;
using CommerceServices.Saas;

namespace CommerceServices.State
{
    /// <summary>
    /// A desired state of an instance's connector setup, as users keep it in their configuration repositories
    /// (a PowerShell data file or JSON): which instance (Instance, ConfigStore, Role), the gateway environment, the
    /// key pairs by where their private keys are (a file, an environment variable or a named secret; never the key
    /// itself), the IMS organization, and the SaaS project and data space by name or id. A key left out is not
    /// managed: the instance keeps what it has. Keys are matched in any letter case; an unknown key is an error,
    /// so a typing mistake never passes for a state that is met.
    /// </summary>
    public sealed class CommerceServicesState
    {
        private static readonly string[] TopKeys = { "Instance", "ConfigStore", "Role", "GatewayEnvironment", "ImsOrganizationId", "KeyPairs", "Project", "DataSpace", "Description" };
        private static readonly string[] PairKeys = { "ApiKey", "PrivateKeyPath", "PrivateKeyEnvironmentVariable", "PrivateKeySecret", "PrivateKeyVault" };
        private static readonly string[] SourceKeys = { "PrivateKeyPath", "PrivateKeyEnvironmentVariable", "PrivateKeySecret" };

        private CommerceServicesState(string? source)
        {
            Source = source;
        }

        /// <summary>The file the state was read from; null for a state given in memory.</summary>
        public string? Source { get; }

        /// <summary>The instance's Magento root, as written (relative to the state file's folder); null when the caller names the instance.</summary>
        public string? Instance { get; private set; }

        /// <summary>Where the instance's connector settings are written, when the state connects it; null for the default (Database).</summary>
        public ConfigStore? ConfigStore { get; private set; }

        /// <summary>What the instance is declared to be (R7: only Production may use a Production data space); null when not managed.</summary>
        public InstanceRole? Role { get; private set; }

        /// <summary>The gateway environment to use; null when not managed.</summary>
        public GatewayEnvironment? GatewayEnvironment { get; private set; }

        /// <summary>Whether the IMS organization id is managed (the key is present, maybe to clear it).</summary>
        public bool ManagesImsOrganizationId { get; private set; }

        /// <summary>The IMS organization id; null to clear it (when <see cref="ManagesImsOrganizationId"/>).</summary>
        public string? ImsOrganizationId { get; private set; }

        /// <summary>The key pairs wanted, at most one per gateway environment.</summary>
        public IReadOnlyList<KeyPairSource> KeyPairs { get; private set; } = Array.Empty<KeyPairSource>();

        /// <summary>The SaaS project, by id or name; null when not managed.</summary>
        public string? Project { get; private set; }

        /// <summary>The SaaS data space, by id or name (in <see cref="Project"/>, or in the instance's project); null when not managed.</summary>
        public string? DataSpace { get; private set; }

        /// <summary>
        /// Reads a state from a dictionary whose values are strings, nulls and nested dictionaries (what a PowerShell
        /// data file or ConvertFrom-Json -AsHashtable gives).
        /// </summary>
        /// <exception cref="CommerceServicesStateException">The state cannot be used: every problem is named.</exception>
        public static CommerceServicesState FromDictionary(IDictionary document, string? source)
        {
            if (document == null)
            {
                throw new ArgumentNullException(nameof(document));
            }

            var problems = new List<string>();
            var state = new CommerceServicesState(source);
            Dictionary<string, object?> top = Keyed(document, TopKeys, string.Empty, problems);

            state.Instance = Text(top, "Instance", problems);
            state.ConfigStore = Choice<ConfigStore>(top, "ConfigStore", problems);
            state.Role = Choice<InstanceRole>(top, "Role", problems);
            state.GatewayEnvironment = Choice<GatewayEnvironment>(top, "GatewayEnvironment", problems);
            if (top.ContainsKey("ImsOrganizationId"))
            {
                state.ManagesImsOrganizationId = true;
                string? ims = Text(top, "ImsOrganizationId", problems, allowEmpty: true);
                if (!string.IsNullOrWhiteSpace(ims))
                {
                    if (ImsOrganizationIdIsValid(ims!, problems))
                    {
                        state.ImsOrganizationId = ims!.Trim();
                    }
                }
            }

            state.Project = Text(top, "Project", problems);
            state.DataSpace = Text(top, "DataSpace", problems);
            _ = Text(top, "Description", problems, allowEmpty: true);
            if (top.TryGetValue("KeyPairs", out object? pairs) && pairs != null)
            {
                state.KeyPairs = ReadKeyPairs(pairs, problems);
            }

            // A private key must never sit in a state file (it is kept in configuration repositories): refuse any
            // value that looks like one, wherever it is, without repeating it.
            foreach (string key in PemValues(document, string.Empty))
            {
                problems.Add(key + " holds a PEM key. A desired state must not hold a private key: give PrivateKeyPath (a file on the host), PrivateKeyEnvironmentVariable or PrivateKeySecret instead.");
            }

            if (problems.Count > 0)
            {
                throw new CommerceServicesStateException(source, problems.Distinct().ToArray());
            }

            return state;
        }

        /// <summary>Reads a state from JSON text: one object with the same keys as the PowerShell data file.</summary>
        /// <exception cref="CommerceServicesStateException">The text is not a JSON object, or the state cannot be used.</exception>
        public static CommerceServicesState FromJson(string json, string? source)
        {
            JsonDocument parsed;
            try
            {
                parsed = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException ex)
            {
                // The parser's message names the line and position, never the text.
                throw new CommerceServicesStateException(source, new[] { "It is not valid JSON: " + ex.Message });
            }

            using (parsed)
            {
                if (parsed.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new CommerceServicesStateException(source, new[] { "It must be one JSON object, like the PowerShell data file ({ \"Instance\": ..., \"KeyPairs\": { ... } })." });
                }

                IDictionary document;
                try
                {
                    document = (IDictionary)FromJsonElement(parsed.RootElement)!;
                }
                catch (CommerceServicesStateException ex)
                {
                    throw new CommerceServicesStateException(source, ex.Problems);
                }

                return FromDictionary(document, source);
            }
        }

        /// <summary>What the state says, for messages: the keys it manages, never a secret.</summary>
        public override string ToString()
        {
            var parts = new List<string>();
            if (Role.HasValue) parts.Add("Role " + Role);
            if (GatewayEnvironment.HasValue) parts.Add("GatewayEnvironment " + GatewayEnvironment);
            parts.AddRange(KeyPairs.Select(p => p.Environment + "KeyPair " + ApiKeyValidator.Hint(p.ApiKey)));
            if (ManagesImsOrganizationId) parts.Add("ImsOrganizationId " + (ImsOrganizationId ?? "(none)"));
            if (Project != null) parts.Add("Project " + Project);
            if (DataSpace != null) parts.Add("DataSpace " + DataSpace);
            return (Source ?? "desired state") + ": " + (parts.Count == 0 ? "nothing managed" : string.Join(", ", parts));
        }

        private static IReadOnlyList<KeyPairSource> ReadKeyPairs(object pairs, List<string> problems)
        {
            if (!(pairs is IDictionary byEnvironment))
            {
                problems.Add("KeyPairs must be a table of key pairs by gateway environment: KeyPairs = @{ Production = @{ ApiKey = '...'; PrivateKeyPath = '...' } }.");
                return Array.Empty<KeyPairSource>();
            }

            var result = new List<KeyPairSource>();
            Dictionary<string, object?> environments = Keyed(byEnvironment, new[] { "Production", "Sandbox" }, "KeyPairs.", problems);
            foreach (KeyValuePair<string, object?> entry in environments)
            {
                var environment = (GatewayEnvironment)Enum.Parse(typeof(GatewayEnvironment), entry.Key);
                string at = "KeyPairs." + entry.Key;
                if (!(entry.Value is IDictionary pairTable))
                {
                    problems.Add(at + " must be a table: @{ ApiKey = '...'; PrivateKeyPath = '...' }.");
                    continue;
                }

                Dictionary<string, object?> pair = Keyed(pairTable, PairKeys, at + ".", problems);
                string? apiKey = Text(pair, "ApiKey", problems, at + ".");
                if (apiKey == null)
                {
                    problems.Add(at + ".ApiKey is missing: a key pair needs its API key.");
                }
                else if (ApiKeyValidator.Check(apiKey, environment) is ApiKeyProblem problem)
                {
                    problems.Add(at + ".ApiKey: " + problem.Message);
                }

                string[] given = SourceKeys.Where(pair.ContainsKey).ToArray();
                if (given.Length != 1)
                {
                    problems.Add(at + " needs exactly one of PrivateKeyPath, PrivateKeyEnvironmentVariable and PrivateKeySecret" + (given.Length == 0 ? "." : ", not " + string.Join(" and ", given) + "."));
                    continue;
                }

                string? reference = Text(pair, given[0], problems, at + ".");
                string? vault = Text(pair, "PrivateKeyVault", problems, at + ".");
                if (vault != null && given[0] != "PrivateKeySecret")
                {
                    problems.Add(at + ".PrivateKeyVault goes only with PrivateKeySecret.");
                }

                if (given[0] == "PrivateKeyEnvironmentVariable" && reference != null && reference.IndexOf('=') >= 0)
                {
                    problems.Add(at + ".PrivateKeyEnvironmentVariable must be the name of a variable, without '='.");
                    continue;
                }

                if (apiKey != null && reference != null)
                {
                    var kind = given[0] == "PrivateKeyPath" ? PrivateKeySourceKind.File
                        : given[0] == "PrivateKeyEnvironmentVariable" ? PrivateKeySourceKind.EnvironmentVariable
                        : PrivateKeySourceKind.Secret;
                    result.Add(new KeyPairSource(environment, ApiKeyValidator.Normalize(apiKey), kind, reference, vault));
                }
            }

            return result;
        }

        private static bool ImsOrganizationIdIsValid(string ims, List<string> problems)
        {
            if (ImsOrganizationIdCheck(ims) is string why)
            {
                problems.Add("ImsOrganizationId: " + why);
                return false;
            }

            return true;
        }

        private static string? ImsOrganizationIdCheck(string ims) => Saas.ImsOrganizationId.IsValid(ims) ? null : Saas.ImsOrganizationId.NotAnId(ims);

        /// <summary>
        /// The entries of <paramref name="table"/> under their canonical key names; an unknown or repeated key (in
        /// another letter case) is a problem.
        /// </summary>
        private static Dictionary<string, object?> Keyed(IDictionary table, string[] known, string prefix, List<string> problems)
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table)
            {
                string key = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                string? canonical = known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                if (canonical == null)
                {
                    problems.Add(prefix + key + " is not a key of a desired state here; the keys are " + string.Join(", ", known) + ".");
                }
                else if (result.ContainsKey(canonical))
                {
                    problems.Add(prefix + canonical + " is given twice.");
                }
                else
                {
                    result[canonical] = entry.Value;
                }
            }

            return result;
        }

        private static string? Text(Dictionary<string, object?> table, string key, List<string> problems, string prefix = "", bool allowEmpty = false)
        {
            if (!table.TryGetValue(key, out object? value) || value == null)
            {
                return null;
            }

            if (value is IDictionary || (value is IEnumerable && !(value is string)))
            {
                problems.Add(prefix + key + " must be one text value.");
                return null;
            }

            string text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            if (text.IndexOf("-----BEGIN", StringComparison.Ordinal) >= 0)
            {
                // A key where a name or a choice belongs: PemValues reports it, and nothing repeats it.
                return null;
            }

            if (text.Trim().Length == 0)
            {
                if (!allowEmpty)
                {
                    problems.Add(prefix + key + " is empty: give a value, or leave the key out to keep what the instance has.");
                }

                return null;
            }

            return text.Trim();
        }

        private static T? Choice<T>(Dictionary<string, object?> table, string key, List<string> problems)
            where T : struct, Enum
        {
            string? text = Text(table, key, problems);
            if (text == null)
            {
                return null;
            }

            if (Enum.TryParse(text, ignoreCase: true, out T value) && Enum.IsDefined(typeof(T), value) && !text.All(char.IsDigit))
            {
                return value;
            }

            problems.Add(key + " '" + text + "' is not one of " + string.Join(", ", Enum.GetNames(typeof(T))) + ".");
            return null;
        }

        /// <summary>The keys (dotted) whose text value holds a PEM block.</summary>
        private static IEnumerable<string> PemValues(IDictionary table, string prefix)
        {
            foreach (DictionaryEntry entry in table)
            {
                string key = prefix + entry.Key;
                if (entry.Value is IDictionary nested)
                {
                    foreach (string inner in PemValues(nested, key + "."))
                    {
                        yield return inner;
                    }
                }
                else if (entry.Value is string text && text.IndexOf("-----BEGIN", StringComparison.Ordinal) >= 0)
                {
                    yield return key;
                }
            }
        }

        private static object? FromJsonElement(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var table = new Hashtable(StringComparer.Ordinal);
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        // A key repeated in another letter case is reported by FromDictionary (the ordinal table keeps both
                        // spellings); one repeated in the same spelling is reported here.
                        if (table.ContainsKey(property.Name))
                        {
                            throw new CommerceServicesStateException(null, new[] { property.Name + " is given twice." });
                        }

                        table[property.Name] = FromJsonElement(property.Value);
                    }

                    return table;
                case JsonValueKind.Array:
                    return element.EnumerateArray().Select(FromJsonElement).ToArray();
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Null:
                case JsonValueKind.Undefined:
                    return null;
                default:
                    return element.GetRawText();
            }
        }
    }
}
