using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using CommerceServices.Instances;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// The instances connected in each runspace; the last one connected is the default. Kept per
    /// runspace, not per process, so parallel runspaces (ForEach-Object -Parallel, jobs) never
    /// share or overwrite each other's connections.
    /// </summary>
    internal static class InstanceSessions
    {
        private static readonly ConditionalWeakTable<Runspace, List<CommerceInstance>> ByRunspace = new ConditionalWeakTable<Runspace, List<CommerceInstance>>();

        private static List<CommerceInstance> Current => ByRunspace.GetValue(Runspace.DefaultRunspace, _ => new List<CommerceInstance>());

        /// <summary>Remembers a connection; one to the same folder is replaced (and forgotten).</summary>
        public static void Add(CommerceInstance instance)
        {
            List<CommerceInstance> list = Current;
            lock (list)
            {
                foreach (CommerceInstance old in list.Where(i => SamePath(i.Path, instance.Path)).ToArray())
                {
                    old.Forget();
                    list.Remove(old);
                }

                list.Add(instance);
            }
        }

        /// <summary>This runspace's connections, oldest first.</summary>
        public static CommerceInstance[] All()
        {
            List<CommerceInstance> list = Current;
            lock (list)
            {
                return list.ToArray();
            }
        }

        /// <summary>The default connection: the last one made; null when there is none.</summary>
        public static CommerceInstance? Default
        {
            get
            {
                List<CommerceInstance> list = Current;
                lock (list)
                {
                    return list.Count == 0 ? null : list[list.Count - 1];
                }
            }
        }

        /// <summary>Forgets a connection and wipes what it read.</summary>
        public static bool Remove(CommerceInstance instance)
        {
            List<CommerceInstance> list = Current;
            lock (list)
            {
                instance.Forget();
                return list.Remove(instance);
            }
        }

        private static readonly ConditionalWeakTable<Runspace, HashSet<string>> KeysChangedByRunspace = new ConditionalWeakTable<Runspace, HashSet<string>>();

        private static HashSet<string> KeysChanged => KeysChangedByRunspace.GetValue(Runspace.DefaultRunspace, _ => new HashSet<string>(PathComparer));

        /// <summary>Remembers that a key pair of the instance was stored in this runspace (for guard rail R8: no change of keys and of the Production data space of a live installation in one session).</summary>
        public static void MarkKeysChanged(CommerceInstance instance)
        {
            HashSet<string> set = KeysChanged;
            lock (set)
            {
                set.Add(Trimmed(instance.Path));
            }
        }

        /// <summary>Whether a key pair of the instance was stored earlier in this runspace.</summary>
        public static bool KeysChangedInSession(CommerceInstance instance)
        {
            HashSet<string> set = KeysChanged;
            lock (set)
            {
                return set.Contains(Trimmed(instance.Path));
            }
        }

        private static readonly StringComparer PathComparer = Environment.OSVersion.Platform == PlatformID.Win32NT ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        private static string Trimmed(string path) => path.TrimEnd('/', '\\');

        private static bool SamePath(string a, string b) => PathComparer.Equals(Trimmed(a), Trimmed(b));
    }
}
