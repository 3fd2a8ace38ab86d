using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt;

/// <summary>
/// An application message received from the broker. The payload is a copy that the message owns: it stays valid for
/// the message's lifetime, independent of the client's receive buffers. The 5.0 members are null with MQTT 3.1.1.
/// </summary>
public sealed class MqttMessage
{
    private readonly MqttProperties? _properties;

    internal MqttMessage(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, bool duplicate, ushort packetId, long connectionId,
        MqttProperties? properties = null)
    {
        Topic = topic;
        Payload = payload;
        Qos = qos;
        Retain = retain;
        Duplicate = duplicate;
        PacketId = packetId;
        ConnectionId = connectionId;
        _properties = properties;
    }

    public string Topic { get; }
    public ReadOnlyMemory<byte> Payload { get; }
    public MqttQos Qos { get; }
    public bool Retain { get; }

    /// <summary>The broker says this may be a re-delivery ([MQTT-3.3.1-1]).</summary>
    public bool Duplicate { get; }

    /// <summary>The packet identifier (0 for QoS 0). Only meaningful on the connection that received the message.</summary>
    public ushort PacketId { get; }

    public string? ContentType => _properties?.ContentType;
    public MqttPayloadFormat? PayloadFormat => (MqttPayloadFormat?)_properties?.PayloadFormatIndicator;

    /// <summary>What is left of the publisher's expiry interval (the broker subtracts the time it held the message).</summary>
    public TimeSpan? MessageExpiryInterval => _properties?.MessageExpiryInterval is { } s ? TimeSpan.FromSeconds(s) : null;

    public string? ResponseTopic => _properties?.ResponseTopic;
    public ReadOnlyMemory<byte>? CorrelationData => _properties?.CorrelationData;
    public IReadOnlyList<MqttUserProperty> UserProperties => _properties?.UserProperties ?? (IReadOnlyList<MqttUserProperty>)[];

    /// <summary>The identifiers of the subscriptions this message matched (5.0, section 3.3.2.3.8).</summary>
    public IReadOnlyList<int> SubscriptionIdentifiers => _properties?.SubscriptionIdentifiers ?? (IReadOnlyList<int>)[];

    /// <summary>The connection this message arrived on; an ack for an older connection is not sent (the broker re-delivers).</summary>
    internal long ConnectionId { get; }

    /// <summary>
    /// Not 0 when the PUBLISH (this many bytes) was larger than <see cref="MqttClientOptions.MaxPacketSize"/>: its payload
    /// was skipped unread and <see cref="Payload"/> is empty. It is delivered (and must be acknowledged) like any other
    /// message, so that a persistent session gets past it; the application counts or dead-letters it.
    /// </summary>
    public long OversizedBytes { get; init; }

    /// <summary>Manual-ack bookkeeping: set once the application acknowledged the message.</summary>
    internal bool Acknowledged { get; set; }
}
