namespace Gateway.Mqtt;

/// <summary>
/// A message to publish with the MQTT 5.0 extras (section 3.3.2.3). With MQTT 3.1.1 only topic, payload, QoS and
/// retain exist; a message that sets any other member is refused with <see cref="ArgumentException"/> rather than
/// silently stripped. The payload is copied before PublishAsync returns.
/// </summary>
public sealed record MqttApplicationMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos = MqttQos.AtLeastOnce, bool Retain = false)
{
    /// <summary>5.0 Content Type (section 3.3.2.3.9), a MIME type such as <c>text/plain</c>; the broker passes it on unread.</summary>
    public string? ContentType { get; init; }

    /// <summary>5.0 Payload Format Indicator (section 3.3.2.3.2): whether the payload is UTF-8 text the broker may check.</summary>
    public MqttPayloadFormat? PayloadFormat { get; init; }

    /// <summary>The broker drops the message if it cannot deliver it within this time (whole seconds, section 3.3.2.3.3).</summary>
    public TimeSpan? MessageExpiryInterval { get; init; }

    /// <summary>Request/response (section 4.10): where the responder should publish its answer.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>Request/response: echoed by the responder so the requester can match the answer.</summary>
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    /// <summary>5.0 User Properties (section 3.3.2.3.7): name/value pairs passed to subscribers in order.</summary>
    public IReadOnlyList<MqttUserProperty>? UserProperties { get; init; }

    internal bool HasV5Properties => ContentType is not null || PayloadFormat is not null || MessageExpiryInterval is not null
        || ResponseTopic is not null || CorrelationData is not null || UserProperties is { Count: > 0 };
}

/// <summary>
/// How the broker acknowledged a QoS 1/2 publish (PUBACK/PUBREC reason, section 3.4.2.1); QoS 0 and MQTT 3.1.1
/// acknowledgements give <see cref="MqttReasonCode.Success"/>. A failure code never comes back as a result: it is
/// thrown as <see cref="MqttPublishException"/>.
/// </summary>
public readonly record struct MqttPublishResult(MqttReasonCode ReasonCode, string? ReasonString = null);
