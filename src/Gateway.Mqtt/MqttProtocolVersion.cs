namespace Gateway.Mqtt;

/// <summary>The protocol level sent in CONNECT ([MQTT-3.1.2-2]; MQTT 5.0 section 3.1.2.2), chosen per client.</summary>
public enum MqttProtocolVersion : byte
{
    /// <summary>MQTT 3.1.1 (OASIS, 29 October 2014), protocol level 4.</summary>
    V311 = 4,

    /// <summary>MQTT 5.0 (OASIS, 7 March 2019), protocol level 5.</summary>
    V500 = 5,
}
