using System.Buffers;
using System.Buffers.Binary;
using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Codec;

/// <summary>
/// Encodes packets into an <see cref="IBufferWriter{T}"/>; no I/O. Each packet is sized first, then written into one
/// span. Invalid content (bad strings, QoS 3, packet id 0 where one is required, a packet over the size bound) throws
/// <see cref="ArgumentException"/> before anything is written.
/// </summary>
internal static class MqttPacketWriter
{
    public static int Write(IBufferWriter<byte> writer, MqttPacket packet, int maxPacketSize = int.MaxValue) => packet switch
    {
        PublishPacket p => WritePublish(writer, p.Topic, p.Payload.Span, p.Qos, p.Retain, p.Duplicate, p.PacketId, maxPacketSize),
        ConnectPacket c => WriteConnect(writer, c, maxPacketSize),
        ConnAckPacket a => WriteFixed(writer, 0x20, a.SessionPresent ? (byte)1 : (byte)0, (byte)a.ReturnCode),
        PacketIdOnlyPacket a => WritePacketIdOnly(writer, a.Kind, a.PacketId),
        SubscribePacket s => WriteSubscribe(writer, s, maxPacketSize),
        SubAckPacket s => WriteSubAck(writer, s, maxPacketSize),
        UnsubscribePacket u => WriteUnsubscribe(writer, u, maxPacketSize),
        EmptyPacket e => WriteEmpty(writer, e.Type),
        _ => throw new ArgumentException($"Cannot encode {packet.GetType().Name}.", nameof(packet)),
    };

    /// <summary>
    /// Writes a PUBLISH from its parts, so the session can encode without allocating a packet object.
    /// Fixed header flags: DUP bit 3, QoS bits 2-1, RETAIN bit 0 (section 3.3.1).
    /// </summary>
    public static int WritePublish(IBufferWriter<byte> writer, string topic, ReadOnlySpan<byte> payload, MqttQos qos,
        bool retain, bool duplicate, ushort packetId, int maxPacketSize = int.MaxValue)
    {
        MqttTopic.ValidateTopicName(topic, nameof(topic));
        CheckQos(qos, nameof(qos));
        // [MQTT-3.3.1-2]: DUP is 0 for QoS 0. [MQTT-2.3.1-1]/[MQTT-2.3.1-5]: an id for QoS > 0 only, never 0.
        if (qos == MqttQos.AtMostOnce && (duplicate || packetId != 0))
            throw new ArgumentException("A QoS 0 PUBLISH carries neither DUP nor a packet identifier [MQTT-3.3.1-2], [MQTT-2.3.1-5].", nameof(packetId));
        if (qos != MqttQos.AtMostOnce) CheckPacketId(packetId);
        var remaining = 2 + MqttUtf8.ByteCount(topic) + (qos == MqttQos.AtMostOnce ? 0 : 2) + payload.Length;
        var flags = (byte)((duplicate ? 0x08 : 0) | ((byte)qos << 1) | (retain ? 1 : 0));
        var span = Begin(writer, (byte)(0x30 | flags), remaining, maxPacketSize, out var total, out var i);
        i += MqttUtf8.Write(span[i..], topic);
        if (qos != MqttQos.AtMostOnce)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[i..], packetId);
            i += 2;
        }
        payload.CopyTo(span[i..]);
        writer.Advance(total);
        return total;
    }

    /// <summary>Offset of the packet identifier in an encoded QoS &gt; 0 PUBLISH (after header, length and topic).</summary>
    public static int PublishPacketIdOffset(ReadOnlySpan<byte> encoded)
    {
        var i = 1;
        while ((encoded[i] & 0x80) != 0) i++;
        i++;
        return i + 2 + BinaryPrimitives.ReadUInt16BigEndian(encoded[i..]);
    }

    public static int WritePacketIdOnly(IBufferWriter<byte> writer, MqttPacketType type, ushort packetId)
    {
        if (!PacketIdOnlyPacket.IsPacketIdOnly(type)) throw new ArgumentException($"{type} does not carry only a packet identifier.", nameof(type));
        CheckPacketId(packetId);
        // [MQTT-3.6.1-1]: PUBREL's fixed header flags are 0010; the others are 0000.
        var header = (byte)(((byte)type << 4) | (type == MqttPacketType.PubRel ? 0x02 : 0));
        return WriteFixed(writer, header, (byte)(packetId >> 8), (byte)packetId);
    }

    public static int WriteEmpty(IBufferWriter<byte> writer, MqttPacketType type)
    {
        var span = writer.GetSpan(2);
        span[0] = (byte)((byte)type << 4);
        span[1] = 0;
        writer.Advance(2);
        return 2;
    }

    private static int WriteConnect(IBufferWriter<byte> writer, ConnectPacket c, int maxPacketSize)
    {
        CheckString(c.ClientId, "client id");
        if (c.Username is not null) CheckString(c.Username, "user name");
        // [MQTT-3.1.2-22]: no password without a user name.
        if (c.Password is not null && c.Username is null) throw new ArgumentException("A password needs a user name [MQTT-3.1.2-22].", nameof(c));
        if (c.Password is { Length: > MqttUtf8.MaxBytes }) throw new ArgumentException("The password is longer than 65535 bytes.", nameof(c));
        var remaining = 10 + 2 + MqttUtf8.ByteCount(c.ClientId);
        byte flags = c.CleanSession ? (byte)0x02 : (byte)0;
        if (c.Will is { } will)
        {
            MqttTopic.ValidateTopicName(will.Topic, "will topic");
            CheckQos(will.Qos, "will QoS");
            if (will.Payload.Length > MqttUtf8.MaxBytes) throw new ArgumentException("The will payload is longer than 65535 bytes [MQTT-3.1.3].", nameof(c));
            remaining += 2 + MqttUtf8.ByteCount(will.Topic) + 2 + will.Payload.Length;
            flags |= (byte)(0x04 | ((byte)will.Qos << 3) | (will.Retain ? 0x20 : 0));
        }
        if (c.Username is not null) { remaining += 2 + MqttUtf8.ByteCount(c.Username); flags |= 0x80; }
        if (c.Password is { } password) { remaining += 2 + password.Length; flags |= 0x40; }
        var span = Begin(writer, 0x10, remaining, maxPacketSize, out var total, out var i);
        // Variable header: protocol name "MQTT" [MQTT-3.1.2-1], level, flags, keep alive (section 3.1.2).
        i += MqttUtf8.Write(span[i..], "MQTT");
        span[i++] = c.ProtocolLevel;
        span[i++] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(span[i..], c.KeepAliveSeconds);
        i += 2;
        // Payload order is fixed: client id, will topic, will message, user name, password [MQTT-3.1.3-1].
        i += MqttUtf8.Write(span[i..], c.ClientId);
        if (c.Will is { } w)
        {
            i += MqttUtf8.Write(span[i..], w.Topic);
            i += WriteBinary(span[i..], w.Payload.Span);
        }
        if (c.Username is not null) i += MqttUtf8.Write(span[i..], c.Username);
        if (c.Password is { } pw) WriteBinary(span[i..], pw.Span);
        writer.Advance(total);
        return total;
    }

    private static int WriteSubscribe(IBufferWriter<byte> writer, SubscribePacket s, int maxPacketSize)
    {
        CheckPacketId(s.PacketId);
        if (s.Subscriptions.Count == 0) throw new ArgumentException("SUBSCRIBE needs at least one topic filter [MQTT-3.8.3-3].", nameof(s));
        var remaining = 2;
        foreach (var sub in s.Subscriptions)
        {
            MqttTopic.ValidateTopicFilter(sub.TopicFilter, "topicFilter");
            CheckQos(sub.Qos, "qos");
            remaining += 2 + MqttUtf8.ByteCount(sub.TopicFilter) + 1;
        }
        // [MQTT-3.8.1-1]: SUBSCRIBE's fixed header flags are 0010.
        var span = Begin(writer, 0x82, remaining, maxPacketSize, out var total, out var i);
        BinaryPrimitives.WriteUInt16BigEndian(span[i..], s.PacketId);
        i += 2;
        foreach (var sub in s.Subscriptions)
        {
            i += MqttUtf8.Write(span[i..], sub.TopicFilter);
            span[i++] = (byte)sub.Qos;
        }
        writer.Advance(total);
        return total;
    }

    private static int WriteSubAck(IBufferWriter<byte> writer, SubAckPacket s, int maxPacketSize)
    {
        CheckPacketId(s.PacketId);
        var span = Begin(writer, 0x90, 2 + s.ReturnCodes.Count, maxPacketSize, out var total, out var i);
        BinaryPrimitives.WriteUInt16BigEndian(span[i..], s.PacketId);
        i += 2;
        foreach (var code in s.ReturnCodes) span[i++] = code;
        writer.Advance(total);
        return total;
    }

    private static int WriteUnsubscribe(IBufferWriter<byte> writer, UnsubscribePacket u, int maxPacketSize)
    {
        CheckPacketId(u.PacketId);
        if (u.TopicFilters.Count == 0) throw new ArgumentException("UNSUBSCRIBE needs at least one topic filter [MQTT-3.10.3-2].", nameof(u));
        var remaining = 2;
        foreach (var filter in u.TopicFilters)
        {
            MqttTopic.ValidateTopicFilter(filter, "topicFilter");
            remaining += 2 + MqttUtf8.ByteCount(filter);
        }
        // [MQTT-3.10.1-1]: UNSUBSCRIBE's fixed header flags are 0010.
        var span = Begin(writer, 0xA2, remaining, maxPacketSize, out var total, out var i);
        BinaryPrimitives.WriteUInt16BigEndian(span[i..], u.PacketId);
        i += 2;
        foreach (var filter in u.TopicFilters) i += MqttUtf8.Write(span[i..], filter);
        writer.Advance(total);
        return total;
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

    private static Span<byte> Begin(IBufferWriter<byte> writer, byte header, int remaining, int maxPacketSize, out int total, out int index)
    {
        if (remaining > VariableByteInteger.MaxValue)
            throw new ArgumentException($"The packet's remaining length {remaining} exceeds MQTT's limit of {VariableByteInteger.MaxValue} bytes [MQTT-2.2.3].");
        total = 1 + VariableByteInteger.Size(remaining) + remaining;
        if (total > maxPacketSize)
            throw new ArgumentException($"The packet would be {total} bytes, above MaxPacketSize {maxPacketSize}; send a smaller payload or raise MaxPacketSize.");
        var span = writer.GetSpan(total);
        span[0] = header;
        index = 1 + VariableByteInteger.Write(span[1..], remaining);
        return span;
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
