namespace Gateway.Mqtt;

/// <summary>Quality of service levels ([MQTT-4.3]). This version implements the flows of levels 0 and 1.</summary>
public enum MqttQos : byte
{
    /// <summary>QoS 0: sent once, no acknowledgement; lost if the connection drops.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: re-sent until PUBACK; may arrive twice, which the store's idempotent points make harmless (DESIGN §2).</summary>
    AtLeastOnce = 1,

    /// <summary>QoS 2: exactly once, by a four-packet exchange (section 4.3.3); this client does not implement its flows.</summary>
    ExactlyOnce = 2,
}
