namespace Gateway.Mqtt;

/// <summary>Raised after every accepted CONNACK.</summary>
public sealed class MqttConnectedEventArgs(bool sessionPresent) : EventArgs
{
    /// <summary>The broker resumed a stored session ([MQTT-3.2.2-2]); always false with CleanSession.</summary>
    public bool SessionPresent { get; } = sessionPresent;
}

/// <summary>Raised when an established connection ends.</summary>
public sealed class MqttDisconnectedEventArgs(Exception? reason) : EventArgs
{
    /// <summary>Why the connection ended; null after a DisconnectAsync or DisposeAsync.</summary>
    public Exception? Reason { get; } = reason;
}
