using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using Gateway.Mqtt.Packets;
using Gateway.Core.Buffers;

namespace Gateway.Mqtt.Session;

/// <summary>
/// One outgoing PUBLISH, pooled: its topic, a copy of its payload, its 5.0 properties, its packet id and QoS 2 state,
/// and the completion the publisher awaits. It is encoded into the socket's buffer at each (re-)send, so the topic
/// alias and DUP can differ per connection. Two owners hold it: the publisher until it has read the result, and the
/// session until the message is written (QoS 0), acknowledged (QoS 1/2) or dropped. The last one returns it to the pool.
/// </summary>
internal sealed class PublishRecord : IValueTaskSource, IValueTaskSource<MqttPublishResult>
{
    private const int MaxPooled = 256;
    private static readonly ConcurrentQueue<PublishRecord> Pool = new();

    private ManualResetValueTaskSourceCore<MqttPublishResult> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private int _completed;
    private int _owners;

    /// <summary>The payload copy; valid until the record returns to the pool.</summary>
    // Arrays up to 16 KiB stay with the (pooled) record between uses, so steady-state publishes rent nothing.
    public PooledBufferWriter Payload { get; } = new(keepBytes: 16 * 1024);
    public string Topic { get; private set; } = "";
    public MqttQos Qos { get; private set; }
    public bool Retain { get; private set; }
    public MqttProperties? Properties { get; private set; }
    public ushort PacketId { get; private set; }

    /// <summary>QoS 2: PUBREC received and PUBREL sent; a re-send is a PUBREL, not the PUBLISH ([MQTT-4.3.3-4]).</summary>
    public bool Released { get; set; }

    /// <summary>The connection whose send window holds this record's slot (0: none).</summary>
    public long WindowConnection { get; set; }

    /// <summary>Node in the client's unacknowledged list while in flight.</summary>
    public LinkedListNode<PublishRecord>? Node { get; set; }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;
    public short Version => _core.Version;

    public static PublishRecord Rent(string topic, ReadOnlySpan<byte> payload, MqttQos qos, bool retain, MqttProperties? properties)
    {
        if (!Pool.TryDequeue(out var record)) record = new PublishRecord();
        record._core.Reset();
        record._completed = 0;
        record._owners = 2;
        record.Topic = topic;
        record.Qos = qos;
        record.Retain = retain;
        record.Properties = properties;
        record.PacketId = 0;
        record.Released = false;
        record.WindowConnection = 0;
        payload.CopyTo(record.Payload.GetSpan(payload.Length));
        record.Payload.Advance(payload.Length);
        return record;
    }

    public void AssignPacketId(ushort id) => PacketId = id;

    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled) return;
        _registration = cancellationToken.UnsafeRegister(
            static (state, token) => ((PublishRecord)state!).TryFail(new OperationCanceledException(token)), this);
    }

    public bool TrySucceed(MqttPublishResult result = default)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0) return false;
        _core.SetResult(result);
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
        Properties = null;
        Topic = "";
        Payload.Reset();
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

    MqttPublishResult IValueTaskSource<MqttPublishResult>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
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
