namespace Gateway.Mqtt;

/// <summary>
/// MQTT 5.0 reason codes (section 2.4, table 2-6). Values below 0x80 report success, 0x80 and above failure
/// ([MQTT-2.4]). MQTT 3.1.1 CONNACK return codes and SUBACK failures are mapped onto these so that callers see one type.
/// </summary>
public enum MqttReasonCode : byte
{
    Success = 0x00,
    GrantedQos1 = 0x01,
    GrantedQos2 = 0x02,
    DisconnectWithWillMessage = 0x04,
    NoMatchingSubscribers = 0x10,
    NoSubscriptionExisted = 0x11,
    ContinueAuthentication = 0x18,
    ReAuthenticate = 0x19,
    UnspecifiedError = 0x80,
    MalformedPacket = 0x81,
    ProtocolError = 0x82,
    ImplementationSpecificError = 0x83,
    UnsupportedProtocolVersion = 0x84,
    ClientIdentifierNotValid = 0x85,
    BadUserNameOrPassword = 0x86,
    NotAuthorized = 0x87,
    ServerUnavailable = 0x88,
    ServerBusy = 0x89,
    Banned = 0x8A,
    ServerShuttingDown = 0x8B,
    BadAuthenticationMethod = 0x8C,
    KeepAliveTimeout = 0x8D,
    SessionTakenOver = 0x8E,
    TopicFilterInvalid = 0x8F,
    TopicNameInvalid = 0x90,
    PacketIdentifierInUse = 0x91,
    PacketIdentifierNotFound = 0x92,
    ReceiveMaximumExceeded = 0x93,
    TopicAliasInvalid = 0x94,
    PacketTooLarge = 0x95,
    MessageRateTooHigh = 0x96,
    QuotaExceeded = 0x97,
    AdministrativeAction = 0x98,
    PayloadFormatInvalid = 0x99,
    RetainNotSupported = 0x9A,
    QosNotSupported = 0x9B,
    UseAnotherServer = 0x9C,
    ServerMoved = 0x9D,
    SharedSubscriptionsNotSupported = 0x9E,
    ConnectionRateExceeded = 0x9F,
    MaximumConnectTime = 0xA0,
    SubscriptionIdentifiersNotSupported = 0xA1,
    WildcardSubscriptionsNotSupported = 0xA2,
}

/// <summary>Helpers for <see cref="MqttReasonCode"/>.</summary>
public static class MqttReasonCodes
{
    /// <summary>[MQTT-2.4]: 0x80 and above is a failure.</summary>
    public static bool IsFailure(this MqttReasonCode code) => (byte)code >= 0x80;

    /// <summary>A readable name: the enum name, or the hex value for a code this version does not know.</summary>
    public static string Describe(this MqttReasonCode code) =>
        Enum.IsDefined(code) ? $"{code} (0x{(byte)code:X2})" : $"reason code 0x{(byte)code:X2}";

    /// <summary>MQTT 3.1.1 CONNACK return codes (section 3.2.2.3) as their MQTT 5.0 equivalents.</summary>
    public static MqttReasonCode FromConnectReturnCode(ConnectReturnCode code) => code switch
    {
        ConnectReturnCode.Accepted => MqttReasonCode.Success,
        ConnectReturnCode.UnacceptableProtocolVersion => MqttReasonCode.UnsupportedProtocolVersion,
        ConnectReturnCode.IdentifierRejected => MqttReasonCode.ClientIdentifierNotValid,
        ConnectReturnCode.ServerUnavailable => MqttReasonCode.ServerUnavailable,
        ConnectReturnCode.BadUserNameOrPassword => MqttReasonCode.BadUserNameOrPassword,
        ConnectReturnCode.NotAuthorized => MqttReasonCode.NotAuthorized,
        _ => MqttReasonCode.UnspecifiedError,
    };
}
