using System.Buffers;
using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Codec;

/// <summary>
/// CONNECT body (section 3.1): protocol name, level, connect flags, keep alive, (5.0: properties), then client id,
/// (5.0: will properties), will topic, will message, user name, password as the flags say ([MQTT-3.1.3-1]).
/// The protocol level in the packet decides the version, whatever the reader was created for.
/// </summary>
internal static class MqttConnectParser
{
    public static ConnectPacket Parse(ref SequenceReader<byte> body)
    {
        var name = MqttBodyParser.ReadString(ref body, "CONNECT protocol name");
        // [MQTT-3.1.2-1]: anything other than "MQTT" is not this protocol.
        if (name != "MQTT") throw new MqttProtocolException($"CONNECT protocol name is '{name}', not 'MQTT' [MQTT-3.1.2-1].");
        var level = MqttBodyParser.ReadByte(ref body, "CONNECT protocol level");
        var v5 = level == ConnectPacket.ProtocolLevel500;
        var flags = MqttBodyParser.ReadByte(ref body, "CONNECT flags");
        // [MQTT-3.1.2-3]: the reserved flag bit 0 is zero.
        if ((flags & 0x01) != 0) throw new MqttProtocolException("CONNECT reserved flag bit is set [MQTT-3.1.2-3].");
        var keepAlive = MqttBodyParser.ReadUInt16(ref body, "CONNECT keep alive");
        var hasWill = (flags & 0x04) != 0;
        var willQos = (flags >> 3) & 0x03;
        var willRetain = (flags & 0x20) != 0;
        // [MQTT-3.1.2-14]: will QoS 3 is invalid; [MQTT-3.1.2-13], [MQTT-3.1.2-15]: without a will, QoS and retain are 0.
        if (willQos == 3) throw new MqttProtocolException("CONNECT will QoS is 3 [MQTT-3.1.2-14].");
        if (!hasWill && (willQos != 0 || willRetain)) throw new MqttProtocolException("CONNECT sets will QoS or retain without a will [MQTT-3.1.2-13].");
        var hasUser = (flags & 0x80) != 0;
        var hasPassword = (flags & 0x40) != 0;
        // [MQTT-3.1.2-22]: a password needs a user name (3.1.1 only; 5.0 allows a password alone, section 3.1.2.9).
        if (!v5 && hasPassword && !hasUser) throw new MqttProtocolException("CONNECT has a password without a user name [MQTT-3.1.2-22].");
        var properties = v5 ? MqttPropertyCodec.Read(ref body, MqttPacketType.Connect) : null;
        var clientId = MqttBodyParser.ReadString(ref body, "CONNECT client id");
        MqttWill? will = null;
        MqttProperties? willProperties = null;
        if (hasWill)
        {
            if (v5) willProperties = MqttPropertyCodec.Read(ref body, MqttPropertyCodec.Will);
            var topic = MqttBodyParser.ReadString(ref body, "CONNECT will topic");
            if (MqttTopic.NameError(topic) is { } error) throw new MqttProtocolException($"The CONNECT will topic {error}.");
            var payload = MqttBodyParser.ReadSlice(ref body, "CONNECT will message").ToArray();
            will = new MqttWill(topic, payload, (MqttQos)willQos, willRetain);
        }
        var user = hasUser ? MqttBodyParser.ReadString(ref body, "CONNECT user name") : null;
        // Assigned in an if: in a conditional, null would convert (via byte[]) to an empty, not an absent, password.
        ReadOnlyMemory<byte>? password = null;
        if (hasPassword) password = MqttBodyParser.ReadSlice(ref body, "CONNECT password").ToArray();
        return new ConnectPacket(clientId, (flags & 0x02) != 0, keepAlive, user, password, will, level)
        {
            Properties = properties,
            WillProperties = willProperties,
        };
    }
}
