namespace Gateway.Mqtt;

/// <summary>Raised after every accepted CONNACK.</summary>
public sealed class MqttConnectedEventArgs(bool sessionPresent) : EventArgs
{
    /// <summary>The broker resumed a stored session ([MQTT-3.2.2-2]); always false with CleanSession.</summary>
    public bool SessionPresent { get; } = sessionPresent;
}

/// <summary>Raised when an attempt to connect fails (the client retries with backoff).</summary>
public sealed class MqttConnectFailedEventArgs(Exception error, int attempt) : EventArgs
{
    /// <summary>Why: refused connection, TLS refusal (the broker's or ours), CONNACK refusal, timeout.</summary>
    public Exception Error { get; } = error;

    /// <summary>Failed attempts in a row, from 1; a successful connection starts the count again.</summary>
    public int Attempt { get; } = attempt;
}

/// <summary>Raised when an established connection ends.</summary>
public sealed class MqttDisconnectedEventArgs(Exception? reason) : EventArgs
{
    /// <summary>Why the connection ended; null after a DisconnectAsync or DisposeAsync.</summary>
    public Exception? Reason { get; } = reason;
}
