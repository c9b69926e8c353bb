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
