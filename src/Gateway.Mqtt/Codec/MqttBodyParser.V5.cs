using System.Buffers;
using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Codec;

/// <summary>The MQTT 5.0-only bodies: acknowledgements with reason codes, DISCONNECT and AUTH; and the shared field readers.</summary>
internal static partial class MqttBodyParser
{
    // PUBACK/PUBREC ([MQTT-3.4.2-1], table 3-4/3-5) and PUBREL/PUBCOMP (table 3-6/3-7): the allowed reason codes,
    // and one more: mosquitto 2.0 answers a PUBLISH above its message_size_limit with PUBACK/PUBREC 0x95 (Packet too
    // large; src/handle_publish.c), outside the tables. Refused as malformed, the connection dropped, the publish was
    // sent again on the next one and refused again, for ever; read as that message's failure, the publisher is told.
    private static bool IsAckReason(MqttPacketType type, byte code) => type is MqttPacketType.PubRel or MqttPacketType.PubComp
        ? code is 0x00 or 0x92
        : code is 0x00 or 0x10 or 0x80 or 0x83 or 0x87 or 0x90 or 0x91 or 0x95 or 0x97 or 0x99;

    /// <summary>Section 3.4.2: packet id, then a reason code and properties, each omitted when the rest is empty.</summary>
    private static PacketIdOnlyPacket ParseAck5(MqttPacketType type, ref SequenceReader<byte> body)
    {
        var id = ReadPacketId(ref body, type);
        if (body.End) return new PacketIdOnlyPacket(type, id);
        var code = ReadByte(ref body, $"{type} reason code");
        if (!IsAckReason(type, code)) throw new MqttProtocolException($"{type} reason code 0x{code:X2} is not allowed in that packet (MQTT 5.0 section 3.4.2.1).");
        var properties = body.End ? null : MqttPropertyCodec.Read(ref body, type);
        return new PacketIdOnlyPacket(type, id) { ReasonCode = (MqttReasonCode)code, Properties = properties };
    }

    /// <summary>Section 3.11: packet id, properties, one reason code per filter of the UNSUBSCRIBE.</summary>
    private static PacketIdOnlyPacket ParseUnsubAck5(ref SequenceReader<byte> body)
    {
        var id = ReadPacketId(ref body, MqttPacketType.UnsubAck);
        var properties = MqttPropertyCodec.Read(ref body, MqttPacketType.UnsubAck);
        var codes = new List<MqttReasonCode>();
        while (body.TryRead(out var code))
        {
            if (code is not (0x00 or 0x11 or 0x80 or 0x83 or 0x87 or 0x8F or 0x91))
                throw new MqttProtocolException($"UNSUBACK reason code 0x{code:X2} is not allowed (MQTT 5.0 table 3-9).");
            codes.Add((MqttReasonCode)code);
        }
        if (codes.Count == 0) throw new MqttProtocolException("A 5.0 UNSUBACK has no reason code (section 3.11.3).");
        return new PacketIdOnlyPacket(MqttPacketType.UnsubAck, id) { Properties = properties, ReasonCodes = codes };
    }

    /// <summary>Section 3.14.2: a remaining length of 0 means reason 0x00 and no properties.</summary>
    private static DisconnectPacket ParseDisconnect5(ref SequenceReader<byte> body)
    {
        if (body.End) return new DisconnectPacket(MqttReasonCode.Success);
        var code = ReadByte(ref body, "DISCONNECT reason code");
        if (code is (> 0x00 and < 0x04) or (> 0x04 and < 0x80))
            throw new MqttProtocolException($"DISCONNECT reason code 0x{code:X2} is not a DISCONNECT reason code (MQTT 5.0 table 3-10).");
        var properties = body.End ? null : MqttPropertyCodec.Read(ref body, MqttPacketType.Disconnect);
        return new DisconnectPacket((MqttReasonCode)code, properties);
    }

    private static AuthPacket ParseAuth5(ref SequenceReader<byte> body)
    {
        if (body.End) return new AuthPacket(MqttReasonCode.Success);
        var code = ReadByte(ref body, "AUTH reason code");
        if (code is not (0x00 or 0x18 or 0x19)) throw new MqttProtocolException($"AUTH reason code 0x{code:X2} is not allowed (MQTT 5.0 table 3-13).");
        var properties = body.End ? null : MqttPropertyCodec.Read(ref body, MqttPacketType.Auth);
        return new AuthPacket((MqttReasonCode)code, properties);
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
