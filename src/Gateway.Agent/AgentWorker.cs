using Gateway.Agent.Composition;
using Gateway.Agent.Profiles;
using Gateway.Agent.Status;
using Gateway.Agent.Systemd;
using Gateway.Agent.Uplink;
using Gateway.Mqtt;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Agent;

/// <summary>
/// The agent's one long-running job: sources → bounded pipeline → batcher (line protocol) → batch buffer → publisher
/// (MQTT QoS 1), plus the retained status messages. Stopping runs the same path in order so that what the sources
/// produced before the stop is flushed and, while the broker answers, delivered.
/// </summary>
public sealed partial class AgentWorker : BackgroundService
{
    /// <summary>How long a stop waits for the backlog to be acknowledged before giving up (systemd's stop timeout is longer).</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly GatewayProfile _profile;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly SourceRegistry _registry = new();
    private readonly ReadingPipeline _pipeline;
    private readonly BatchBuffer _buffer;
    private readonly MqttClient _client;
    private readonly Publisher _publisher;
    private readonly byte[] _birth;

    public AgentWorker(GatewayProfile profile, TimeProvider time, ILoggerFactory loggers)
    {
        _profile = profile;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<AgentWorker>();
        _pipeline = new ReadingPipeline(new PipelineOptions { Capacity = profile.Pipeline.Capacity, FullMode = profile.Pipeline.FullMode });
        _buffer = new BatchBuffer(profile.Pipeline.BufferMaxBytes);
        _buffer.DropEpisodeStarted += total => LogBufferFull(_logger, profile.Pipeline.BufferMaxBytes, total);
        _birth = StatusMessages.Birth(profile.GatewayId, profile.FileName, StatusMessages.ReadBootId(), time.GetUtcNow());
        _client = new MqttClient(new MqttClientOptions
        {
            Host = profile.Broker.Host,
            Port = profile.Broker.Port,
            ClientId = profile.GatewayId,
            KeepAlive = profile.Broker.KeepAlive,
            ReconnectMaxDelay = profile.Broker.ReconnectMaxDelay,
            Will = new MqttWill(StatusMessages.Topic(profile.GatewayId), StatusMessages.Offline(profile.GatewayId, "connection lost")),
            TimeProvider = time,
        }, loggers.CreateLogger<MqttClient>());
        _client.Connected += OnConnected;
        _publisher = new Publisher(_client, _buffer, profile.GatewayId, _logger);
    }

    public ReadingPipeline Pipeline => _pipeline;
    public BatchBuffer Buffer => _buffer;
    public Publisher Publisher => _publisher;
    public MqttClient Client => _client;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = ClockComposition.Create(_profile, _time, _logger);
        var sources = SourceFactory.Create(_profile, _time);
        GpsComposition.DisciplineClock(sources, clock);
        var encoder = new ReadingEncoder(_registry, _profile.GatewayId, clock);
        var contexts = sources.Select(s => new SourceContext(_registry.Register(s.Name, s.Schema).Id, _pipeline, _time,
            _loggers.CreateLogger($"Gateway.Agent.Source.{s.Name}"))).ToList();
        var batcher = new Batcher(ClockComposition.Gate(_pipeline.Reader, clock, _profile, _time), encoder,
            new BatcherOptions { MaxReadings = _profile.Pipeline.BatchMaxReadings, MaxDelay = _profile.Pipeline.BatchMaxDelay }, _time);

        LogStarting(_logger, _profile.GatewayId, _profile.FileName, _profile.Broker.Host, _profile.Broker.Port, sources.Count);
        _client.Start();

        using var stopSources = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var stopPublisher = new CancellationTokenSource();
        var sourceTasks = sources.Select((s, i) => SourceSupervisor.RunAsync(s, contexts[i], _time, _logger, stopSources.Token)).ToList();
        sourceTasks.Add(ClockComposition.TrustSystemClockAsync(clock, _profile, _time, _logger, stopSources.Token));
        var batcherTask = batcher.RunAsync((batch, _) =>
        {
            _buffer.Add(batch);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);
        var publisherTask = _publisher.RunAsync(stopPublisher.Token);
        using var systemd = SystemdLifecycle.Start(_time, () => !batcherTask.IsCompleted && !publisherTask.IsCompleted, _logger, $"gateway {_profile.GatewayId} running",
            () => new UplinkSnapshot(_client.IsConnected, _buffer.Count, _buffer.Bytes, _publisher.PublishedBatches, _pipeline.Statistics.Dropped + _buffer.DroppedReadings));

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        systemd.Stopping();
        // Stop in data-flow order: sources, then the pipeline drains into the batcher, which flushes its last batch,
        // then the publisher gets a bounded time to have the rest acknowledged.
        await stopSources.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(sourceTasks).ConfigureAwait(false);
        _pipeline.Complete();
        await batcherTask.ConfigureAwait(false);
        _buffer.Complete();
        stopPublisher.CancelAfter(DrainTimeout);
        await publisherTask.ConfigureAwait(false);
        await SayOfflineAsync().ConfigureAwait(false);
        LogStopped(_logger, _pipeline.Statistics.Accepted, _publisher.PublishedReadings, _pipeline.Statistics.Dropped + _buffer.DroppedReadings);
    }

    private void OnConnected(object? sender, MqttConnectedEventArgs e)
    {
        // The birth overwrites the retained "offline" that the broker published as our will if we vanished before.
        _ = PublishBirthAsync();
    }

    private async Task PublishBirthAsync()
    {
        try
        {
            await _client.PublishAsync(StatusMessages.Topic(_profile.GatewayId), _birth, MqttQos.AtLeastOnce, retain: true).ConfigureAwait(false);
            LogOnline(_logger, _profile.Broker.Host, _profile.Broker.Port);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException or ObjectDisposedException)
        {
            LogBirthFailed(_logger, ex.Message);
        }
    }

    private async Task SayOfflineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            if (_client.IsConnected)
                await _client.PublishAsync(StatusMessages.Topic(_profile.GatewayId), StatusMessages.Offline(_profile.GatewayId, "stopped"),
                    MqttQos.AtLeastOnce, retain: true, timeout.Token).ConfigureAwait(false);
            await _client.DisconnectAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException or IOException)
        {
            LogOfflineFailed(_logger, ex.Message);
        }
    }

    public override void Dispose()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _buffer.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Gateway {GatewayId} starting with profile {Profile}: broker {Host}:{Port}, {Sources} sources")]
    private static partial void LogStarting(ILogger logger, string gatewayId, string profile, string host, int port, int sources);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Online at {Host}:{Port}; birth published")]
    private static partial void LogOnline(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Could not publish the birth message: {Reason}; it is published again on the next connection")]
    private static partial void LogBirthFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Could not publish 'offline' at stop: {Reason}; the broker's will says it instead if the connection drops")]
    private static partial void LogOfflineFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "The in-memory buffer reached its limit of {MaxBytes} bytes while the broker is unreachable; dropping the oldest batches ({Dropped} readings dropped so far)")]
    private static partial void LogBufferFull(ILogger logger, long maxBytes, long dropped);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Stopped: {Accepted} readings accepted, {Published} published and acknowledged, {Dropped} dropped")]
    private static partial void LogStopped(ILogger logger, long accepted, long published, long dropped);
}
