using System.Buffers;
using Gateway.Ingest.Payloads;
using Gateway.Ingest.Store;
using Gateway.Ingest.Topics;
using Gateway.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Ingest;

/// <summary>
/// MQTT → InfluxDB. Each telemetry message is decoded, stamped with the gateway id from its topic, written, and only
/// then acknowledged (manual PUBACK), so a message whose points are not in the store stays with the broker: while the
/// store is down the ingest retries and the broker holds the backlog in the ingest's persistent session.
/// Bad input (foreign topics, garbage payloads, malformed lines) is counted, logged once per kind, and acknowledged:
/// it can never become good by waiting, and holding it would block the good data behind it.
/// </summary>
public sealed partial class IngestWorker : BackgroundService
{
    private static readonly TimeSpan MinRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly IngestOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MqttClient _client;
    private readonly InfluxV1Writer _store;
    private readonly OncePerKind _logged = new();
    private readonly ArrayBufferWriter<byte> _lines = new(64 * 1024);
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IngestWorker(IngestOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger<IngestWorker>();
        _store = new InfluxV1Writer(options.InfluxUrl, options.Database);
        _client = new MqttClient(new MqttClientOptions
        {
            Host = options.BrokerHost,
            Port = options.BrokerPort,
            ClientId = options.ClientId,
            // A persistent session: while the ingest is down or the store is down, the broker keeps our messages.
            CleanSession = false,
            ManualAck = true,
            TimeProvider = time,
        }, loggers.CreateLogger<MqttClient>());
        _client.Connected += (_, e) => LogConnected(_logger, options.BrokerHost, options.BrokerPort, e.SessionPresent);
    }

    public IngestStatistics Statistics { get; } = new();
    public MqttClient Client => _client;

    /// <summary>Completes once the broker confirmed the fleet subscription: from then on the broker keeps our messages.</summary>
    public Task Subscribed => _subscribed.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(_logger, _options.BrokerHost, _options.BrokerPort, _options.InfluxUrl, _options.Database);
        _client.Start();
        // Subscribing is remembered by the client and repeated after a reconnect when the session was lost.
        await _client.SubscribeAsync(FleetTopic.TelemetryFilter, MqttQos.AtLeastOnce, stoppingToken).ConfigureAwait(false);
        _subscribed.TrySetResult();
        try
        {
            await foreach (var message in _client.Messages.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await HandleAsync(message, stoppingToken).ConfigureAwait(false);
                await _client.AcknowledgeAsync(message, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _client.DisconnectAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException or IOException)
        {
        }
        LogStopped(_logger, Statistics.ToString());
    }

    private async Task HandleAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        Statistics.Message();
        if (!FleetTopic.TryGetTelemetryGateway(message.Topic, out var gatewayId))
        {
            Statistics.ForeignTopic();
            if (_logged.First("topic")) LogForeignTopic(_logger, message.Topic);
            return;
        }
        _lines.ResetWrittenCount();
        DecodedPayload decoded;
        try
        {
            decoded = PayloadDecoder.Decode(message.Payload, gatewayId, _lines);
        }
        catch (InvalidDataException ex)
        {
            Statistics.Undecodable();
            if (_logged.First($"undecodable/{gatewayId}")) LogUndecodable(_logger, gatewayId, ex.Message);
            return;
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
        if (decoded.Points > 0)
            await WriteAsync(_lines.WrittenMemory, decoded.Points, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes until the store has the lines or rejects them for good; retries everything else with backoff.</summary>
    private async Task WriteAsync(ReadOnlyMemory<byte> lines, int points, CancellationToken cancellationToken)
    {
        var backoff = MinRetry;
        var failing = false;
        while (true)
        {
            var result = await _store.WriteAsync(lines, cancellationToken).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case StoreWriteOutcome.Written:
                    Statistics.Written(points);
                    if (failing) LogStoreBack(_logger, _options.InfluxUrl);
                    _logged.Clear("store");
                    return;
                case StoreWriteOutcome.Permanent:
                    Statistics.Rejected(points);
                    if (_logged.First($"rejected/{result.Message}")) LogRejected(_logger, points, result.Message ?? "");
                    return;
                case StoreWriteOutcome.TooLarge when SplitAtLine(lines) is var (first, second) && first.Length > 0:
                    await WriteAsync(first, CountLines(first.Span), cancellationToken).ConfigureAwait(false);
                    await WriteAsync(second, CountLines(second.Span), cancellationToken).ConfigureAwait(false);
                    return;
                default:
                    failing = true;
                    Statistics.Retry();
                    var delay = result.RetryAfter is { } ra && ra > TimeSpan.Zero ? ra : backoff;
                    if (_logged.First("store")) LogStoreFailing(_logger, result.Message ?? result.Outcome.ToString(), delay.TotalSeconds);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxRetry.Ticks));
                    break;
            }
        }
    }

    private static (ReadOnlyMemory<byte>, ReadOnlyMemory<byte>) SplitAtLine(ReadOnlyMemory<byte> lines)
    {
        var middle = lines.Length / 2;
        var cut = lines.Span[middle..].IndexOf((byte)'\n');
        if (cut < 0) return (ReadOnlyMemory<byte>.Empty, lines);
        var at = middle + cut + 1;
        return at >= lines.Length ? (ReadOnlyMemory<byte>.Empty, lines) : (lines[..at], lines[at..]);
    }

    private static int CountLines(ReadOnlySpan<byte> lines) => lines.Count((byte)'\n');

    public override void Dispose()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Ingest starting: broker {Host}:{Port} -> InfluxDB {Url} database {Database}")]
    private static partial void LogStarting(ILogger logger, string host, int port, Uri url, string database);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Connected to {Host}:{Port} (session present: {SessionPresent})")]
    private static partial void LogConnected(ILogger logger, string host, int port, bool sessionPresent);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Ignoring a message on '{Topic}': not a fleet/{{gateway}}/telemetry topic with a valid gateway id (counted; logged once)")]
    private static partial void LogForeignTopic(ILogger logger, string topic);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Gateway {Gateway} sent a payload that cannot be decoded: {Reason} (counted; logged once per gateway)")]
    private static partial void LogUndecodable(ILogger logger, string gateway, string reason);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "Gateway {Gateway} sent {Lines} malformed line-protocol lines, dropped; first: {Error} (counted; logged once per gateway)")]
    private static partial void LogMalformed(ILogger logger, string gateway, int lines, string error);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "Gateway {Gateway} sent {Lines} points without a timestamp, dropped: a store-assigned time would turn re-sends into duplicates (counted; logged once per gateway)")]
    private static partial void LogNoTimestamp(ILogger logger, string gateway, int lines);

    [LoggerMessage(EventId = 506, Level = LogLevel.Error, Message = "The store rejected {Points} points for good: {Reason} (counted; logged once per reason)")]
    private static partial void LogRejected(ILogger logger, int points, string reason);

    [LoggerMessage(EventId = 507, Level = LogLevel.Error, Message = "Cannot write to the store: {Reason}; holding the message (the broker keeps the backlog) and retrying in {Seconds} s")]
    private static partial void LogStoreFailing(ILogger logger, string reason, double seconds);

    [LoggerMessage(EventId = 508, Level = LogLevel.Information, Message = "The store at {Url} accepts writes again")]
    private static partial void LogStoreBack(ILogger logger, Uri url);

    [LoggerMessage(EventId = 509, Level = LogLevel.Information, Message = "Ingest stopped: {Statistics}")]
    private static partial void LogStopped(ILogger logger, string statistics);
}
