using System.Buffers;
using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Codec;

/// <summary>
/// Parses one packet body whose bytes are all present (the reader spans exactly the remaining length), so running
/// out of bytes here means the packet is malformed, never that more bytes are needed. The protocol version decides
/// whether properties and reason codes are present (MQTT 5.0 sections 3.x.2).
/// </summary>
internal static partial class MqttBodyParser
{
    public static MqttPacket Parse(MqttPacketType type, int flags, ref SequenceReader<byte> body, MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        return type switch
        {
            MqttPacketType.Publish => ParsePublish(flags, ref body, v5),
            MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp
                => v5 ? ParseAck5(type, ref body) : new PacketIdOnlyPacket(type, ReadPacketId(ref body, type)),
            MqttPacketType.UnsubAck => v5 ? ParseUnsubAck5(ref body) : new PacketIdOnlyPacket(type, ReadPacketId(ref body, type)),
            MqttPacketType.Connect => MqttConnectParser.Parse(ref body),
            MqttPacketType.ConnAck => ParseConnAck(ref body, v5),
            MqttPacketType.Subscribe => ParseSubscribe(ref body, v5),
            MqttPacketType.SubAck => ParseSubAck(ref body, v5),
            MqttPacketType.Unsubscribe => ParseUnsubscribe(ref body, v5),
            MqttPacketType.PingReq => EmptyPacket.PingReq,
            MqttPacketType.PingResp => EmptyPacket.PingResp,
            MqttPacketType.Disconnect => v5 ? ParseDisconnect5(ref body) : EmptyPacket.Disconnect,
            MqttPacketType.Auth when v5 => ParseAuth5(ref body),
            _ => throw new MqttProtocolException($"Packet type {(int)type} is reserved."),
        };
    }

    private static PublishPacket ParsePublish(int flags, ref SequenceReader<byte> body, bool v5)
    {
        var qos = (MqttQos)((flags >> 1) & 0x03);
        var duplicate = (flags & 0x08) != 0;
        // [MQTT-3.3.1-2]: DUP is 0 in every QoS 0 PUBLISH.
        if (qos == MqttQos.AtMostOnce && duplicate) throw new MqttProtocolException("A QoS 0 PUBLISH has DUP set [MQTT-3.3.1-2].");
        var topic = ReadString(ref body, "PUBLISH topic name");
        ushort packetId = 0;
        if (qos != MqttQos.AtMostOnce) packetId = ReadPacketId(ref body, MqttPacketType.Publish);
        var properties = v5 ? MqttPropertyCodec.Read(ref body, MqttPacketType.Publish) : null;
        // 5.0 section 3.3.2.3.4: a zero-length topic name is allowed only with a Topic Alias.
        if (!(topic.Length == 0 && properties?.TopicAlias is not null) && MqttTopic.NameError(topic) is { } error)
            throw new MqttProtocolException($"The PUBLISH topic name {error}.");
        // The payload is the rest of the packet (section 3.3.3); copied so the packet owns it.
        var payload = body.UnreadSequence.ToArray();
        body.AdvanceToEnd();
        return new PublishPacket(topic, payload, qos, (flags & 0x01) != 0, duplicate, packetId) { Properties = properties };
    }

    private static ConnAckPacket ParseConnAck(ref SequenceReader<byte> body, bool v5)
    {
        var ackFlags = ReadByte(ref body, "CONNACK flags");
        // Section 3.2.2.1: bits 7-1 of the acknowledge flags are reserved and 0.
        if ((ackFlags & 0xFE) != 0) throw new MqttProtocolException($"CONNACK acknowledge flags 0x{ackFlags:X2} set reserved bits.");
        var code = ReadByte(ref body, "CONNACK return code");
        if (!v5 && code > (byte)ConnectReturnCode.NotAuthorized) throw new MqttProtocolException($"CONNACK return code {code} is reserved (section 3.2.2.3).");
        // 5.0 section 3.2.2.2: 0x00 or a failure code of 0x80 and above.
        if (v5 && code is > 0 and < 0x80) throw new MqttProtocolException($"CONNACK reason code 0x{code:X2} is not a CONNACK reason code (MQTT 5.0 section 3.2.2.2).");
        // [MQTT-3.2.2-4] (5.0: [MQTT-3.2.2-6]): a refusing CONNACK has session present 0.
        if (code != 0 && ackFlags != 0) throw new MqttProtocolException("A refusing CONNACK has session present set [MQTT-3.2.2-4].");
        var properties = v5 ? MqttPropertyCodec.Read(ref body, MqttPacketType.ConnAck) : null;
        return new ConnAckPacket(ackFlags == 1, (ConnectReturnCode)code) { Properties = properties };
    }

    private static SubscribePacket ParseSubscribe(ref SequenceReader<byte> body, bool v5)
    {
        var id = ReadPacketId(ref body, MqttPacketType.Subscribe);
        var properties = v5 ? MqttPropertyCodec.Read(ref body, MqttPacketType.Subscribe) : null;
        var subs = new List<MqttSubscription>();
        while (!body.End)
        {
            var filter = ReadFilter(ref body, "SUBSCRIBE");
            var options = ReadByte(ref body, "SUBSCRIBE options");
            // 3.1.1 [MQTT-3-8.3-4]: upper bits 0. 5.0 [MQTT-3.8.3-5]: bits 6-7 reserved 0; retain handling 3 and QoS 3 are protocol errors.
            if ((options & 0x03) == 3 || (!v5 && options > 2) || (v5 && ((options & 0xC0) != 0 || ((options >> 4) & 0x03) == 3)))
                throw new MqttProtocolException($"SUBSCRIBE options byte 0x{options:X2} is invalid [MQTT-3-8.3-4], [MQTT-3.8.3-5].");
            subs.Add(new MqttSubscription(filter, (MqttQos)(options & 0x03))
            {
                NoLocal = (options & 0x04) != 0,
                RetainAsPublished = (options & 0x08) != 0,
                RetainHandling = (MqttRetainHandling)((options >> 4) & 0x03),
            });
        }
        if (subs.Count == 0) throw new MqttProtocolException("A SUBSCRIBE has no topic filter [MQTT-3.8.3-3].");
        return new SubscribePacket(id, subs) { Properties = properties };
    }

    private static SubAckPacket ParseSubAck(ref SequenceReader<byte> body, bool v5)
    {
        var id = ReadPacketId(ref body, MqttPacketType.SubAck);
        var properties = v5 ? MqttPropertyCodec.Read(ref body, MqttPacketType.SubAck) : null;
        var codes = new byte[body.Remaining];
        if (codes.Length == 0) throw new MqttProtocolException("A SUBACK has no return code (section 3.9.3).");
        body.TryCopyTo(codes);
        body.AdvanceToEnd();
        foreach (var code in codes)
        {
            // [MQTT-3.9.3-2]: only 0x00, 0x01, 0x02 and 0x80 are allowed in 3.1.1; 5.0 table 3-8 lists its own.
            var ok = code <= 2 || (v5 ? code is 0x80 or 0x83 or 0x87 or 0x8F or 0x91 or 0x97 or 0x9E or 0xA1 or 0xA2 : code == SubAckPacket.Failure);
            if (!ok) throw new MqttProtocolException($"SUBACK return code 0x{code:X2} is reserved [MQTT-3.9.3-2].");
        }
        return new SubAckPacket(id, codes) { Properties = properties };
    }

    private static UnsubscribePacket ParseUnsubscribe(ref SequenceReader<byte> body, bool v5)
    {
        var id = ReadPacketId(ref body, MqttPacketType.Unsubscribe);
        var properties = v5 ? MqttPropertyCodec.Read(ref body, MqttPacketType.Unsubscribe) : null;
        var filters = new List<string>();
        while (!body.End) filters.Add(ReadFilter(ref body, "UNSUBSCRIBE"));
        if (filters.Count == 0) throw new MqttProtocolException("An UNSUBSCRIBE has no topic filter [MQTT-3.10.3-2].");
        return new UnsubscribePacket(id, filters) { Properties = properties };
    }

    private static string ReadFilter(ref SequenceReader<byte> body, string packet)
    {
        var filter = ReadString(ref body, $"{packet} topic filter");
        if (MqttTopic.FilterError(filter) is { } error) throw new MqttProtocolException($"The {packet} topic filter {error}.");
        return filter;
    }
}
