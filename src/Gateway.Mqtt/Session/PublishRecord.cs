using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using Gateway.Mqtt.Codec;

namespace Gateway.Mqtt.Session;

/// <summary>
/// One outgoing PUBLISH, pooled: its encoded bytes (packet id and DUP patched in place on send and re-send) and the
/// completion the publisher awaits. Two owners hold it: the publisher until it has read the result, and the session
/// until the message is written (QoS 0), acknowledged (QoS 1) or dropped. The last one returns it to the pool.
/// </summary>
internal sealed class PublishRecord : IValueTaskSource
{
    private const int MaxPooled = 256;
    private static readonly ConcurrentQueue<PublishRecord> Pool = new();

    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private int _completed;
    private int _owners;

    public PooledBufferWriter Packet { get; } = new();
    public MqttQos Qos { get; private set; }
    public ushort PacketId { get; private set; }
    public int PacketIdOffset { get; private set; }

    /// <summary>Node in the client's unacknowledged list while in flight.</summary>
    public LinkedListNode<PublishRecord>? Node { get; set; }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;
    public short Version => _core.Version;

    public static PublishRecord Rent(MqttQos qos)
    {
        if (!Pool.TryDequeue(out var record)) record = new PublishRecord();
        record._core.Reset();
        record._completed = 0;
        record._owners = 2;
        record.Qos = qos;
        record.PacketId = 0;
        record.PacketIdOffset = qos == MqttQos.AtMostOnce ? 0 : -1;
        return record;
    }

    /// <summary>Encodes the PUBLISH. QoS 1 gets a placeholder id, patched by <see cref="AssignPacketId"/>.</summary>
    public void Encode(string topic, ReadOnlySpan<byte> payload, bool retain, int maxPacketSize)
    {
        MqttPacketWriter.WritePublish(Packet, topic, payload, Qos, retain, duplicate: false,
            packetId: Qos == MqttQos.AtMostOnce ? (ushort)0 : ushort.MaxValue, maxPacketSize);
        if (Qos != MqttQos.AtMostOnce) PacketIdOffset = MqttPacketWriter.PublishPacketIdOffset(Packet.WrittenSpan);
    }

    public void AssignPacketId(ushort id)
    {
        PacketId = id;
        var span = Packet.WrittenSpan;
        span[PacketIdOffset] = (byte)(id >> 8);
        span[PacketIdOffset + 1] = (byte)id;
    }

    /// <summary>Sets or clears DUP, fixed header bit 3 ([MQTT-3.3.1-1]).</summary>
    public void SetDuplicate(bool duplicate)
    {
        ref var header = ref Packet.WrittenSpan[0];
        header = duplicate ? (byte)(header | 0x08) : (byte)(header & ~0x08);
    }

    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled) return;
        _registration = cancellationToken.UnsafeRegister(
            static (state, token) => ((PublishRecord)state!).TryFail(new OperationCanceledException(token)), this);
    }

    public bool TrySucceed()
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0) return false;
        _core.SetResult(true);
        return true;
    }

    public bool TryFail(Exception error)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0) return false;
        _core.SetException(error);
        return true;
    }

    /// <summary>One owner is done; the last returns the record to the pool.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _owners) != 0) return;
        // Dispose waits for a running cancellation callback, so a reused record never sees a stale one.
        _registration.Dispose();
        _registration = default;
        Node = null;
        Packet.Reset();
        if (Pool.Count < MaxPooled) Pool.Enqueue(this);
    }

    /// <summary>The record never reached the session (enqueue cancelled): drop both ownerships.</summary>
    public void Abandon()
    {
        Interlocked.Exchange(ref _completed, 1);
        Release();
        Release();
    }

    public void GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            Release();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
