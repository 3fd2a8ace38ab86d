namespace Gateway.Mqtt;

/// <summary>Base of every exception this library throws for MQTT-level failures.</summary>
public class MqttException : Exception
{
    /// <summary>Without a message (the standard exception constructors, CA1032).</summary>
    public MqttException() { }

    /// <summary>With a message that says what failed and what to do.</summary>
    public MqttException(string message) : base(message) { }

    /// <summary>With a message and the error that caused it.</summary>
    public MqttException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>A malformed packet ([MQTT-1.2]: the connection is closed on any protocol violation).</summary>
public sealed class MqttProtocolException : MqttException
{
    /// <summary>Without a message (the standard exception constructors, CA1032).</summary>
    public MqttProtocolException() { }

    /// <summary>With a message naming the packet and the rule it breaks.</summary>
    public MqttProtocolException(string message) : base(message) { }

    /// <summary>With a message and the error that caused it.</summary>
    public MqttProtocolException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The broker refused the connection with a non-zero CONNACK return (3.1.1) or reason (5.0) code.</summary>
public sealed class MqttConnectException : MqttException
{
    /// <summary>A 3.1.1 refusal; the message says what to check for each return code.</summary>
    public MqttConnectException(ConnectReturnCode returnCode) : base(Describe(returnCode))
    {
        ReturnCode = returnCode;
        ReasonCode = MqttReasonCodes.FromConnectReturnCode(returnCode);
    }

    /// <summary>A 5.0 refusal with the broker's optional Reason String.</summary>
    public MqttConnectException(MqttReasonCode reasonCode, string? reasonString)
        : base(Describe5(reasonCode, reasonString))
    {
        ReasonCode = reasonCode;
        ReasonString = reasonString;
        ReturnCode = (ConnectReturnCode)(byte)reasonCode;
    }

    /// <summary>The raw CONNACK code (3.1.1 return code, or the 5.0 reason code byte).</summary>
    public ConnectReturnCode ReturnCode { get; }

    /// <summary>The refusal as a 5.0 reason code, also for 3.1.1 (mapped: 5 becomes <see cref="MqttReasonCode.NotAuthorized"/>).</summary>
    public MqttReasonCode ReasonCode { get; }

    /// <summary>5.0 Reason String: the broker's human-readable explanation, or null (never with 3.1.1).</summary>
    public string? ReasonString { get; }

    private static string Describe(ConnectReturnCode code) => code switch
    {
        ConnectReturnCode.UnacceptableProtocolVersion => "The broker refused the connection (return code 1): it does not support MQTT 3.1.1. Use a broker that speaks protocol level 4.",
        ConnectReturnCode.IdentifierRejected => "The broker refused the connection (return code 2): the client id is not allowed. Use 1-23 characters [0-9a-zA-Z] or check the broker's client id rules.",
        ConnectReturnCode.ServerUnavailable => "The broker refused the connection (return code 3): the MQTT service is unavailable. The client retries with backoff when started with Start().",
        ConnectReturnCode.BadUserNameOrPassword => "The broker refused the connection (return code 4): bad user name or password. Check Username/Password in the options.",
        ConnectReturnCode.NotAuthorized => "The broker refused the connection (return code 5): not authorized. Check the broker's ACL and this client's credentials.",
        _ => $"The broker refused the connection with return code {(byte)code}.",
    };

    private static string Describe5(MqttReasonCode code, string? reason)
    {
        var advice = code switch
        {
            MqttReasonCode.UnsupportedProtocolVersion => "The broker does not speak MQTT 5.0; connect with ProtocolVersion V311 (gatewayctl: -V mqttv311).",
            MqttReasonCode.ClientIdentifierNotValid => "Choose another client id, or check the broker's client id rules.",
            MqttReasonCode.BadUserNameOrPassword => "Check Username/Password.",
            MqttReasonCode.NotAuthorized => "Check the broker's ACL and this client's credentials or certificate.",
            MqttReasonCode.ServerUnavailable or MqttReasonCode.ServerBusy => "The client retries with backoff when started with Start().",
            MqttReasonCode.Banned => "The broker banned this client; ask its operator.",
            MqttReasonCode.PacketTooLarge => "The CONNECT (will or credentials) is larger than the broker accepts.",
            _ => "See the broker's log for details.",
        };
        return $"The broker refused the connection: {code.Describe()}{(reason is null ? "" : $" \"{reason}\"")}. {advice}";
    }
}

/// <summary>
/// The TCP or TLS connection to the broker could not be opened, timed out, broke, or the broker closed it (5.0: with a
/// DISCONNECT reason in <see cref="ReasonCode"/>). Socket and stream errors are mapped to this type once, in the
/// transport (STYLE.md habit 9); the original error is the inner exception.
/// </summary>
public sealed class MqttConnectionException : MqttException
{
    /// <summary>Without a message (the standard exception constructors, CA1032).</summary>
    public MqttConnectionException() { }

    /// <summary>With a message naming the broker's endpoint and what to check.</summary>
    public MqttConnectionException(string message) : base(message) { }

    /// <summary>With a message and the socket or TLS error that caused it.</summary>
    public MqttConnectionException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The broker closed the connection with a 5.0 DISCONNECT carrying <paramref name="reasonCode"/>.</summary>
    public MqttConnectionException(string message, MqttReasonCode reasonCode) : base(message) => ReasonCode = reasonCode;

    /// <summary>The reason of a server-sent 5.0 DISCONNECT, or null.</summary>
    public MqttReasonCode? ReasonCode { get; }
}

/// <summary>The broker refused a QoS 1/2 publish (PUBACK/PUBREC reason 0x80 or above, 5.0), or the client could not send it within the broker's limits.</summary>
public sealed class MqttPublishException : MqttException
{
    /// <summary>A refused publish; <paramref name="advice"/> replaces the default advice for the reason code.</summary>
    public MqttPublishException(string topic, MqttReasonCode reasonCode, string? reasonString, string? advice = null)
        : base($"The broker refused the message on '{topic}': {reasonCode.Describe()}{(reasonString is null ? "" : $" \"{reasonString}\"")}. {advice ?? Advice(reasonCode)}")
    {
        Topic = topic;
        ReasonCode = reasonCode;
        ReasonString = reasonString;
    }

    /// <summary>The topic of the refused message.</summary>
    public string Topic { get; }

    /// <summary>The PUBACK/PUBREC reason (0x80 or above), or the client's own reason for not sending.</summary>
    public MqttReasonCode ReasonCode { get; }

    /// <summary>5.0 Reason String from the broker, or null.</summary>
    public string? ReasonString { get; }

    private static string Advice(MqttReasonCode code) => code switch
    {
        MqttReasonCode.NotAuthorized => "Check the broker's ACL for this client and topic.",
        MqttReasonCode.TopicNameInvalid => "Check the topic name against the broker's rules.",
        MqttReasonCode.QuotaExceeded => "The broker's quota is exhausted; retry later.",
        MqttReasonCode.PayloadFormatInvalid => "The payload does not match its payload format indicator.",
        MqttReasonCode.PacketTooLarge => "Send a smaller payload.",
        _ => "See the broker's log for details.",
    };
}

/// <summary>The broker refused a subscription (SUBACK 0x80 in 3.1.1, a 5.0 reason code of 0x80 or above).</summary>
public sealed class MqttSubscribeException : MqttException
{
    /// <summary>A refused subscription; the message names the filter and the reason.</summary>
    public MqttSubscribeException(string topicFilter, MqttReasonCode reasonCode, string? reasonString)
        : base($"The broker refused the subscription to '{topicFilter}': {reasonCode.Describe()}{(reasonString is null ? "" : $" \"{reasonString}\"")}. Check the broker's ACL for this client and the filter.")
    {
        TopicFilter = topicFilter;
        ReasonCode = reasonCode;
        ReasonString = reasonString;
    }

    /// <summary>The refused topic filter.</summary>
    public string TopicFilter { get; }

    /// <summary>The SUBACK reason: <see cref="MqttReasonCode.UnspecifiedError"/> for 3.1.1's 0x80 failure.</summary>
    public MqttReasonCode ReasonCode { get; }

    /// <summary>5.0 Reason String from the broker, or null.</summary>
    public string? ReasonString { get; }
}
