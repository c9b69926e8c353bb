using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace CommerceServices.Emulator.Commands
{
    /// <summary>
    /// Emulators started with Start-CommerceServicesEmulator, per runspace, so that
    /// Stop-CommerceServicesEmulator without arguments stops this runspace's emulators only.
    /// </summary>
    internal static class StartedEmulators
    {
        private static readonly ConditionalWeakTable<Runspace, List<GatewayEmulator>> ByRunspace = new ConditionalWeakTable<Runspace, List<GatewayEmulator>>();

        private static List<GatewayEmulator> Current => ByRunspace.GetValue(Runspace.DefaultRunspace, _ => new List<GatewayEmulator>());

        public static void Add(GatewayEmulator emulator)
        {
            List<GatewayEmulator> list = Current;
            lock (list)
            {
                list.Add(emulator);
            }
        }

        public static GatewayEmulator[] All()
        {
            List<GatewayEmulator> list = Current;
            lock (list)
            {
                return list.ToArray();
            }
        }

        public static void Remove(GatewayEmulator emulator)
        {
            List<GatewayEmulator> list = Current;
            lock (list)
            {
                list.Remove(emulator);
            }
        }
    }
}
