namespace Gateway.Mqtt;

/// <summary>
/// The will message the broker publishes when the client's connection ends without DISCONNECT ([MQTT-3.1.2-8]);
/// a clean DISCONNECT makes the broker discard it ([MQTT-3.1.2-10]). The payload is copied into CONNECT on each
/// connection, so it must stay valid and unchanged while the client lives.
/// </summary>
public sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos = MqttQos.AtLeastOnce, bool Retain = true);
