namespace Gateway.Mqtt;

/// <summary>CONNACK return codes, MQTT 3.1.1 section 3.2.2.3 table 3.1; values 6-255 are reserved.</summary>
public enum ConnectReturnCode : byte
{
    /// <summary>Connection accepted.</summary>
    Accepted = 0,

    /// <summary>The server does not support protocol level 4 (3.1.1).</summary>
    UnacceptableProtocolVersion = 1,

    /// <summary>The client id is correct UTF-8 but not allowed by the server.</summary>
    IdentifierRejected = 2,

    /// <summary>The network connection is up but the MQTT service is unavailable.</summary>
    ServerUnavailable = 3,

    /// <summary>The user name or password is malformed or refused.</summary>
    BadUserNameOrPassword = 4,

    /// <summary>The client is not authorized to connect.</summary>
    NotAuthorized = 5,
}
