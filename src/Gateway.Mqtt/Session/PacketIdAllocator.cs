namespace Gateway.Mqtt.Session;

/// <summary>
/// Packet identifiers 1..65535 ([MQTT-2.3.1-1]: never 0), handed out round-robin and never reused while in use
/// ([MQTT-2.3.1-2]: a new packet must use an identifier not in use). Thread-safe. 8 KiB of bits.
/// </summary>
internal sealed class PacketIdAllocator
{
    private readonly Lock _gate = new();
    private readonly ulong[] _inUse = new ulong[65536 / 64];
    private int _next = 1;
    private int _count;

    public int InUse
    {
        get { lock (_gate) return _count; }
    }

    public bool TryAllocate(out ushort id)
    {
        lock (_gate)
        {
            if (_count >= ushort.MaxValue)
            {
                id = 0;
                return false;
            }
            while (true)
            {
                var candidate = _next;
                _next = candidate == ushort.MaxValue ? 1 : candidate + 1;
                ref var word = ref _inUse[candidate >> 6];
                var bit = 1UL << (candidate & 63);
                if ((word & bit) != 0) continue;
                word |= bit;
                _count++;
                id = (ushort)candidate;
                return true;
            }
        }
    }

    public void Release(ushort id)
    {
        lock (_gate)
        {
            ref var word = ref _inUse[id >> 6];
            var bit = 1UL << (id & 63);
            if ((word & bit) == 0) return;
            word &= ~bit;
            _count--;
        }
    }
}
