using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Session;

/// <summary>
/// What the broker allows on one connection, from its 5.0 CONNACK properties (section 3.2.2.3) combined with our
/// options; with 3.1.1 only our options count. Fixed for the connection's lifetime.
/// </summary>
internal sealed record ConnectionLimits(
    MqttProtocolVersion Version,
    int SendWindow,
    int MaxOutgoingPacketSize,
    int TopicAliasMaximum,
    TimeSpan KeepAlive,
    MqttQos MaximumQos,
    bool RetainAvailable)
{
    public static ConnectionLimits From(MqttClientOptions options, MqttProperties? connAck)
    {
        var keepAlive = TimeSpan.FromSeconds((ushort)options.KeepAlive.TotalSeconds);
        if (options.ProtocolVersion != MqttProtocolVersion.V500)
            return new(options.ProtocolVersion, options.MaxInflight, options.MaxPacketSize, 0, keepAlive, MqttQos.ExactlyOnce, RetainAvailable: true);
        return new(
            options.ProtocolVersion,
            // [MQTT-4.9.0-1]: never more unacknowledged QoS>0 PUBLISH than the broker's Receive Maximum (absent: 65,535).
            Math.Min(options.MaxInflight, connAck?.ReceiveMaximum ?? ushort.MaxValue),
            // [MQTT-3.2.2-15]: never send a packet larger than the broker's Maximum Packet Size.
            (int)Math.Min((uint)options.MaxPacketSize, connAck?.MaximumPacketSize ?? uint.MaxValue),
            // [MQTT-3.2.2-17], [MQTT-3.3.2-9]: never a topic alias above the broker's Topic Alias Maximum (absent: 0).
            Math.Min(options.TopicAliasMaximum, connAck?.TopicAliasMaximum ?? 0),
            // [MQTT-3.2.2-21]: the Server Keep Alive replaces ours.
            connAck?.ServerKeepAlive is { } serverKeepAlive ? TimeSpan.FromSeconds(serverKeepAlive) : keepAlive,
            // [MQTT-3.2.2-11], [MQTT-3.2.2-14]: no QoS above Maximum QoS, no retained message if Retain Available is 0.
            connAck?.MaximumQos is { } maxQos ? (MqttQos)maxQos : MqttQos.ExactlyOnce,
            connAck?.RetainAvailable != 0);
    }
}
