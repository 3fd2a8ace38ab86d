namespace Gateway.Mqtt;

/// <summary>
/// The will message the broker publishes when the client's connection ends without DISCONNECT ([MQTT-3.1.2-8]);
/// a clean DISCONNECT makes the broker discard it ([MQTT-3.1.2-10]). The payload is copied into CONNECT on each
/// connection, so it must stay valid and unchanged while the client lives. The init-only members are MQTT 5.0 will
/// properties (section 3.1.3.2); setting one with MQTT 3.1.1 is refused when the client is created.
/// </summary>
public sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos = MqttQos.AtLeastOnce, bool Retain = true)
{
    /// <summary>5.0: the broker waits this long after the connection ends before publishing the will (a quick reconnect cancels it).</summary>
    public TimeSpan? DelayInterval { get; init; }

    /// <summary>5.0: the will's lifetime once published.</summary>
    public TimeSpan? MessageExpiryInterval { get; init; }

    /// <summary>5.0: the will's Content Type (a MIME type).</summary>
    public string? ContentType { get; init; }

    /// <summary>5.0: whether the will's payload is UTF-8 text.</summary>
    public MqttPayloadFormat? PayloadFormat { get; init; }

    /// <summary>5.0: the Response Topic carried by the will.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>5.0: the Correlation Data carried by the will.</summary>
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    /// <summary>5.0: User Properties carried by the will.</summary>
    public IReadOnlyList<MqttUserProperty>? UserProperties { get; init; }

    internal bool HasV5Properties => DelayInterval is not null || MessageExpiryInterval is not null || ContentType is not null
        || PayloadFormat is not null || ResponseTopic is not null || CorrelationData is not null || UserProperties is { Count: > 0 };
}

/// <summary>5.0 Payload Format Indicator (property 0x01): unspecified bytes, or UTF-8 text the receiver may check.</summary>
public enum MqttPayloadFormat : byte
{
    /// <summary>0: the payload is bytes of no declared format.</summary>
    Unspecified = 0,

    /// <summary>1: the payload is UTF-8 text; a receiver may refuse invalid UTF-8 (<see cref="MqttReasonCode.PayloadFormatInvalid"/>).</summary>
    Utf8 = 1,
}
