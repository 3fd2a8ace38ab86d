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

    /// <summary>The topic the message was published to (never a filter).</summary>
    public string Topic { get; }

    /// <summary>The payload, a copy owned by the message (valid as long as the message is referenced).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The QoS it was delivered with: the lower of the publish's and the subscription's ([MQTT-3.8.4-6]).</summary>
    public MqttQos Qos { get; }

    /// <summary>Set when the broker sent a stored retained message (on a new subscription, section 3.3.1.3), or with
    /// 5.0 Retain As Published, when the publisher set it.</summary>
    public bool Retain { get; }

    /// <summary>The broker says this may be a re-delivery ([MQTT-3.3.1-1]).</summary>
    public bool Duplicate { get; }

    /// <summary>The packet identifier (0 for QoS 0). Only meaningful on the connection that received the message.</summary>
    public ushort PacketId { get; }

    /// <summary>5.0 Content Type as the publisher set it, or null.</summary>
    public string? ContentType => _properties?.ContentType;

    /// <summary>5.0 Payload Format Indicator as the publisher set it, or null.</summary>
    public MqttPayloadFormat? PayloadFormat => (MqttPayloadFormat?)_properties?.PayloadFormatIndicator;

    /// <summary>What is left of the publisher's expiry interval (the broker subtracts the time it held the message).</summary>
    public TimeSpan? MessageExpiryInterval => _properties?.MessageExpiryInterval is { } s ? TimeSpan.FromSeconds(s) : null;

    /// <summary>5.0 request/response (section 4.10): where the requester wants the answer; null when none.</summary>
    public string? ResponseTopic => _properties?.ResponseTopic;

    /// <summary>5.0 request/response: bytes to echo in the answer so the requester can match it; null when none.</summary>
    public ReadOnlyMemory<byte>? CorrelationData => _properties?.CorrelationData;

    /// <summary>5.0 User Properties in the order sent; empty with 3.1.1.</summary>
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
