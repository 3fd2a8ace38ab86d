using System.Buffers;
using System.Buffers.Binary;
using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Codec;

/// <summary>Control packets other than PUBLISH, in both layouts.</summary>
internal static partial class MqttPacketWriter
{
    private static int WriteConnect(IBufferWriter<byte> writer, ConnectPacket c, int maxPacketSize)
    {
        var v5 = c.ProtocolLevel == ConnectPacket.ProtocolLevel500;
        CheckString(c.ClientId, "client id");
        if (c.Username is not null) CheckString(c.Username, "user name");
        // [MQTT-3.1.2-22]: no password without a user name in 3.1.1 (5.0 allows it, section 3.1.2.9).
        if (!v5 && c.Password is not null && c.Username is null) throw new ArgumentException("A password needs a user name [MQTT-3.1.2-22].", nameof(c));
        if (c.Password is { Length: > MqttUtf8.MaxBytes }) throw new ArgumentException("The password is longer than 65535 bytes.", nameof(c));
        MqttPropertyCodec.Validate(c.Properties);
        MqttPropertyCodec.Validate(c.WillProperties);
        var remaining = 10 + 2 + MqttUtf8.ByteCount(c.ClientId);
        if (v5) remaining += MqttPropertyCodec.Size(c.Properties);
        byte flags = c.CleanSession ? (byte)0x02 : (byte)0;
        if (c.Will is { } will)
        {
            MqttTopic.ValidateTopicName(will.Topic, "will topic");
            CheckQos(will.Qos, "will QoS");
            if (will.Payload.Length > MqttUtf8.MaxBytes) throw new ArgumentException("The will payload is longer than 65535 bytes [MQTT-3.1.3].", nameof(c));
            remaining += 2 + MqttUtf8.ByteCount(will.Topic) + 2 + will.Payload.Length;
            if (v5) remaining += MqttPropertyCodec.Size(c.WillProperties);
            flags |= (byte)(0x04 | ((byte)will.Qos << 3) | (will.Retain ? 0x20 : 0));
        }
        if (c.Username is not null) { remaining += 2 + MqttUtf8.ByteCount(c.Username); flags |= 0x80; }
        if (c.Password is { } password) { remaining += 2 + password.Length; flags |= 0x40; }
        var span = Begin(writer, 0x10, remaining, maxPacketSize, out var total, out var i);
        // Variable header: protocol name "MQTT" [MQTT-3.1.2-1], level, flags, keep alive (section 3.1.2), 5.0 properties.
        i += MqttUtf8.Write(span[i..], "MQTT");
        span[i++] = c.ProtocolLevel;
        span[i++] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(span[i..], c.KeepAliveSeconds);
        i += 2;
        if (v5) i += MqttPropertyCodec.Write(span[i..], c.Properties);
        // Payload order is fixed: client id, (will properties), will topic, will message, user name, password [MQTT-3.1.3-1].
        i += MqttUtf8.Write(span[i..], c.ClientId);
        if (c.Will is { } w)
        {
            if (v5) i += MqttPropertyCodec.Write(span[i..], c.WillProperties);
            i += MqttUtf8.Write(span[i..], w.Topic);
            i += WriteBinary(span[i..], w.Payload.Span);
        }
        if (c.Username is not null) i += MqttUtf8.Write(span[i..], c.Username);
        if (c.Password is { } pw) WriteBinary(span[i..], pw.Span);
        writer.Advance(total);
        return total;
    }

    private static int WriteConnAck(IBufferWriter<byte> writer, ConnAckPacket a, int maxPacketSize, MqttProtocolVersion version)
    {
        if (version != MqttProtocolVersion.V500) return WriteFixed(writer, 0x20, a.SessionPresent ? (byte)1 : (byte)0, (byte)a.ReturnCode);
        MqttPropertyCodec.Validate(a.Properties);
        var span = Begin(writer, 0x20, 2 + MqttPropertyCodec.Size(a.Properties), maxPacketSize, out var total, out var i);
        span[i++] = a.SessionPresent ? (byte)1 : (byte)0;
        span[i++] = (byte)a.ReturnCode;
        MqttPropertyCodec.Write(span[i..], a.Properties);
        writer.Advance(total);
        return total;
    }

    private static int WriteAck(IBufferWriter<byte> writer, PacketIdOnlyPacket a, int maxPacketSize, MqttProtocolVersion version)
    {
        if (version != MqttProtocolVersion.V500) return WritePacketIdOnly(writer, a.Kind, a.PacketId);
        CheckPacketId(a.PacketId);
        MqttPropertyCodec.Validate(a.Properties);
        var header = (byte)(((byte)a.Kind << 4) | (a.Kind == MqttPacketType.PubRel ? 0x02 : 0));
        if (a.Kind == MqttPacketType.UnsubAck)
        {
            var codes = a.ReasonCodes ?? throw new ArgumentException("A 5.0 UNSUBACK needs one reason code per filter (section 3.11.3).", nameof(a));
            var s = Begin(writer, header, 2 + MqttPropertyCodec.Size(a.Properties) + codes.Count, maxPacketSize, out var t, out var j);
            BinaryPrimitives.WriteUInt16BigEndian(s[j..], a.PacketId);
            j += 2;
            j += MqttPropertyCodec.Write(s[j..], a.Properties);
            foreach (var code in codes) s[j++] = (byte)code;
            writer.Advance(t);
            return t;
        }
        // Section 3.4.2.1: reason and properties may be omitted when the reason is 0x00 and there are no properties.
        if (a.Properties is null) return WriteAckWithReason(writer, a.Kind, a.PacketId, a.ReasonCode);
        var span = Begin(writer, header, 3 + MqttPropertyCodec.Size(a.Properties), maxPacketSize, out var total, out var i);
        BinaryPrimitives.WriteUInt16BigEndian(span[i..], a.PacketId);
        i += 2;
        span[i++] = (byte)a.ReasonCode;
        MqttPropertyCodec.Write(span[i..], a.Properties);
        writer.Advance(total);
        return total;
    }

    private static int WriteSubscribe(IBufferWriter<byte> writer, SubscribePacket s, int maxPacketSize, MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        CheckPacketId(s.PacketId);
        if (s.Subscriptions.Count == 0) throw new ArgumentException("SUBSCRIBE needs at least one topic filter [MQTT-3.8.3-3].", nameof(s));
        MqttPropertyCodec.Validate(s.Properties);
        var remaining = 2 + (v5 ? MqttPropertyCodec.Size(s.Properties) : 0);
        foreach (var sub in s.Subscriptions)
        {
            MqttTopic.ValidateTopicFilter(sub.TopicFilter, "topicFilter");
            CheckQos(sub.Qos, "qos");
            if (!v5 && (sub.NoLocal || sub.RetainAsPublished || sub.RetainHandling != 0))
                throw new ArgumentException("Subscription options other than QoS need MQTT 5.0.", nameof(s));
            if (sub.RetainHandling > MqttRetainHandling.DoNotSend) throw new ArgumentException("Retain handling 3 does not exist [MQTT-3.8.3-5].", nameof(s));
            remaining += 2 + MqttUtf8.ByteCount(sub.TopicFilter) + 1;
        }
        // [MQTT-3.8.1-1]: SUBSCRIBE's fixed header flags are 0010.
        var span = Begin(writer, 0x82, remaining, maxPacketSize, out var total, out var i);
        BinaryPrimitives.WriteUInt16BigEndian(span[i..], s.PacketId);
        i += 2;
        if (v5) i += MqttPropertyCodec.Write(span[i..], s.Properties);
        foreach (var sub in s.Subscriptions)
        {
            i += MqttUtf8.Write(span[i..], sub.TopicFilter);
            // Section 3.8.3.1: QoS bits 0-1, No Local bit 2, Retain As Published bit 3, Retain Handling bits 4-5.
            span[i++] = (byte)((byte)sub.Qos | (sub.NoLocal ? 0x04 : 0) | (sub.RetainAsPublished ? 0x08 : 0) | ((byte)sub.RetainHandling << 4));
        }
        writer.Advance(total);
        return total;
    }

    private static int WriteSubAck(IBufferWriter<byte> writer, SubAckPacket s, int maxPacketSize, MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        CheckPacketId(s.PacketId);
        MqttPropertyCodec.Validate(s.Properties);
        var span = Begin(writer, 0x90, 2 + (v5 ? MqttPropertyCodec.Size(s.Properties) : 0) + s.ReturnCodes.Count, maxPacketSize, out var total, out var i);
        BinaryPrimitives.WriteUInt16BigEndian(span[i..], s.PacketId);
        i += 2;
        if (v5) i += MqttPropertyCodec.Write(span[i..], s.Properties);
        foreach (var code in s.ReturnCodes) span[i++] = code;
        writer.Advance(total);
        return total;
    }

    private static int WriteUnsubscribe(IBufferWriter<byte> writer, UnsubscribePacket u, int maxPacketSize, MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        CheckPacketId(u.PacketId);
        if (u.TopicFilters.Count == 0) throw new ArgumentException("UNSUBSCRIBE needs at least one topic filter [MQTT-3.10.3-2].", nameof(u));
        MqttPropertyCodec.Validate(u.Properties);
        var remaining = 2 + (v5 ? MqttPropertyCodec.Size(u.Properties) : 0);
        foreach (var filter in u.TopicFilters)
        {
            MqttTopic.ValidateTopicFilter(filter, "topicFilter");
            remaining += 2 + MqttUtf8.ByteCount(filter);
        }
        // [MQTT-3.10.1-1]: UNSUBSCRIBE's fixed header flags are 0010.
        var span = Begin(writer, 0xA2, remaining, maxPacketSize, out var total, out var i);
        BinaryPrimitives.WriteUInt16BigEndian(span[i..], u.PacketId);
        i += 2;
        if (v5) i += MqttPropertyCodec.Write(span[i..], u.Properties);
        foreach (var filter in u.TopicFilters) i += MqttUtf8.Write(span[i..], filter);
        writer.Advance(total);
        return total;
    }

    /// <summary>5.0 DISCONNECT and AUTH: remaining length 0 when the reason is 0x00 without properties (section 3.14.2.1).</summary>
    private static int WriteReasonOnly(IBufferWriter<byte> writer, byte header, MqttReasonCode reason, MqttProperties? properties, int maxPacketSize, MqttPacketType type)
    {
        _ = type;
        MqttPropertyCodec.Validate(properties);
        if (reason == MqttReasonCode.Success && properties is null) return WriteFixedEmpty(writer, header);
        var span = Begin(writer, header, 1 + (properties is null ? 0 : MqttPropertyCodec.Size(properties)), maxPacketSize, out var total, out var i);
        span[i++] = (byte)reason;
        if (properties is not null) MqttPropertyCodec.Write(span[i..], properties);
        writer.Advance(total);
        return total;
    }

    private static int WriteFixedEmpty(IBufferWriter<byte> writer, byte header)
    {
        var span = writer.GetSpan(2);
        span[0] = header;
        span[1] = 0;
        writer.Advance(2);
        return 2;
    }
}
