namespace Gateway.Mqtt;

/// <summary>
/// MQTT 5.0 reason codes (section 2.4, table 2-6). Values below 0x80 report success, 0x80 and above failure
/// ([MQTT-2.4]). MQTT 3.1.1 CONNACK return codes and SUBACK failures are mapped onto these so that callers see one type.
/// </summary>
public enum MqttReasonCode : byte
{
    /// <summary>Success; in SUBACK granted QoS 0; in DISCONNECT a normal disconnection (the will is not sent).</summary>
    Success = 0x00,

    /// <summary>SUBACK: the subscription was granted with QoS 1 at most.</summary>
    GrantedQos1 = 0x01,

    /// <summary>SUBACK: the subscription was granted with QoS 2.</summary>
    GrantedQos2 = 0x02,

    /// <summary>DISCONNECT from the client: close, but publish the will anyway.</summary>
    DisconnectWithWillMessage = 0x04,

    /// <summary>PUBACK/PUBREC: accepted, but nobody subscribes to the topic (still a success: the broker has the message).</summary>
    NoMatchingSubscribers = 0x10,

    /// <summary>UNSUBACK: there was no such subscription.</summary>
    NoSubscriptionExisted = 0x11,

    /// <summary>AUTH: enhanced authentication goes on with another step (section 4.12).</summary>
    ContinueAuthentication = 0x18,

    /// <summary>AUTH from the client: start re-authentication.</summary>
    ReAuthenticate = 0x19,

    /// <summary>The receiver will not say why it failed; the 3.1.1 mapping of anything unknown.</summary>
    UnspecifiedError = 0x80,

    /// <summary>A packet could not be parsed according to the specification (section 4.13).</summary>
    MalformedPacket = 0x81,

    /// <summary>A packet was well formed but not allowed in this state or by the negotiated options.</summary>
    ProtocolError = 0x82,

    /// <summary>Valid, but the receiver refuses it for a reason of its own.</summary>
    ImplementationSpecificError = 0x83,

    /// <summary>CONNACK: the server does not speak the requested protocol version.</summary>
    UnsupportedProtocolVersion = 0x84,

    /// <summary>CONNACK: the client id is valid UTF-8 but the server refuses it (3.1.1: identifier rejected).</summary>
    ClientIdentifierNotValid = 0x85,

    /// <summary>CONNACK: the user name or password was refused.</summary>
    BadUserNameOrPassword = 0x86,

    /// <summary>Not authorized: the ACL refused the connection, publish or subscription.</summary>
    NotAuthorized = 0x87,

    /// <summary>CONNACK: the server is not available now; try later.</summary>
    ServerUnavailable = 0x88,

    /// <summary>The server is busy; try later.</summary>
    ServerBusy = 0x89,

    /// <summary>CONNACK: this client is banned by an administrator.</summary>
    Banned = 0x8A,

    /// <summary>DISCONNECT from the server: it is shutting down.</summary>
    ServerShuttingDown = 0x8B,

    /// <summary>The authentication method is not supported or does not match the one in use.</summary>
    BadAuthenticationMethod = 0x8C,

    /// <summary>DISCONNECT from the server: no packet within 1.5 times the keep alive (section 3.1.2.10).</summary>
    KeepAliveTimeout = 0x8D,

    /// <summary>DISCONNECT from the server: another connection with the same client id took the session (two agents with one id).</summary>
    SessionTakenOver = 0x8E,

    /// <summary>The topic filter is well formed but the server refuses it.</summary>
    TopicFilterInvalid = 0x8F,

    /// <summary>The topic name is well formed but the server refuses it.</summary>
    TopicNameInvalid = 0x90,

    /// <summary>The packet identifier is already in use (a client bug: an id reused before its acknowledgement).</summary>
    PacketIdentifierInUse = 0x91,

    /// <summary>PUBREL/PUBCOMP: the packet identifier is not known.</summary>
    PacketIdentifierNotFound = 0x92,

    /// <summary>More QoS 1/2 publishes in flight than the receiver's Receive Maximum allows (section 4.9).</summary>
    ReceiveMaximumExceeded = 0x93,

    /// <summary>A topic alias is 0 or above the receiver's Topic Alias Maximum.</summary>
    TopicAliasInvalid = 0x94,

    /// <summary>The packet exceeds the receiver's Maximum Packet Size.</summary>
    PacketTooLarge = 0x95,

    /// <summary>DISCONNECT: the received data rate is too high.</summary>
    MessageRateTooHigh = 0x96,

    /// <summary>An implementation or administrative quota was exceeded.</summary>
    QuotaExceeded = 0x97,

    /// <summary>DISCONNECT from the server: an administrator closed the connection.</summary>
    AdministrativeAction = 0x98,

    /// <summary>The payload does not match its Payload Format Indicator (not valid UTF-8 although marked so).</summary>
    PayloadFormatInvalid = 0x99,

    /// <summary>The server does not support retained messages (Retain Available was 0).</summary>
    RetainNotSupported = 0x9A,

    /// <summary>The QoS is above the server's Maximum QoS.</summary>
    QosNotSupported = 0x9B,

    /// <summary>CONNACK/DISCONNECT: temporarily use another server (named in Server Reference).</summary>
    UseAnotherServer = 0x9C,

    /// <summary>CONNACK/DISCONNECT: use another server for good (named in Server Reference).</summary>
    ServerMoved = 0x9D,

    /// <summary>The server does not support shared subscriptions (<c>$share/...</c>).</summary>
    SharedSubscriptionsNotSupported = 0x9E,

    /// <summary>CONNACK: this client connects too often; back off.</summary>
    ConnectionRateExceeded = 0x9F,

    /// <summary>DISCONNECT from the server: the connection lasted as long as it may.</summary>
    MaximumConnectTime = 0xA0,

    /// <summary>The server does not support subscription identifiers.</summary>
    SubscriptionIdentifiersNotSupported = 0xA1,

    /// <summary>The server does not support wildcard subscriptions.</summary>
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
