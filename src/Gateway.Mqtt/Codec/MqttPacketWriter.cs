using System.Buffers;
using System.Buffers.Binary;
using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Codec;

/// <summary>
/// Encodes packets into an <see cref="IBufferWriter{T}"/>; no I/O. Each packet is sized first, then written into one
/// span. Invalid content (bad strings, QoS 3, packet id 0 where one is required, a packet over the size bound) throws
/// <see cref="ArgumentException"/> before anything is written. <c>version</c> chooses the 3.1.1 or 5.0 layout; CONNECT
/// follows its own protocol level.
/// </summary>
internal static partial class MqttPacketWriter
{
    public static int Write(IBufferWriter<byte> writer, MqttPacket packet, int maxPacketSize = int.MaxValue,
        MqttProtocolVersion version = MqttProtocolVersion.V311) => packet switch
    {
        PublishPacket p => WritePublish(writer, p.Topic, p.Payload.Span, p.Qos, p.Retain, p.Duplicate, p.PacketId, maxPacketSize,
            version, p.Properties),
        ConnectPacket c => WriteConnect(writer, c, maxPacketSize),
        ConnAckPacket a => WriteConnAck(writer, a, maxPacketSize, version),
        PacketIdOnlyPacket a => WriteAck(writer, a, maxPacketSize, version),
        SubscribePacket s => WriteSubscribe(writer, s, maxPacketSize, version),
        SubAckPacket s => WriteSubAck(writer, s, maxPacketSize, version),
        UnsubscribePacket u => WriteUnsubscribe(writer, u, maxPacketSize, version),
        EmptyPacket e => WriteEmpty(writer, e.Type),
        DisconnectPacket d => WriteReasonOnly(writer, 0xE0, d.ReasonCode, d.Properties, maxPacketSize, MqttPacketType.Disconnect),
        AuthPacket a => WriteReasonOnly(writer, 0xF0, a.ReasonCode, a.Properties, maxPacketSize, MqttPacketType.Auth),
        _ => throw new ArgumentException($"Cannot encode {packet.GetType().Name}.", nameof(packet)),
    };

    /// <summary>
    /// Writes a PUBLISH from its parts, so the session can encode without allocating a packet object.
    /// Fixed header flags: DUP bit 3, QoS bits 2-1, RETAIN bit 0 (section 3.3.1). In 5.0, <paramref name="topicAlias"/>
    /// adds a Topic Alias; with <paramref name="omitTopic"/> the topic name is sent empty (an alias already mapped on
    /// this connection, section 3.3.2.3.4).
    /// </summary>
    public static int WritePublish(IBufferWriter<byte> writer, string topic, ReadOnlySpan<byte> payload, MqttQos qos,
        bool retain, bool duplicate, ushort packetId, int maxPacketSize = int.MaxValue,
        MqttProtocolVersion version = MqttProtocolVersion.V311, MqttProperties? properties = null, ushort topicAlias = 0, bool omitTopic = false)
    {
        var v5 = version == MqttProtocolVersion.V500;
        var aliasOnly = v5 && omitTopic && (topicAlias != 0 || properties?.TopicAlias is not null);
        if (!aliasOnly && !(v5 && topic.Length == 0 && properties?.TopicAlias is not null)) MqttTopic.ValidateTopicName(topic, nameof(topic));
        CheckQos(qos, nameof(qos));
        // [MQTT-3.3.1-2]: DUP is 0 for QoS 0. [MQTT-2.3.1-1]/[MQTT-2.3.1-5]: an id for QoS > 0 only, never 0.
        if (qos == MqttQos.AtMostOnce && (duplicate || packetId != 0))
            throw new ArgumentException("A QoS 0 PUBLISH carries neither DUP nor a packet identifier [MQTT-3.3.1-2], [MQTT-2.3.1-5].", nameof(packetId));
        if (qos != MqttQos.AtMostOnce) CheckPacketId(packetId);
        var topicBytes = aliasOnly ? 0 : MqttUtf8.ByteCount(topic);
        var remaining = 2 + topicBytes + (qos == MqttQos.AtMostOnce ? 0 : 2) + payload.Length;
        if (v5) remaining += MqttPropertyCodec.Size(properties, topicAlias);
        var flags = (byte)((duplicate ? 0x08 : 0) | ((byte)qos << 1) | (retain ? 1 : 0));
        var span = Begin(writer, (byte)(0x30 | flags), remaining, maxPacketSize, out var total, out var i);
        if (aliasOnly)
        {
            span[i++] = 0;
            span[i++] = 0;
        }
        else
        {
            i += MqttUtf8.Write(span[i..], topic);
        }
        if (qos != MqttQos.AtMostOnce)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[i..], packetId);
            i += 2;
        }
        if (v5) i += MqttPropertyCodec.Write(span[i..], properties, topicAlias);
        payload.CopyTo(span[i..]);
        writer.Advance(total);
        return total;
    }

    /// <summary>The size <see cref="WritePublish"/> would write, without writing (for the broker's Maximum Packet Size check).</summary>
    public static int PublishSize(string topic, int payloadLength, MqttQos qos, MqttProtocolVersion version, MqttProperties? properties, ushort topicAlias, bool omitTopic)
    {
        var remaining = 2 + (omitTopic ? 0 : MqttUtf8.ByteCount(topic)) + (qos == MqttQos.AtMostOnce ? 0 : 2) + payloadLength;
        if (version == MqttProtocolVersion.V500) remaining += MqttPropertyCodec.Size(properties, topicAlias);
        return 1 + VariableByteInteger.Size(Math.Min(remaining, VariableByteInteger.MaxValue)) + remaining;
    }

    /// <summary>Offset of the packet identifier in an encoded QoS &gt; 0 PUBLISH (after header, length and topic).</summary>
    public static int PublishPacketIdOffset(ReadOnlySpan<byte> encoded)
    {
        var i = 1;
        while ((encoded[i] & 0x80) != 0) i++;
        i++;
        return i + 2 + BinaryPrimitives.ReadUInt16BigEndian(encoded[i..]);
    }

    /// <summary>The 3.1.1 form (and the 5.0 short form, reason 0x00 without properties) of a packet-id-only packet.</summary>
    public static int WritePacketIdOnly(IBufferWriter<byte> writer, MqttPacketType type, ushort packetId)
    {
        if (!PacketIdOnlyPacket.IsPacketIdOnly(type)) throw new ArgumentException($"{type} does not carry only a packet identifier.", nameof(type));
        CheckPacketId(packetId);
        // [MQTT-3.6.1-1]: PUBREL's fixed header flags are 0010; the others are 0000.
        var header = (byte)(((byte)type << 4) | (type == MqttPacketType.PubRel ? 0x02 : 0));
        return WriteFixed(writer, header, (byte)(packetId >> 8), (byte)packetId);
    }

    /// <summary>
    /// 5.0 PUBACK/PUBREC/PUBREL/PUBCOMP with a reason code: the short form when the code is 0x00 and nothing else
    /// is sent (section 3.4.2.1), four bytes with only the reason code otherwise.
    /// </summary>
    public static int WriteAckWithReason(IBufferWriter<byte> writer, MqttPacketType type, ushort packetId, MqttReasonCode reason)
    {
        if (reason == MqttReasonCode.Success) return WritePacketIdOnly(writer, type, packetId);
        CheckPacketId(packetId);
        var span = writer.GetSpan(5);
        span[0] = (byte)(((byte)type << 4) | (type == MqttPacketType.PubRel ? 0x02 : 0));
        span[1] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], packetId);
        span[4] = (byte)reason;
        writer.Advance(5);
        return 5;
    }

    public static int WriteEmpty(IBufferWriter<byte> writer, MqttPacketType type)
    {
        var span = writer.GetSpan(2);
        span[0] = (byte)((byte)type << 4);
        span[1] = 0;
        writer.Advance(2);
        return 2;
    }

    private static Span<byte> Begin(IBufferWriter<byte> writer, byte header, int remaining, int maxPacketSize, out int total, out int index)
    {
        if (remaining > VariableByteInteger.MaxValue)
            throw new ArgumentException($"The packet's remaining length {remaining} exceeds MQTT's limit of {VariableByteInteger.MaxValue} bytes [MQTT-2.2.3].");
        total = 1 + VariableByteInteger.Size(remaining) + remaining;
        if (total > maxPacketSize)
            throw new ArgumentException($"The packet would be {total} bytes, above the maximum packet size {maxPacketSize}; send a smaller payload or raise MaxPacketSize.");
        var span = writer.GetSpan(total);
        span[0] = header;
        index = 1 + VariableByteInteger.Write(span[1..], remaining);
        return span;
    }

    private static int WriteFixed(IBufferWriter<byte> writer, byte header, byte b0, byte b1)
    {
        var span = writer.GetSpan(4);
        span[0] = header;
        span[1] = 2;
        span[2] = b0;
        span[3] = b1;
        writer.Advance(4);
        return 4;
    }

    private static int WriteBinary(Span<byte> destination, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)data.Length);
        data.CopyTo(destination[2..]);
        return data.Length + 2;
    }

    private static void CheckString(string value, string field)
    {
        if (MqttUtf8.Error(value) is { } error) throw new ArgumentException($"The {field} {error}.", field);
    }

    private static void CheckQos(MqttQos qos, string paramName)
    {
        if (qos > MqttQos.ExactlyOnce) throw new ArgumentException($"QoS {(byte)qos} does not exist; use 0, 1 or 2 [MQTT-3.3.1-4].", paramName);
    }

    private static void CheckPacketId(ushort packetId)
    {
        if (packetId == 0) throw new ArgumentException("Packet identifier 0 is not allowed [MQTT-2.3.1-1].", nameof(packetId));
    }
}
