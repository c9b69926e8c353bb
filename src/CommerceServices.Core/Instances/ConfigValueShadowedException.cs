using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Encryption;
using CommerceServices.Keys;
using MySqlConnector;

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
