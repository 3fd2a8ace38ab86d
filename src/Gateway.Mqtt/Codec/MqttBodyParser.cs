using System.Buffers;
using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Codec;

/// <summary>
/// Parses one packet body whose bytes are all present (the reader spans exactly the remaining length), so running
/// out of bytes here means the packet is malformed, never that more bytes are needed.
/// </summary>
internal static class MqttBodyParser
{
    public static MqttPacket Parse(MqttPacketType type, int flags, ref SequenceReader<byte> body) => type switch
    {
        MqttPacketType.Publish => ParsePublish(flags, ref body),
        MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp or MqttPacketType.UnsubAck
            => new PacketIdOnlyPacket(type, ReadPacketId(ref body, type)),
        MqttPacketType.Connect => MqttConnectParser.Parse(ref body),
        MqttPacketType.ConnAck => ParseConnAck(ref body),
        MqttPacketType.Subscribe => ParseSubscribe(ref body),
        MqttPacketType.SubAck => ParseSubAck(ref body),
        MqttPacketType.Unsubscribe => ParseUnsubscribe(ref body),
        MqttPacketType.PingReq => EmptyPacket.PingReq,
        MqttPacketType.PingResp => EmptyPacket.PingResp,
        MqttPacketType.Disconnect => EmptyPacket.Disconnect,
        _ => throw new MqttProtocolException($"Packet type {(int)type} is reserved."),
    };

    private static PublishPacket ParsePublish(int flags, ref SequenceReader<byte> body)
    {
        var qos = (MqttQos)((flags >> 1) & 0x03);
        var duplicate = (flags & 0x08) != 0;
        // [MQTT-3.3.1-2]: DUP is 0 in every QoS 0 PUBLISH.
        if (qos == MqttQos.AtMostOnce && duplicate) throw new MqttProtocolException("A QoS 0 PUBLISH has DUP set [MQTT-3.3.1-2].");
        var topic = ReadString(ref body, "PUBLISH topic name");
        if (MqttTopic.NameError(topic) is { } error) throw new MqttProtocolException($"The PUBLISH topic name {error}.");
        ushort packetId = 0;
        if (qos != MqttQos.AtMostOnce) packetId = ReadPacketId(ref body, MqttPacketType.Publish);
        // The payload is the rest of the packet (section 3.3.3); copied so the packet owns it.
        var payload = body.UnreadSequence.ToArray();
        body.AdvanceToEnd();
        return new PublishPacket(topic, payload, qos, (flags & 0x01) != 0, duplicate, packetId);
    }

    private static ConnAckPacket ParseConnAck(ref SequenceReader<byte> body)
    {
        var ackFlags = ReadByte(ref body, "CONNACK flags");
        // Section 3.2.2.1: bits 7-1 of the acknowledge flags are reserved and 0.
        if ((ackFlags & 0xFE) != 0) throw new MqttProtocolException($"CONNACK acknowledge flags 0x{ackFlags:X2} set reserved bits.");
        var code = ReadByte(ref body, "CONNACK return code");
        if (code > (byte)ConnectReturnCode.NotAuthorized) throw new MqttProtocolException($"CONNACK return code {code} is reserved (section 3.2.2.3).");
        // [MQTT-3.2.2-4]: a refusing CONNACK has session present 0.
        if (code != 0 && ackFlags != 0) throw new MqttProtocolException("A refusing CONNACK has session present set [MQTT-3.2.2-4].");
        return new ConnAckPacket(ackFlags == 1, (ConnectReturnCode)code);
    }

    private static SubscribePacket ParseSubscribe(ref SequenceReader<byte> body)
    {
        var id = ReadPacketId(ref body, MqttPacketType.Subscribe);
        var subs = new List<MqttSubscription>();
        while (!body.End)
        {
            var filter = ReadFilter(ref body, "SUBSCRIBE");
            var qos = ReadByte(ref body, "SUBSCRIBE requested QoS");
            // [MQTT-3-8.3-4]: reserved upper bits must be 0 and QoS 3 is malformed.
            if (qos > 2) throw new MqttProtocolException($"SUBSCRIBE requested QoS byte 0x{qos:X2} is invalid [MQTT-3-8.3-4].");
            subs.Add(new MqttSubscription(filter, (MqttQos)qos));
        }
        if (subs.Count == 0) throw new MqttProtocolException("A SUBSCRIBE has no topic filter [MQTT-3.8.3-3].");
        return new SubscribePacket(id, subs);
    }

    private static SubAckPacket ParseSubAck(ref SequenceReader<byte> body)
    {
        var id = ReadPacketId(ref body, MqttPacketType.SubAck);
        var codes = new byte[body.Remaining];
        if (codes.Length == 0) throw new MqttProtocolException("A SUBACK has no return code (section 3.9.3).");
        body.TryCopyTo(codes);
        body.AdvanceToEnd();
        foreach (var code in codes)
        {
            // [MQTT-3.9.3-2]: only 0x00, 0x01, 0x02 and 0x80 are allowed.
            if (code > 2 && code != SubAckPacket.Failure) throw new MqttProtocolException($"SUBACK return code 0x{code:X2} is reserved [MQTT-3.9.3-2].");
        }
        return new SubAckPacket(id, codes);
    }

    private static UnsubscribePacket ParseUnsubscribe(ref SequenceReader<byte> body)
    {
        var id = ReadPacketId(ref body, MqttPacketType.Unsubscribe);
        var filters = new List<string>();
        while (!body.End) filters.Add(ReadFilter(ref body, "UNSUBSCRIBE"));
        if (filters.Count == 0) throw new MqttProtocolException("An UNSUBSCRIBE has no topic filter [MQTT-3.10.3-2].");
        return new UnsubscribePacket(id, filters);
    }

    private static string ReadFilter(ref SequenceReader<byte> body, string packet)
    {
        var filter = ReadString(ref body, $"{packet} topic filter");
        if (MqttTopic.FilterError(filter) is { } error) throw new MqttProtocolException($"The {packet} topic filter {error}.");
        return filter;
    }

    internal static ushort ReadPacketId(ref SequenceReader<byte> body, MqttPacketType type)
    {
        if (!body.TryReadBigEndian(out short raw)) throw new MqttProtocolException($"A {type} packet ends before its packet identifier.");
        // [MQTT-2.3.1-1]: packet identifiers are non-zero.
        if (raw == 0) throw new MqttProtocolException($"A {type} packet has packet identifier 0 [MQTT-2.3.1-1].");
        return (ushort)raw;
    }

    internal static ushort ReadUInt16(ref SequenceReader<byte> body, string field)
    {
        if (!body.TryReadBigEndian(out short raw)) throw new MqttProtocolException($"The packet ends inside its {field}.");
        return (ushort)raw;
    }

    internal static byte ReadByte(ref SequenceReader<byte> body, string field)
    {
        if (!body.TryRead(out var b)) throw new MqttProtocolException($"The packet ends before its {field}.");
        return b;
    }

    internal static string ReadString(ref SequenceReader<byte> body, string field) =>
        MqttUtf8.Decode(ReadSlice(ref body, field), field);

    /// <summary>Reads a 2-byte length prefix and that many bytes (strings and binary data, section 1.5.3).</summary>
    internal static ReadOnlySequence<byte> ReadSlice(ref SequenceReader<byte> body, string field)
    {
        var length = ReadUInt16(ref body, $"{field} length");
        if (body.Remaining < length)
            throw new MqttProtocolException($"The {field} says {length} bytes but only {body.Remaining} remain in the packet.");
        var slice = body.UnreadSequence.Slice(0, length);
        body.Advance(length);
        return slice;
    }
}
