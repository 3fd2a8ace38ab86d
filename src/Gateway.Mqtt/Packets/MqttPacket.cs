namespace Gateway.Mqtt.Packets;

/// <summary>
/// A control packet as plain data: no I/O, no encoding. The codec turns packets into bytes and back; the session
/// decides what they mean. Memory in a packet (payloads, passwords) is owned by the packet unless a creator says otherwise.
/// </summary>
internal abstract record MqttPacket
{
    public abstract MqttPacketType Type { get; }
}

/// <summary>CONNECT (section 3.1). Protocol name "MQTT", level 4 for 3.1.1 ([MQTT-3.1.2-1], [MQTT-3.1.2-2]).</summary>
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
    public override MqttPacketType Type => MqttPacketType.Connect;
}

/// <summary>CONNACK (section 3.2).</summary>
internal sealed record ConnAckPacket(bool SessionPresent, ConnectReturnCode ReturnCode) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;
}

/// <summary>PUBLISH (section 3.3). <see cref="PacketId"/> is 0 for QoS 0 ([MQTT-2.3.1-5]).</summary>
internal sealed record PublishPacket(
    string Topic,
    ReadOnlyMemory<byte> Payload,
    MqttQos Qos = MqttQos.AtMostOnce,
    bool Retain = false,
    bool Duplicate = false,
    ushort PacketId = 0) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;
}

/// <summary>The four acknowledgements that carry only a packet identifier (sections 3.4-3.7, 3.11).</summary>
internal sealed record PacketIdOnlyPacket(MqttPacketType Kind, ushort PacketId) : MqttPacket
{
    public override MqttPacketType Type => Kind;

    public static bool IsPacketIdOnly(MqttPacketType type) => type is MqttPacketType.PubAck or MqttPacketType.PubRec
        or MqttPacketType.PubRel or MqttPacketType.PubComp or MqttPacketType.UnsubAck;
}

/// <summary>One topic filter with its requested QoS in a SUBSCRIBE.</summary>
internal readonly record struct MqttSubscription(string TopicFilter, MqttQos Qos);

/// <summary>SUBSCRIBE (section 3.8): at least one filter ([MQTT-3.8.3-3]).</summary>
internal sealed record SubscribePacket(ushort PacketId, IReadOnlyList<MqttSubscription> Subscriptions) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;
}

/// <summary>SUBACK (section 3.9): one return code per filter, 0x00-0x02 granted QoS or 0x80 failure ([MQTT-3.9.3-2]).</summary>
internal sealed record SubAckPacket(ushort PacketId, IReadOnlyList<byte> ReturnCodes) : MqttPacket
{
    public const byte Failure = 0x80;
    public override MqttPacketType Type => MqttPacketType.SubAck;
}

/// <summary>UNSUBSCRIBE (section 3.10): at least one filter ([MQTT-3.10.3-2]).</summary>
internal sealed record UnsubscribePacket(ushort PacketId, IReadOnlyList<string> TopicFilters) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;
}

/// <summary>PINGREQ, PINGRESP and DISCONNECT: a fixed header and nothing else (sections 3.12-3.14).</summary>
internal sealed record EmptyPacket : MqttPacket
{
    public static readonly EmptyPacket PingReq = new(MqttPacketType.PingReq);
    public static readonly EmptyPacket PingResp = new(MqttPacketType.PingResp);
    public static readonly EmptyPacket Disconnect = new(MqttPacketType.Disconnect);

    private readonly MqttPacketType _type;
    private EmptyPacket(MqttPacketType type) => _type = type;
    public override MqttPacketType Type => _type;
}
