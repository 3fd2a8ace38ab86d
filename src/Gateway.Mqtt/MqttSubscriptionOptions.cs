namespace Gateway.Mqtt;

/// <summary>MQTT 5.0 Retain Handling subscription option (section 3.8.3.1, bits 4-5).</summary>
public enum MqttRetainHandling : byte
{
    /// <summary>Send retained messages at the time of the subscribe.</summary>
    SendAtSubscribe = 0,

    /// <summary>Send retained messages only if the subscription did not exist before.</summary>
    SendIfNewSubscription = 1,

    /// <summary>Never send retained messages for this subscription.</summary>
    DoNotSend = 2,
}

/// <summary>
/// The MQTT 5.0 subscription options (section 3.8.3.1). With MQTT 3.1.1 only <see cref="Qos"/> is sent; asking for
/// any other option there throws <see cref="NotSupportedException"/> rather than being silently ignored.
/// </summary>
public sealed record MqttSubscriptionOptions(MqttQos Qos = MqttQos.AtLeastOnce)
{
    /// <summary>Do not receive our own publications ([MQTT-3.8.3-3]: not allowed on a shared subscription).</summary>
    public bool NoLocal { get; init; }

    /// <summary>Keep the RETAIN flag as published instead of clearing it on forwarded messages.</summary>
    public bool RetainAsPublished { get; init; }

    /// <summary>Whether the broker sends retained messages when the subscription is made (5.0, section 3.8.3.1).</summary>
    public MqttRetainHandling RetainHandling { get; init; }

    /// <summary>5.0 Subscription Identifier (1-268,435,455), echoed in matching messages' <see cref="MqttMessage.SubscriptionIdentifiers"/>.</summary>
    public int? SubscriptionIdentifier { get; init; }

    /// <summary>5.0 User Properties sent with the SUBSCRIBE (for the broker's plugins; not echoed in messages).</summary>
    public IReadOnlyList<MqttUserProperty>? UserProperties { get; init; }
}
