using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Codec;

/// <summary>
/// Decodes MQTT 3.1.1 and 5.0 packets by the parser contract: <see cref="TryRead"/> returns false and consumes nothing when
/// more bytes are needed, and throws <see cref="MqttProtocolException"/> for malformed input. Wire grammar (section 2):
/// <code>
/// packet      = fixed-header variable-header? payload?
/// fixed-header = type:4 flags:4  remaining-length:1..4 bytes (7 bits each, LSB group first, bit 7 = more)
/// </code>
/// A packet whose total size exceeds the bound is rejected as soon as its fixed header is read, before its body is
/// buffered; except a 3.1.1 PUBLISH, which is skipped: its topic and packet identifier are read and returned as an
/// <see cref="OversizedPublishPacket"/>, and its payload is consumed as it arrives, never buffered (the one exception to
/// "consumes nothing": while skipping, <see cref="TryRead"/> consumes what it skips). A 3.1.1 client cannot tell the
/// broker its limit, and a PUBLISH it cannot take would otherwise be redelivered into a closed connection forever,
/// holding every later message of a persistent session behind it (issue 12 item 2).
/// Decoded packets own their memory (payloads are copied out of the sequence).
/// </summary>
internal sealed class MqttPacketReader(int maxPacketSize, MqttProtocolVersion version = MqttProtocolVersion.V311)
{
    public int MaxPacketSize { get; } = maxPacketSize;

    /// <summary>Decides whether bodies carry 5.0 properties and reason codes; the session sets it before CONNECT.</summary>
    public MqttProtocolVersion Version { get; set; } = version;

    /// <summary>Bytes of an oversized PUBLISH still to be skipped.</summary>
    private long _skip;

    /// <summary>Forgets a skip in progress: a new connection starts at a packet boundary.</summary>
    public void Reset() => _skip = 0;

    public bool TryRead(ref SequenceReader<byte> reader, [NotNullWhen(true)] out MqttPacket? packet)
    {
        packet = null;
        if (_skip > 0)
        {
            var skipped = Math.Min(_skip, reader.Remaining);
            reader.Advance(skipped);
            _skip -= skipped;
            if (_skip > 0) return false;
        }
        var start = reader;
        if (!reader.TryRead(out var header)) return false;
        var type = (MqttPacketType)(header >> 4);
        var flags = header & 0x0F;
        CheckTypeAndFlags(type, flags, Version);
        if (!TryReadRemainingLength(ref reader, out var remaining))
        {
            reader = start;
            return false;
        }
        var total = (long)reader.Consumed - start.Consumed + remaining;
        // 3.1.1 only: a 5.0 client announces its Maximum Packet Size, and a broker that exceeds it is broken [MQTT-3.1.2-24].
        if (total > MaxPacketSize && type == MqttPacketType.Publish && Version == MqttProtocolVersion.V311)
        {
            var bodyStart = reader.Consumed;
            if (!TryReadPublishHead(ref reader, flags, total, out var head))
            {
                reader = start;
                return false;
            }
            _skip = remaining - (reader.Consumed - bodyStart);
            packet = head;
            return true;
        }
        if (total > MaxPacketSize)
            throw new MqttProtocolException($"A {type} packet of {total} bytes exceeds the maximum packet size {MaxPacketSize}.");
        if (reader.Remaining < remaining)
        {
            reader = start;
            return false;
        }
        var body = new SequenceReader<byte>(reader.UnreadSequence.Slice(0, remaining));
        packet = MqttBodyParser.Parse(type, flags, ref body, Version);
        if (!body.End)
            throw new MqttProtocolException($"A {type} packet has {body.Remaining} unexpected bytes after its content; the remaining length does not match.");
        reader.Advance(remaining);
        return true;
    }

    /// <summary>Section 3.3.2: the topic name and, for QoS 1 and 2, the packet identifier; false until both are buffered.</summary>
    private static bool TryReadPublishHead(ref SequenceReader<byte> reader, int flags, long total, [NotNullWhen(true)] out OversizedPublishPacket? head)
    {
        head = null;
        var qos = (MqttQos)((flags >> 1) & 0x03);
        if (!reader.TryReadBigEndian(out short topicLength) || reader.Remaining < (ushort)topicLength + (qos == MqttQos.AtMostOnce ? 0 : 2)) return false;
        var topic = MqttUtf8.Decode(reader.UnreadSequence.Slice(0, (ushort)topicLength), "topic name");
        reader.Advance((ushort)topicLength);
        ushort packetId = 0;
        if (qos != MqttQos.AtMostOnce && reader.TryReadBigEndian(out short id)) packetId = (ushort)id;
        head = new OversizedPublishPacket(topic, qos, (flags & 0x01) != 0, (flags & 0x08) != 0, packetId, total);
        return true;
    }

    // [MQTT-2.2.2-1], [MQTT-2.2.2-2]: flag bits other than PUBLISH's are fixed; any other value is malformed.
    private static void CheckTypeAndFlags(MqttPacketType type, int flags, MqttProtocolVersion version)
    {
        // 5.0 section 2.1.2: AUTH is type 15 with flags 0000; in 3.1.1 type 15 is reserved.
        if (type == MqttPacketType.Auth && version == MqttProtocolVersion.V500)
        {
            if (flags != 0) throw new MqttProtocolException($"An AUTH has fixed header flags {flags:X1}; they must be 0000.");
            return;
        }
        switch (type)
        {
            case MqttPacketType.Publish:
                // [MQTT-3.3.1-4]: both QoS bits set is malformed.
                if ((flags & 0x06) == 0x06) throw new MqttProtocolException("A PUBLISH has QoS 3, which does not exist [MQTT-3.3.1-4].");
                return;
            case MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe:
                if (flags != 0x02) throw new MqttProtocolException($"A {type} has fixed header flags {flags:X1}; they must be 0010 [MQTT-2.2.2-2].");
                return;
            case >= MqttPacketType.Connect and <= MqttPacketType.Disconnect:
                if (flags != 0) throw new MqttProtocolException($"A {type} has fixed header flags {flags:X1}; they must be 0000 [MQTT-2.2.2-2].");
                return;
            default:
                throw new MqttProtocolException($"Packet type {(int)type} is reserved (section 2.2.1); the peer is not speaking MQTT {(version == MqttProtocolVersion.V500 ? "5.0" : "3.1.1")}.");
        }
    }

    private static bool TryReadRemainingLength(ref SequenceReader<byte> reader, out int value)
    {
        value = 0;
        for (var i = 0; i < VariableByteInteger.MaxBytes; i++)
        {
            if (!reader.TryRead(out var b)) return false;
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) return true;
        }
        // Section 2.2.3: at most four bytes; a fourth byte with the continuation bit is malformed.
        throw new MqttProtocolException("The remaining length uses more than 4 bytes (section 2.2.3).");
    }
}
