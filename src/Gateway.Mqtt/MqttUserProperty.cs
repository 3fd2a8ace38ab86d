namespace Gateway.Mqtt;

/// <summary>An MQTT 5.0 user property (property 0x26): a UTF-8 string pair; names may repeat and order is kept ([MQTT-3.3.2-18]).</summary>
public readonly record struct MqttUserProperty(string Name, string Value);
