using System.Collections.Concurrent;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using Gateway.Mqtt.Transport;

namespace Gateway.Mqtt.Session;

/// <summary>
/// The state of one established connection (after an accepted CONNACK): its transport, its loops' cancellation, the
/// write lock that serializes packets onto the socket, keep-alive bookkeeping, requests awaiting SUBACK/UNSUBACK and
/// (manual-ack mode) the received QoS 1 messages whose PUBACK is due in receipt order. State that must survive
/// reconnects (in-flight publishes, subscriptions) lives in the client, not here.
/// </summary>
internal sealed class ClientConnection(long id, MqttTransport transport, bool sessionPresent, ConnectionLimits limits, TimeProvider time) : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private int _closed;
    private long _lastSent = time.GetTimestamp();

    public long Id { get; } = id;
    public MqttTransport Transport { get; } = transport;
    public bool SessionPresent { get; } = sessionPresent;
    public ConnectionLimits Limits { get; } = limits;
    public MqttProtocolVersion Version => Limits.Version;

    /// <summary>The QoS 1/2 send quota of this connection ([MQTT-4.9.0-1]).</summary>
    public SendWindow Window { get; } = new(limits.SendWindow);

    /// <summary>Topic aliases this client assigned on this connection (5.0; [MQTT-3.3.2-7]: they die with it). Send loop only.</summary>
    public Dictionary<string, ushort> TopicAliases { get; } = new(StringComparer.Ordinal);
    public CancellationToken Token => _cts.Token;
    public SemaphoreSlim WriteLock { get; } = new(1, 1);
    public ConcurrentDictionary<ushort, TaskCompletionSource<MqttPacket>> Requests { get; } = new();
    public Lock AckGate { get; } = new();
    public Queue<MqttMessage> PendingAcks { get; } = new();

    /// <summary>Manual-ack mode with <see cref="MqttClientOptions.InboundMaxBytes"/>: the bytes delivered and not yet acknowledged.</summary>
    public InboundBudget? Inbound { get; init; }

    /// <summary>Set when PINGREQ is sent, cleared by PINGRESP.</summary>
    public volatile bool PingOutstanding;

    /// <summary>The receive loop is waiting for room in Messages (back-pressure), so an unread PINGRESP is not a dead link.</summary>
    public volatile bool ReceiveBlocked;

    /// <summary>All loops of this connection; set by the client when it starts them.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>
    /// Set just before our DISCONNECT goes out: the broker then closes the socket [MQTT-3.14.4-1], which is the end we
    /// asked for, not a lost connection.
    /// </summary>
    public bool DisconnectSent
    {
        get => Volatile.Read(ref _disconnectSent);
        set => Volatile.Write(ref _disconnectSent, value);
    }

    private bool _disconnectSent;

    public TimeSpan SinceLastSent => time.GetElapsedTime(Interlocked.Read(ref _lastSent));

    /// <summary>Marks the connection closed once; returns false if it already was. Stops the loops and the socket.</summary>
    public bool TryClose(Exception? reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return false;
        _cts.Cancel();
        Transport.Abort();
        var error = new MqttConnectionException("The connection closed before the broker answered; the request is retried on the next connection.", reason);
        foreach (var pair in Requests)
        {
            if (Requests.TryRemove(pair.Key, out var tcs)) tcs.TrySetException(error);
        }
        return true;
    }

    // WriteLock is not disposed: a late AcknowledgeAsync may still wait on it, and a SemaphoreSlim without a wait
    // handle holds no unmanaged resource.

    /// <summary>Writes one packet and flushes, under the write lock.</summary>
    public async ValueTask SendAsync(MqttPacket packet, int maxPacketSize, CancellationToken cancellationToken)
    {
        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            MqttPacketWriter.Write(Transport.Output, packet, maxPacketSize, Version);
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <summary>PUBACK, PINGREQ and friends without allocating a packet object.</summary>
    public async ValueTask SendSmallAsync(MqttPacketType type, ushort packetId, CancellationToken cancellationToken, MqttReasonCode reason = MqttReasonCode.Success)
    {
        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (packetId == 0) MqttPacketWriter.WriteEmpty(Transport.Output, type);
            else if (Version == MqttProtocolVersion.V500) MqttPacketWriter.WriteAckWithReason(Transport.Output, type, packetId, reason);
            else MqttPacketWriter.WritePacketIdOnly(Transport.Output, type, packetId);
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <summary>Flushes <see cref="MqttTransport.Output"/>; the caller holds <see cref="WriteLock"/>.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await Transport.FlushAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastSent, time.GetTimestamp());
    }

    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync().ConfigureAwait(false);
        _cts.Dispose();
    }
}
