namespace Gateway.Mqtt;

/// <summary>Base of every exception this library throws for MQTT-level failures.</summary>
public class MqttException : Exception
{
    public MqttException() { }
    public MqttException(string message) : base(message) { }
    public MqttException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>A malformed packet ([MQTT-1.2]: the connection is closed on any protocol violation).</summary>
public sealed class MqttProtocolException : MqttException
{
    public MqttProtocolException() { }
    public MqttProtocolException(string message) : base(message) { }
    public MqttProtocolException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The broker refused the connection with a non-zero CONNACK return code.</summary>
public sealed class MqttConnectException : MqttException
{
    public MqttConnectException(ConnectReturnCode returnCode) : base(Describe(returnCode)) => ReturnCode = returnCode;

    public ConnectReturnCode ReturnCode { get; }

    private static string Describe(ConnectReturnCode code) => code switch
    {
        ConnectReturnCode.UnacceptableProtocolVersion => "The broker refused the connection (return code 1): it does not support MQTT 3.1.1. Use a broker that speaks protocol level 4.",
        ConnectReturnCode.IdentifierRejected => "The broker refused the connection (return code 2): the client id is not allowed. Use 1-23 characters [0-9a-zA-Z] or check the broker's client id rules.",
        ConnectReturnCode.ServerUnavailable => "The broker refused the connection (return code 3): the MQTT service is unavailable. The client retries with backoff when started with Start().",
        ConnectReturnCode.BadUserNameOrPassword => "The broker refused the connection (return code 4): bad user name or password. Check Username/Password in the options.",
        ConnectReturnCode.NotAuthorized => "The broker refused the connection (return code 5): not authorized. Check the broker's ACL and this client's credentials.",
        _ => $"The broker refused the connection with return code {(byte)code}.",
    };
}

/// <summary>
/// The TCP connection to the broker could not be opened, timed out, or broke. Socket and stream errors are mapped to
/// this type once, in the transport (STYLE.md habit 9); the original error is the inner exception.
/// </summary>
public sealed class MqttConnectionException : MqttException
{
    public MqttConnectionException() { }
    public MqttConnectionException(string message) : base(message) { }
    public MqttConnectionException(string message, Exception? innerException) : base(message, innerException) { }
}
