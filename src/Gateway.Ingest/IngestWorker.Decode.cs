using Gateway.Ingest.Batching;
using Gateway.Ingest.Payloads;
using Gateway.Ingest.Topics;
using Gateway.Mqtt;
using Microsoft.Extensions.Logging;

namespace Gateway.Ingest;

// Decoding one message into the current batch, with the counters and once-per-kind logs for bad input.
public sealed partial class IngestWorker
{
    private void Add(WriteBatch batch, MqttMessage message)
    {
        Statistics.Message();
        batch.Add(message, Decode(message, batch), _time.GetTimestamp());
    }

    /// <summary>Appends the message's good lines to the batch; returns how many.</summary>
    private int Decode(MqttMessage message, WriteBatch batch)
    {
        if (!FleetTopic.TryParse(message.Topic, out var gatewayId, out var kind) || kind == FleetTopicKind.Status)
        {
            Statistics.ForeignTopic();
            if (_logged.First("topic")) LogForeignTopic(_logger, message.Topic);
            return 0;
        }
        if (message.OversizedBytes > 0)
        {
            // Skipped unread by the client; acknowledged with its batch, so the session gets past it.
            Statistics.Oversized();
            if (_logged.First($"oversized/{gatewayId}")) LogOversized(_logger, gatewayId, message.OversizedBytes, MaxPacketSize);
            return 0;
        }
        DecodedPayload decoded;
        try
        {
            decoded = PayloadDecoder.Decode(message.Payload, gatewayId, _config.Ingest.Window(_time.GetUtcNow()), batch.Output, _tags);
        }
        catch (InvalidDataException ex)
        {
            Statistics.Undecodable();
            if (_logged.First($"undecodable/{gatewayId}")) LogUndecodable(_logger, gatewayId, ex.Message);
            return 0;
        }
        if (decoded.MalformedLines > 0)
        {
            Statistics.Malformed(decoded.MalformedLines);
            if (_logged.First($"malformed/{gatewayId}")) LogMalformed(_logger, gatewayId, decoded.MalformedLines, decoded.FirstError ?? "");
        }
        if (decoded.MissingTimestamp > 0)
        {
            Statistics.NoTimestamp(decoded.MissingTimestamp);
            if (_logged.First($"timestamp/{gatewayId}")) LogNoTimestamp(_logger, gatewayId, decoded.MissingTimestamp);
        }
        if (decoded.OutsideTimeWindow > 0)
        {
            Statistics.OutsideWindow(decoded.OutsideTimeWindow);
            if (_logged.First($"window/{gatewayId}")) LogOutsideWindow(_logger, gatewayId, decoded.OutsideTimeWindow, _config.Ingest.MaxPast.TotalDays, _config.Ingest.MaxFuture.TotalSeconds);
        }
        if (decoded.RefusedTags > 0)
        {
            Statistics.RefusedTags(decoded.RefusedTags);
            if (_logged.First($"tags/{gatewayId}")) LogRefusedTags(_logger, gatewayId, decoded.RefusedTags, _config.Ingest.MaxTagsPerGateway, _config.Ingest.NewTagsPerMinute);
        }
        if (decoded.ShadowingFields > 0)
        {
            Statistics.Shadowing(decoded.ShadowingFields);
            if (_logged.First($"shadowing/{gatewayId}")) LogShadowing(_logger, gatewayId, decoded.ShadowingFields);
        }
        return decoded.Points;
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Ingest starting: broker {Host}:{Port} (shared subscription group '{Group}') -> {Store}, batches of up to {Lines} lines or {DelayMs} ms")]
    private static partial void LogStarting(ILogger logger, string host, int port, string group, string store, int lines, double delayMs);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Connected to {Host}:{Port} as '{ClientId}' (session present: {SessionPresent})")]
    private static partial void LogConnected(ILogger logger, string host, int port, string clientId, bool sessionPresent);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Ignoring a message on '{Topic}': not a fleet/{{gateway}}/telemetry or /events topic with a valid gateway id (counted; logged once)")]
    private static partial void LogForeignTopic(ILogger logger, string topic);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Gateway {Gateway} sent a payload that cannot be decoded: {Reason} (counted; logged once per gateway)")]
    private static partial void LogUndecodable(ILogger logger, string gateway, string reason);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "Gateway {Gateway} sent {Lines} malformed line-protocol lines, dropped; first: {Error} (counted; logged once per gateway)")]
    private static partial void LogMalformed(ILogger logger, string gateway, int lines, string error);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "Gateway {Gateway} sent {Lines} points without a timestamp, dropped: a store-assigned time would turn re-sends into duplicates (counted; logged once per gateway)")]
    private static partial void LogNoTimestamp(ILogger logger, string gateway, int lines);

    [LoggerMessage(EventId = 506, Level = LogLevel.Warning, Message = "Gateway {Gateway} sent {Points} points stamped outside the plausible time window ({PastDays} days back to {FutureSeconds} s ahead, ingest.plausibleTime), dropped: check its clock, or a producer sending seconds or nanoseconds instead of milliseconds (counted; logged once per gateway)")]
    private static partial void LogOutsideWindow(ILogger logger, string gateway, int points, double pastDays, double futureSeconds);

    [LoggerMessage(EventId = 507, Level = LogLevel.Warning, Message = "Gateway {Gateway} sent {Points} points with a field named gateway, sensor or tag, refused: such a field would shadow the tag of that name in every query (counted; logged once per gateway)")]
    private static partial void LogShadowing(ILogger logger, string gateway, int points);

    [LoggerMessage(EventId = 510, Level = LogLevel.Error, Message = "Writing a batch of {Messages} messages ({Lines} lines) failed unexpectedly; writing its messages one by one, dropping (and counting) any that fail again")]
    private static partial void LogBatchFailed(ILogger logger, int messages, int lines, Exception exception);

    [LoggerMessage(EventId = 511, Level = LogLevel.Error, Message = "A message on '{Topic}' ({Lines} lines) cannot be written ({Reason}); dropped and acknowledged so that the fleet's later data is not held behind it (counted in ingest_failed_points_total; logged once per topic)")]
    private static partial void LogMessageDropped(ILogger logger, string topic, int lines, string reason);

    [LoggerMessage(EventId = 512, Level = LogLevel.Critical, Message = "Acknowledging a batch of {Messages} messages failed unexpectedly; they stay with the broker until the next reconnect")]
    private static partial void LogAckFailed(ILogger logger, int messages, Exception exception);

    [LoggerMessage(EventId = 513, Level = LogLevel.Error, Message = "Gateway {Gateway} sent a message of {Bytes} bytes, above the fleet's limit ({Limit} bytes with headers): skipped unread, counted and acknowledged so that it cannot hold the fleet's data behind it; lower the sender's batch size, and set the broker's message_size_limit (logged once per gateway)")]
    private static partial void LogOversized(ILogger logger, string gateway, long bytes, int limit);

    [LoggerMessage(EventId = 514, Level = LogLevel.Warning, Message = "Gateway {Gateway} reports more asset tags than its quota ({Max} at a time, {PerMinute} new a minute; ingest.assetTags): {Points} tag points refused, counted per gateway in ingest_refused_asset_tags_by_gateway_total (logged once per gateway)")]
    private static partial void LogRefusedTags(ILogger logger, string gateway, int points, int max, int perMinute);

    [LoggerMessage(EventId = 509, Level = LogLevel.Information, Message = "Ingest stopped: {Statistics}")]
    private static partial void LogStopped(ILogger logger, string statistics);
}
