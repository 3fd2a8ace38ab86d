namespace Gateway.Mqtt;

/// <summary>Quality of service levels ([MQTT-4.3]). This version implements the flows of levels 0 and 1.</summary>
public enum MqttQos : byte
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}
