using System;

namespace CommerceServices.Instances
{
    /// <summary>A value cannot be written where it would be hidden by a higher configuration layer.</summary>
    public sealed class ConfigValueShadowedException : Exception
    {
        public ConfigValueShadowedException(string path, ConfigLayer layer, string message)
            : base(message)
        {
            Path = path;
            Layer = layer;
        }

        public string Path { get; }

        public ConfigLayer Layer { get; }
    }
}
