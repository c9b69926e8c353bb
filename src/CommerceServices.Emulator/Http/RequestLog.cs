using System.Collections.Generic;

namespace CommerceServices.Emulator
{
    /// <summary>Every request the emulator received, oldest first (<see cref="GatewayEmulator.Requests"/>).</summary>
    internal sealed class RequestLog
    {
        private readonly List<EmulatorRequest> requests = new List<EmulatorRequest>();

        public void Add(EmulatorRequest entry)
        {
            lock (requests)
            {
                requests.Add(entry);
            }
        }

        public EmulatorRequest[] ToArray()
        {
            lock (requests)
            {
                return requests.ToArray();
            }
        }

        public void Clear()
        {
            lock (requests)
            {
                requests.Clear();
            }
        }
    }
}
