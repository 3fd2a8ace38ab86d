namespace Gateway.Mqtt.Packets;

/// <summary>MQTT 5.0 property identifiers (section 2.2.2.2, table 2-4), each with its wire type in the comment.</summary>
internal enum MqttPropertyId : byte
{
    PayloadFormatIndicator = 0x01,          // byte
    MessageExpiryInterval = 0x02,           // four byte integer
    ContentType = 0x03,                     // UTF-8 string
    ResponseTopic = 0x08,                   // UTF-8 string
    CorrelationData = 0x09,                 // binary data
    SubscriptionIdentifier = 0x0B,          // variable byte integer
    SessionExpiryInterval = 0x11,           // four byte integer
    AssignedClientIdentifier = 0x12,        // UTF-8 string
    ServerKeepAlive = 0x13,                 // two byte integer
    AuthenticationMethod = 0x15,            // UTF-8 string
    AuthenticationData = 0x16,              // binary data
    RequestProblemInformation = 0x17,       // byte
    WillDelayInterval = 0x18,               // four byte integer
    RequestResponseInformation = 0x19,      // byte
    ResponseInformation = 0x1A,             // UTF-8 string
    ServerReference = 0x1C,                 // UTF-8 string
    ReasonString = 0x1F,                    // UTF-8 string
    ReceiveMaximum = 0x21,                  // two byte integer
    TopicAliasMaximum = 0x22,               // two byte integer
    TopicAlias = 0x23,                      // two byte integer
    MaximumQos = 0x24,                      // byte
    RetainAvailable = 0x25,                 // byte
    UserProperty = 0x26,                    // UTF-8 string pair
    MaximumPacketSize = 0x27,               // four byte integer
    WildcardSubscriptionAvailable = 0x28,   // byte
    SubscriptionIdentifierAvailable = 0x29, // byte
    SharedSubscriptionAvailable = 0x2A,     // byte
}
