using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommerceServices.Php;
using MySqlConnector;

namespace CommerceServices.Instances
{
    /// <summary>The env.php store cannot keep the instance out of the "configuration file has changed" state.</summary>
    public sealed class ConfigHashNotUpdatableException : Exception
    {
        public ConfigHashNotUpdatableException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }
}
