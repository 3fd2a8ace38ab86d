namespace Gateway.Mqtt;

/// <summary>
/// An application message received from the broker. The payload is a copy that the message owns: it stays valid for
/// the message's lifetime, independent of the client's receive buffers.
/// </summary>
public sealed class MqttMessage
{
    internal MqttMessage(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, bool duplicate, ushort packetId, long connectionId)
    {
        Topic = topic;
        Payload = payload;
        Qos = qos;
        Retain = retain;
        Duplicate = duplicate;
        PacketId = packetId;
        ConnectionId = connectionId;
    }

    public string Topic { get; }
    public ReadOnlyMemory<byte> Payload { get; }
    public MqttQos Qos { get; }
    public bool Retain { get; }

    /// <summary>The broker says this may be a re-delivery ([MQTT-3.3.1-1]).</summary>
    public bool Duplicate { get; }

    /// <summary>The packet identifier (0 for QoS 0). Only meaningful on the connection that received the message.</summary>
    public ushort PacketId { get; }

    /// <summary>The connection this message arrived on; an ack for an older connection is not sent (the broker re-delivers).</summary>
    internal long ConnectionId { get; }

    /// <summary>Manual-ack bookkeeping: set once the application acknowledged the message.</summary>
    internal bool Acknowledged { get; set; }
}
