namespace Gateway.Mqtt;

/// <summary>Counters of one client, safe to read from any thread while the client runs.</summary>
public sealed class MqttClientStatistics
{
    private long _connects;
    private long _disconnects;
    private long _published;
    private long _acknowledged;
    private long _received;
    private long _protocolErrors;

    /// <summary>Accepted CONNACKs.</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Established connections that ended, for any reason.</summary>
    public long Disconnects => Interlocked.Read(ref _disconnects);

    /// <summary>PUBLISH packets written to the socket, re-sends included.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>PUBACKs received for our QoS 1 publishes.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>PUBLISH packets received from the broker.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Connections closed because the broker sent a malformed or unexpected packet.</summary>
    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    internal void OnConnect() => Interlocked.Increment(ref _connects);
    internal void OnDisconnect() => Interlocked.Increment(ref _disconnects);
    internal void OnPublished() => Interlocked.Increment(ref _published);
    internal void OnAcknowledged() => Interlocked.Increment(ref _acknowledged);
    internal void OnReceived() => Interlocked.Increment(ref _received);
    internal void OnProtocolError() => Interlocked.Increment(ref _protocolErrors);
}
