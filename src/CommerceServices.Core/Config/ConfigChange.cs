namespace CommerceServices.Config
{
    /// <summary>One configuration value to write: null deletes the path.</summary>
    public sealed class ConfigChange
    {
        public ConfigChange(string path, string? value)
        {
            Path = path;
            Value = value;
        }

        public string Path { get; }

        public string? Value { get; }
    }
}
