using Gateway.Core.Counters;

namespace Gateway.Mqtt;

/// <summary>Counters of one client, safe to read from any thread while the client runs.</summary>
public sealed class MqttClientStatistics
{
    private readonly AtomicCounter _connects = new();
    private readonly AtomicCounter _disconnects = new();
    private readonly AtomicCounter _published = new();
    private readonly AtomicCounter _acknowledged = new();
    private readonly AtomicCounter _received = new();
    private readonly AtomicCounter _protocolErrors = new();

    /// <summary>Accepted CONNACKs.</summary>
    public long Connects => _connects.Value;

    /// <summary>Established connections that ended, for any reason.</summary>
    public long Disconnects => _disconnects.Value;

    /// <summary>PUBLISH packets written to the socket, re-sends included.</summary>
    public long Published => _published.Value;

    /// <summary>PUBACKs received for our QoS 1 publishes.</summary>
    public long Acknowledged => _acknowledged.Value;

    /// <summary>PUBLISH packets received from the broker.</summary>
    public long Received => _received.Value;

    /// <summary>Connections closed because the broker sent a malformed or unexpected packet.</summary>
    public long ProtocolErrors => _protocolErrors.Value;

    internal void OnConnect() => _connects.Increment();
    internal void OnDisconnect() => _disconnects.Increment();
    internal void OnPublished() => _published.Increment();
    internal void OnAcknowledged() => _acknowledged.Increment();
    internal void OnReceived() => _received.Increment();
    internal void OnProtocolError() => _protocolErrors.Increment();
}
