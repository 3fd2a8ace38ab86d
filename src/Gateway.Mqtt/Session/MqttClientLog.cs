using Microsoft.Extensions.Logging;

namespace Gateway.Mqtt.Session;

/// <summary>Source-generated log messages of <see cref="MqttClient"/>; event ids 1-99 belong to this client.</summary>
internal static partial class MqttClientLog
{
    [LoggerMessage(1, LogLevel.Information, "MQTT connected to {Endpoint} as '{ClientId}' (session present: {SessionPresent})")]
    public static partial void Connected(ILogger logger, string endpoint, string clientId, bool sessionPresent);

    // One line per attempt at warn, the stack trace at debug: a broker away for a day must not fill the SD card's log
    // with a multi-KB trace every ReconnectMaxDelay (issue 12 item 14).
    [LoggerMessage(2, LogLevel.Warning, "MQTT connection to {Endpoint} failed (attempt {Attempt}): {Reason}; retrying in {Delay}")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(12, LogLevel.Debug, "MQTT connection attempt {Attempt} to {Endpoint} failed")]
    public static partial void ConnectFailedTrace(ILogger logger, Exception error, int attempt, string endpoint);

    [LoggerMessage(3, LogLevel.Warning, "MQTT connection to {Endpoint} lost")]
    public static partial void ConnectionLost(ILogger logger, Exception? error, string endpoint);

    [LoggerMessage(4, LogLevel.Information, "MQTT disconnected from {Endpoint}")]
    public static partial void Disconnected(ILogger logger, string endpoint);

    [LoggerMessage(5, LogLevel.Warning, "MQTT re-subscription to '{TopicFilter}' failed after reconnecting")]
    public static partial void ResubscribeFailed(ILogger logger, Exception? error, string topicFilter);

    [LoggerMessage(6, LogLevel.Debug, "MQTT PUBACK for unknown packet id {PacketId} ignored (a duplicate after a re-send)")]
    public static partial void UnknownPubAck(ILogger logger, ushort packetId);

    [LoggerMessage(7, LogLevel.Error, "MQTT {EventName} event handler threw; the client carries on")]
    public static partial void HandlerFailed(ILogger logger, Exception error, string eventName);

    [LoggerMessage(8, LogLevel.Error, "MQTT protocol error from {Endpoint}; closing the connection")]
    public static partial void ProtocolError(ILogger logger, Exception error, string endpoint);

    [LoggerMessage(9, LogLevel.Warning, "MQTT no PINGRESP from {Endpoint} within {Timeout}; the connection is considered dead")]
    public static partial void KeepAliveTimeout(ILogger logger, string endpoint, TimeSpan timeout);

    [LoggerMessage(10, LogLevel.Debug, "MQTT re-sending {Count} unacknowledged PUBLISH packets to {Endpoint} (DUP={Duplicate})")]
    public static partial void Resending(ILogger logger, int count, string endpoint, bool duplicate);

    [LoggerMessage(11, LogLevel.Warning, "MQTT broker {Endpoint} sent DISCONNECT: {Reason} {ReasonString}")]
    public static partial void ServerDisconnect(ILogger logger, string endpoint, string reason, string? reasonString);

    [LoggerMessage(40, LogLevel.Warning, "MQTT broker {Endpoint} sent a PUBLISH on '{Topic}' of {Size} bytes, above MaxPacketSize {MaxPacketSize}: its payload was skipped unread and the message is delivered empty (MqttMessage.OversizedBytes)")]
    public static partial void OversizedPublish(ILogger logger, string endpoint, string topic, long size, int maxPacketSize);
}
