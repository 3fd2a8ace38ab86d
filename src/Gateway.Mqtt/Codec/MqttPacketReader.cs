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
/// buffered. Decoded packets own their memory (payloads are copied out of the sequence).
/// </summary>
internal sealed class MqttPacketReader(int maxPacketSize, MqttProtocolVersion version = MqttProtocolVersion.V311)
{
    public int MaxPacketSize { get; } = maxPacketSize;

    /// <summary>Decides whether bodies carry 5.0 properties and reason codes; the session sets it before CONNECT.</summary>
    public MqttProtocolVersion Version { get; set; } = version;

    public bool TryRead(ref SequenceReader<byte> reader, [NotNullWhen(true)] out MqttPacket? packet)
    {
        packet = null;
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
