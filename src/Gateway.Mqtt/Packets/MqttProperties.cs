namespace Gateway.Mqtt.Packets;

/// <summary>
/// The MQTT 5.0 properties of one packet (section 2.2.2) as plain data; null means absent. Which properties a packet
/// may carry is checked by the codec (table 2-4). Memory (correlation and authentication data) is owned by the object.
/// </summary>
internal sealed record MqttProperties
{
    public byte? PayloadFormatIndicator { get; set; }
    public uint? MessageExpiryInterval { get; set; }
    public string? ContentType { get; set; }
    public string? ResponseTopic { get; set; }
    public ReadOnlyMemory<byte>? CorrelationData { get; set; }
    public List<int>? SubscriptionIdentifiers { get; set; }
    public uint? SessionExpiryInterval { get; set; }
    public string? AssignedClientIdentifier { get; set; }
    public ushort? ServerKeepAlive { get; set; }
    public string? AuthenticationMethod { get; set; }
    public ReadOnlyMemory<byte>? AuthenticationData { get; set; }
    public byte? RequestProblemInformation { get; set; }
    public uint? WillDelayInterval { get; set; }
    public byte? RequestResponseInformation { get; set; }
    public string? ResponseInformation { get; set; }
    public string? ServerReference { get; set; }
    public string? ReasonString { get; set; }
    public ushort? ReceiveMaximum { get; set; }
    public ushort? TopicAliasMaximum { get; set; }
    public ushort? TopicAlias { get; set; }
    public byte? MaximumQos { get; set; }
    public byte? RetainAvailable { get; set; }
    public List<MqttUserProperty>? UserProperties { get; set; }
    public uint? MaximumPacketSize { get; set; }
    public byte? WildcardSubscriptionAvailable { get; set; }
    public byte? SubscriptionIdentifierAvailable { get; set; }
    public byte? SharedSubscriptionAvailable { get; set; }

    /// <summary>Structural equality for tests: lists and memory compared by content.</summary>
    public bool ContentEquals(MqttProperties? other)
    {
        if (other is null) return false;
        return PayloadFormatIndicator == other.PayloadFormatIndicator && MessageExpiryInterval == other.MessageExpiryInterval
            && ContentType == other.ContentType && ResponseTopic == other.ResponseTopic
            && SameBytes(CorrelationData, other.CorrelationData) && SameList(SubscriptionIdentifiers, other.SubscriptionIdentifiers)
            && SessionExpiryInterval == other.SessionExpiryInterval && AssignedClientIdentifier == other.AssignedClientIdentifier
            && ServerKeepAlive == other.ServerKeepAlive && AuthenticationMethod == other.AuthenticationMethod
            && SameBytes(AuthenticationData, other.AuthenticationData) && RequestProblemInformation == other.RequestProblemInformation
            && WillDelayInterval == other.WillDelayInterval && RequestResponseInformation == other.RequestResponseInformation
            && ResponseInformation == other.ResponseInformation && ServerReference == other.ServerReference
            && ReasonString == other.ReasonString && ReceiveMaximum == other.ReceiveMaximum
            && TopicAliasMaximum == other.TopicAliasMaximum && TopicAlias == other.TopicAlias && MaximumQos == other.MaximumQos
            && RetainAvailable == other.RetainAvailable && SameList(UserProperties, other.UserProperties)
            && MaximumPacketSize == other.MaximumPacketSize && WildcardSubscriptionAvailable == other.WildcardSubscriptionAvailable
            && SubscriptionIdentifierAvailable == other.SubscriptionIdentifierAvailable
            && SharedSubscriptionAvailable == other.SharedSubscriptionAvailable;
    }

    private static bool SameBytes(ReadOnlyMemory<byte>? a, ReadOnlyMemory<byte>? b) =>
        a.HasValue == b.HasValue && (!a.HasValue || a.Value.Span.SequenceEqual(b!.Value.Span));

    private static bool SameList<T>(List<T>? a, List<T>? b) =>
        (a is null && b is null) || (a is not null && b is not null && a.SequenceEqual(b));
}
