using System.Text;

namespace Gateway.Mqtt;

/// <summary>Options of one <see cref="MqttClient"/>, validated once by its constructor (STYLE.md habit 10).</summary>
public sealed class MqttClientOptions
{
    /// <summary>The broker's host name or address; also the name its TLS certificate must carry unless the TLS options
    /// name another.</summary>
    public required string Host { get; init; }

    /// <summary>The broker's TCP port: 1883 by default, 8883 for TLS by convention.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>Identifies the session at the broker (section 3.1.3.1); up to 65535 UTF-8 bytes. Empty asks the broker
    /// to assign one, which 3.1.1 allows only with <see cref="CleanSession"/>. The gateway uses its id (the
    /// certificate's CN).</summary>
    public required string ClientId { get; init; }

    /// <summary>MQTT 3.1.1 (default) or 5.0, for every connection of this client.</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V311;

    /// <summary>TLS; null for plain TCP.</summary>
    public MqttTlsOptions? Tls { get; init; }

    /// <summary>
    /// Opens the byte stream of each connection attempt instead of TCP/TLS to <see cref="Host"/>:<see cref="Port"/>
    /// (which then only name the endpoint in messages). Null, the default, is TCP, or TLS with <see cref="Tls"/>. The
    /// seam under the client (<see cref="Transport.MqttTransport"/>): tests use it to make a broker refuse, stall or cut
    /// the connection on cue.
    /// </summary>
    public Func<CancellationToken, ValueTask<Transport.MqttTransport>>? TransportFactory { get; init; }

    /// <summary>
    /// 5.0 Session Expiry Interval (section 3.1.2.11.2). Null: 0 with CleanSession (the session ends with the
    /// connection), "never" (0xFFFFFFFF s) without it, which is what CleanSession = false means in 3.1.1.
    /// </summary>
    public TimeSpan? SessionExpiryInterval { get; init; }

    /// <summary>5.0: the most topic aliases this client creates per connection (bounded further by the broker's Topic Alias Maximum); 0 disables them.</summary>
    public int TopicAliasMaximum { get; init; } = 64;

    /// <summary>Sent as whole seconds in CONNECT ([MQTT-3.1.2-24]); zero turns keep-alive off.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Start every connection with a new session (3.1.1 Clean Session, 5.0 Clean Start); false keeps
    /// subscriptions and queued QoS 1 messages at the broker across reconnects.</summary>
    public bool CleanSession { get; init; } = true;

    /// <summary>
    /// Subscribe again after every connection, even when the broker says the session (and so its subscriptions) is
    /// present. Needed for shared subscriptions on mosquitto 2.0, which reports the session present after its own
    /// restart without restoring them. Re-subscribing replaces the same subscription [MQTT-3.8.4-3], so it is harmless.
    /// </summary>
    public bool ResubscribeWhenSessionPresent { get; init; }

    /// <summary>CONNECT user name; null for none (behind mutual TLS the broker may take the certificate's CN instead:
    /// mosquitto's <c>use_identity_as_username</c>).</summary>
    public string? Username { get; init; }

    /// <summary>CONNECT password; 3.1.1 allows it only with a <see cref="Username"/> [MQTT-3.1.2-22].</summary>
    public string? Password { get; init; }

    /// <summary>The message the broker publishes when this client's connection ends without DISCONNECT; null for none.</summary>
    public MqttWill? Will { get; init; }

    /// <summary>Covers the TCP connect and the wait for CONNACK.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay; it doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The ceiling of the reconnect delay, so that a gateway whose uplink returns is back within a minute.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// QoS 1/2 send window: PUBLISH packets sent and not yet acknowledged. With 5.0 the broker's Receive Maximum lowers
    /// it per connection [MQTT-4.9.0-1]; 20 is mosquitto's default (max_inflight_messages), which 3.1.1 cannot announce.
    /// </summary>
    public int MaxInflight { get; init; } = 20;

    /// <summary>Publishes queued behind the send window (e.g. while offline); further publishers wait asynchronously.</summary>
    public int MaxPendingPublishes { get; init; } = 1000;

    /// <summary>Capacity of <see cref="MqttClient.Messages"/>; when full, the client stops reading the socket (never drops).</summary>
    public int InboundCapacity { get; init; } = 1000;

    /// <summary>
    /// Manual-ack mode: the payload bytes of delivered, not yet acknowledged messages a connection may hold; at the bound
    /// the client stops reading the socket until acknowledgements make room (null: bounded by message count only).
    /// </summary>
    public long? InboundMaxBytes { get; init; }

    /// <summary>When true, QoS 1 messages are acknowledged by <see cref="MqttClient.AcknowledgeAsync(MqttMessage, CancellationToken)"/>, not on receipt.</summary>
    public bool ManualAck { get; init; }

    /// <summary>Largest packet (fixed header included) sent or accepted; a larger incoming packet closes the connection.</summary>
    public int MaxPacketSize { get; init; } = 1 << 20;

    /// <summary>The clock for keep-alive, timeouts and reconnect delays (monotonic); a test's manual clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad option.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
            throw new ArgumentException("MqttClientOptions.Host is empty; set it to the broker's host name or address.", nameof(Host));
        if (Port is < 1 or > 65535)
            throw new ArgumentException($"MqttClientOptions.Port {Port} is not a TCP port (1-65535).", nameof(Port));
        ArgumentNullException.ThrowIfNull(ClientId);
        // [MQTT-3.1.3-7]: a zero-byte client id requires CleanSession = 1 (the broker assigns a throw-away id).
        if (ClientId.Length == 0 && !CleanSession && ProtocolVersion == MqttProtocolVersion.V311)
            throw new ArgumentException("MqttClientOptions.ClientId is empty but CleanSession is false; a persistent session needs a client id [MQTT-3.1.3-7].", nameof(ClientId));
        if (Encoding.UTF8.GetByteCount(ClientId) > ushort.MaxValue)
            throw new ArgumentException("MqttClientOptions.ClientId is longer than 65535 UTF-8 bytes [MQTT-1.5.3].", nameof(ClientId));
        if (KeepAlive < TimeSpan.Zero || KeepAlive.TotalSeconds > ushort.MaxValue)
            throw new ArgumentException($"MqttClientOptions.KeepAlive {KeepAlive} must be between 0 and 65535 seconds [MQTT-3.1.2.10].", nameof(KeepAlive));
        if (Password is not null && Username is null && ProtocolVersion == MqttProtocolVersion.V311)
            throw new ArgumentException("MqttClientOptions.Password is set without Username; MQTT 3.1.1 forbids that [MQTT-3.1.2-22].", nameof(Password));
        if (ConnectTimeout <= TimeSpan.Zero)
            throw new ArgumentException("MqttClientOptions.ConnectTimeout must be positive.", nameof(ConnectTimeout));
        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
            throw new ArgumentException("MqttClientOptions.ReconnectMinDelay must be positive and not above ReconnectMaxDelay.", nameof(ReconnectMinDelay));
        if (MaxInflight is < 1 or > 65535)
            throw new ArgumentException($"MqttClientOptions.MaxInflight {MaxInflight} must be 1-65535 (packet identifiers are 16-bit).", nameof(MaxInflight));
        if (MaxPendingPublishes < 1)
            throw new ArgumentException("MqttClientOptions.MaxPendingPublishes must be at least 1.", nameof(MaxPendingPublishes));
        if (InboundMaxBytes is < 1)
            throw new ArgumentException("MqttClientOptions.InboundMaxBytes must be at least 1 byte, or null.", nameof(InboundMaxBytes));
        if (InboundCapacity < 1)
            throw new ArgumentException("MqttClientOptions.InboundCapacity must be at least 1.", nameof(InboundCapacity));
        // 5 bytes is the smallest useful bound (a PUBACK is 4); 268,435,455 + 5 is the protocol's limit [MQTT-2.2.3].
        if (MaxPacketSize is < 5 or > 268_435_460)
            throw new ArgumentException($"MqttClientOptions.MaxPacketSize {MaxPacketSize} must be between 5 and 268435460 bytes.", nameof(MaxPacketSize));
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (!Enum.IsDefined(ProtocolVersion))
            throw new ArgumentException($"MqttClientOptions.ProtocolVersion {ProtocolVersion} is not V311 or V500.", nameof(ProtocolVersion));
        if (SessionExpiryInterval is { } expiry && (expiry < TimeSpan.Zero || expiry.TotalSeconds > uint.MaxValue))
            throw new ArgumentException("MqttClientOptions.SessionExpiryInterval must be between 0 and 4294967295 seconds.", nameof(SessionExpiryInterval));
        if (SessionExpiryInterval is not null && ProtocolVersion != MqttProtocolVersion.V500)
            throw new ArgumentException("MqttClientOptions.SessionExpiryInterval needs ProtocolVersion V500; 3.1.1 sessions last until a clean connect.", nameof(SessionExpiryInterval));
        if (TopicAliasMaximum is < 0 or > ushort.MaxValue)
            throw new ArgumentException("MqttClientOptions.TopicAliasMaximum must be 0-65535.", nameof(TopicAliasMaximum));
        Tls?.Validate();
        if (Will is not null)
        {
            Codec.MqttTopic.ValidateTopicName(Will.Topic, "MqttClientOptions.Will.Topic");
            if (!Enum.IsDefined(Will.Qos))
                throw new ArgumentException("MqttClientOptions.Will.Qos is not a QoS level.", nameof(Will));
            if (Will.HasV5Properties && ProtocolVersion != MqttProtocolVersion.V500)
                throw new ArgumentException("MqttClientOptions.Will sets MQTT 5.0 will properties but ProtocolVersion is V311.", nameof(Will));
        }
    }
}
