namespace Gateway.Mqtt.Packets;

/// <summary>
/// A control packet as plain data: no I/O, no encoding. The codec turns packets into bytes and back; the session
/// decides what they mean. Memory in a packet (payloads, passwords) is owned by the packet unless a creator says otherwise.
/// MQTT 5.0 additions (properties, reason codes) are init-only members that 3.1.1 leaves at their defaults.
/// </summary>
internal abstract record MqttPacket
{
    public abstract MqttPacketType Type { get; }
}

/// <summary>CONNECT (section 3.1). Protocol name "MQTT", level 4 for 3.1.1, 5 for 5.0 ([MQTT-3.1.2-1], [MQTT-3.1.2-2]).</summary>
internal sealed record ConnectPacket(
    string ClientId,
    bool CleanSession,
    ushort KeepAliveSeconds,
    string? Username = null,
    ReadOnlyMemory<byte>? Password = null,
    MqttWill? Will = null,
    byte ProtocolLevel = ConnectPacket.ProtocolLevel311) : MqttPacket
{
    public const byte ProtocolLevel311 = 4;
    public const byte ProtocolLevel500 = 5;
    public override MqttPacketType Type => MqttPacketType.Connect;

    /// <summary>5.0: CONNECT properties (section 3.1.2.11).</summary>
    public MqttProperties? Properties { get; init; }

    /// <summary>5.0: will properties (section 3.1.3.2), written before the will topic.</summary>
    public MqttProperties? WillProperties { get; init; }
}

/// <summary>CONNACK (section 3.2). In 5.0 <see cref="ReturnCode"/> holds the reason code byte (section 3.2.2.2).</summary>
internal sealed record ConnAckPacket(bool SessionPresent, ConnectReturnCode ReturnCode) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;
    public MqttProperties? Properties { get; init; }
}

/// <summary>PUBLISH (section 3.3). <see cref="PacketId"/> is 0 for QoS 0 ([MQTT-2.3.1-5]).</summary>
/// <summary>A PUBLISH larger than the client's maximum packet size: its head was read, its payload skipped unread.</summary>
internal sealed record OversizedPublishPacket(string Topic, MqttQos Qos, bool Retain, bool Duplicate, ushort PacketId, long Size) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;
}

internal sealed record PublishPacket(
    string Topic,
    ReadOnlyMemory<byte> Payload,
    MqttQos Qos = MqttQos.AtMostOnce,
    bool Retain = false,
    bool Duplicate = false,
    ushort PacketId = 0) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;

    /// <summary>5.0: PUBLISH properties (section 3.3.2.3). A topic alias may come with an empty <see cref="Topic"/>.</summary>
    public MqttProperties? Properties { get; init; }
}

/// <summary>
/// The acknowledgements that carry a packet identifier (sections 3.4-3.7, 3.11). 5.0 adds a reason code and properties
/// (PUBACK/PUBREC/PUBREL/PUBCOMP) or a list of reason codes (UNSUBACK, section 3.11.3).
/// </summary>
internal sealed record PacketIdOnlyPacket(MqttPacketType Kind, ushort PacketId) : MqttPacket
{
    public override MqttPacketType Type => Kind;
    public MqttReasonCode ReasonCode { get; init; }
    public MqttProperties? Properties { get; init; }

    /// <summary>5.0 UNSUBACK only: one reason code per topic filter.</summary>
    public IReadOnlyList<MqttReasonCode>? ReasonCodes { get; init; }

    public static bool IsPacketIdOnly(MqttPacketType type) => type is MqttPacketType.PubAck or MqttPacketType.PubRec
        or MqttPacketType.PubRel or MqttPacketType.PubComp or MqttPacketType.UnsubAck;
}

/// <summary>One topic filter with its requested QoS in a SUBSCRIBE, and the 5.0 subscription options (section 3.8.3.1).</summary>
internal readonly record struct MqttSubscription(string TopicFilter, MqttQos Qos)
{
    public bool NoLocal { get; init; }
    public bool RetainAsPublished { get; init; }
    public MqttRetainHandling RetainHandling { get; init; }
}

/// <summary>SUBSCRIBE (section 3.8): at least one filter ([MQTT-3.8.3-3]).</summary>
internal sealed record SubscribePacket(ushort PacketId, IReadOnlyList<MqttSubscription> Subscriptions) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;
    public MqttProperties? Properties { get; init; }
}

/// <summary>SUBACK (section 3.9): one code per filter: 0x00-0x02 granted QoS, 0x80 failure (3.1.1) or any 5.0 reason code.</summary>
internal sealed record SubAckPacket(ushort PacketId, IReadOnlyList<byte> ReturnCodes) : MqttPacket
{
    public const byte Failure = 0x80;
    public override MqttPacketType Type => MqttPacketType.SubAck;
    public MqttProperties? Properties { get; init; }
}

/// <summary>UNSUBSCRIBE (section 3.10): at least one filter ([MQTT-3.10.3-2]).</summary>
internal sealed record UnsubscribePacket(ushort PacketId, IReadOnlyList<string> TopicFilters) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;
    public MqttProperties? Properties { get; init; }
}

/// <summary>PINGREQ, PINGRESP and the 3.1.1 DISCONNECT: a fixed header and nothing else (sections 3.12-3.14).</summary>
internal sealed record EmptyPacket : MqttPacket
{
    public static readonly EmptyPacket PingReq = new(MqttPacketType.PingReq);
    public static readonly EmptyPacket PingResp = new(MqttPacketType.PingResp);
    public static readonly EmptyPacket Disconnect = new(MqttPacketType.Disconnect);

    private readonly MqttPacketType _type;
    private EmptyPacket(MqttPacketType type) => _type = type;
    public override MqttPacketType Type => _type;
}

/// <summary>5.0 DISCONNECT (section 3.14), sent by either side, with a reason code and properties.</summary>
internal sealed record DisconnectPacket(MqttReasonCode ReasonCode, MqttProperties? Properties = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Disconnect;
}

/// <summary>5.0 AUTH (section 3.15): enhanced authentication, which this client does not start.</summary>
internal sealed record AuthPacket(MqttReasonCode ReasonCode, MqttProperties? Properties = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Auth;
}
