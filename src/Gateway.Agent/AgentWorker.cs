using Gateway.Agent.Commands;
using Gateway.Agent.Composition;
using Gateway.Agent.Metrics;
using Gateway.Agent.Events;
using Gateway.Agent.Profiles;
using Gateway.Agent.Status;
using Gateway.Agent.Systemd;
using Gateway.Agent.Uplink;
using Gateway.Devices.Counter;
using Gateway.DiskQueue;
using Gateway.Mqtt;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Agent;

/// <summary>
/// The agent's one long-running job: sources → bounded pipeline → journal batcher (line protocol) → journal (disk) →
/// publisher (MQTT QoS 1), plus the retained status messages and the <c>gateway</c> self-metrics. Stopping runs the
/// same path in order, so what the sources produced before the stop is in the journal, and delivered if the broker
/// answers in time; what is not delivered stays in the journal for the next start.
/// </summary>
public sealed partial class AgentWorker : BackgroundService, IAsyncDisposable
{
    /// <summary>How long a stop waits for the backlog to be acknowledged before leaving the rest in the journal.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly GatewayProfile _profile;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly SourceRegistry _registry = new();
    private readonly ReadingPipeline _pipeline;
    private readonly Journal _journal;
    private readonly MqttClient _client;
    private readonly Publisher _publisher;
    private readonly SelfMetrics _metrics;
    private readonly byte[] _birth;
    private readonly IHostApplicationLifetime? _lifetime;
    private CounterCheckpoint? _checkpoint;
    private JournalBatcher? _batcher;
    private JournalEventSink? _events;

    public AgentWorker(GatewayProfile profile, AgentOptions options, TimeProvider time, ILoggerFactory loggers, IHostApplicationLifetime? lifetime = null)
    {
        _lifetime = lifetime;
        _profile = profile;
        _options = options;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<AgentWorker>();
        _pipeline = new ReadingPipeline(new PipelineOptions { Capacity = profile.Pipeline.Capacity, FullMode = profile.Pipeline.FullMode });
        _journal = JournalFactory.Open(profile, options.StateDirectory, time, loggers.CreateLogger("Gateway.Agent.Journal"));
        _journal.DropEpisodeStarted += OnDropEpisode;
        _birth = StatusMessages.Birth(profile.GatewayId, profile.FileName, StatusMessages.ReadBootId(), time.GetUtcNow());
        _client = new MqttClient(new MqttClientOptions
        {
            Host = profile.Broker.Host,
            Port = profile.Broker.Port,
            ClientId = profile.GatewayId,
            KeepAlive = profile.Broker.KeepAlive,
            ReconnectMaxDelay = profile.Broker.ReconnectMaxDelay,
            // Commands need 5.0's response topic and correlation data; TLS pins the fleet CA and presents our certificate.
            ProtocolVersion = profile.Broker.Commands ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311,
            Tls = profile.Broker.Tls?.ToMqtt(),
            Will = new MqttWill(StatusMessages.Topic(profile.GatewayId), StatusMessages.Offline(profile.GatewayId, "connection lost")),
            TimeProvider = time,
        }, loggers.CreateLogger<MqttClient>());
        _client.Connected += OnConnected;
        _publisher = new Publisher(_client, _journal, profile.GatewayId, time, _logger);
        _metrics = new SelfMetrics(_journal, _pipeline, _publisher, _client, time);
        Rates = new SourceRates(loggers.CreateLogger<SourceRates>());
    }

    public ReadingPipeline Pipeline => _pipeline;
    public Journal Journal => _journal;
    public Publisher Publisher => _publisher;
    public MqttClient Client => _client;
    public SelfMetrics Metrics => _metrics;

    /// <summary>
    /// Why the pipeline died while the agent ran (the journal failed, the batcher or the publisher threw), or null. The
    /// host then exits with <see cref="ExitCode"/>, non-zero, and systemd restarts the agent.
    /// </summary>
    public Exception? Failure { get; private set; }

    /// <summary>0 after a requested stop; <see cref="AgentHost.ExitIoError"/> after a storage failure; <see cref="AgentHost.ExitSoftware"/> after any other pipeline failure.</summary>
    public int ExitCode => Failure switch
    {
        null => 0,
        // The checkpoint, the cursor or a segment: any storage failure is the card's (it may fail outside the journal first).
        IOException or UnauthorizedAccessException => AgentHost.ExitIoError,
        _ => AgentHost.ExitSoftware,
    };

    /// <summary>The running sources' rates, which set-rate changes (filled when the sources are composed at start).</summary>
    public SourceRates Rates { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = ClockComposition.Create(_profile, _time, _logger);
        var state = _options.StateDirectory;
        var encoder = new ReadingEncoder(_registry, _profile.GatewayId, clock);
        var events = _events = new JournalEventSink(_journal, encoder, clock, ClockComposition.HoldOptions(_profile), _time,
            _loggers.CreateLogger<JournalEventSink>());
        var sources = SourceFactory.Create(_profile, _time, new DeviceEnvironment(state, events, _loggers),
            name => CounterCheckpoint.ResolveNext(state, name, _journal), Rates).ToList();
        using var chrony = ClockComposition.Chrony(_profile, clock, _time, _logger);
        var pps = GpsComposition.DisciplineClock(sources, clock, chrony);
        using var gpsd = GpsComposition.ServeGpsd(_profile, sources, _logger);
        var gate = ClockComposition.Gate(_pipeline.Reader, clock, _profile, _time);
        var deviceSources = sources.Count;
        sources.AddRange(GpsMetrics.Sources(sources, gpsd, _profile.Journal.MetricsInterval));
        sources.Add(new GatewayMetricsSource(_metrics.Sample, _profile.Journal.MetricsInterval));
        sources.Add(new ClockMetrics(clock, gate, pps, chrony, _time).Source(_profile.Journal.MetricsInterval));
        var contexts = sources.Select(s => new SourceContext(_registry.Register(s.Name, s.Schema).Id, _pipeline, _time,
            _loggers.CreateLogger($"Gateway.Agent.Source.{s.Name}"))).ToList();
        _checkpoint = new CounterCheckpoint(state, sources.Select((s, i) => (s, i)).Where(x => x.s is CounterSource)
            .Select(x => (contexts[x.i].Id, x.s.Name, ((CounterSource)x.s).NextSeq)).ToList());
        _batcher = new JournalBatcher(gate, encoder, _journal,
            new BatcherOptions { MaxReadings = _profile.Pipeline.BatchMaxReadings, MaxDelay = _profile.Pipeline.BatchMaxDelay }, _time, _checkpoint);

        LogStarting(_logger, _profile.GatewayId, _profile.FileName, _profile.Broker.Host, _profile.Broker.Port, deviceSources,
            _journal.UnacknowledgedRecords, _journal.Bytes);
        RecordStartEvents(state, events);
        _client.Start();

        using var stopSources = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var stopPublisher = new CancellationTokenSource();
        var sourceTasks = sources.Select((s, i) => SourceSupervisor.RunAsync(s, contexts[i], _time, _logger, stopSources.Token)).ToList();
        sourceTasks.Add(ClockComposition.TrustSystemClockAsync(clock, _profile, _time, _logger, stopSources.Token));
        if (gpsd is not null) sourceTasks.Add(gpsd.RunAsync(stopSources.Token));
        var batcherTask = _batcher.RunAsync(CancellationToken.None);
        var publisherTask = _publisher.RunAsync(stopPublisher.Token);
        using var systemd = SystemdLifecycle.Start(_time, () => !batcherTask.IsCompleted && !publisherTask.IsCompleted, _logger, $"gateway {_profile.GatewayId} running",
            () => new UplinkSnapshot(_client.IsConnected, (int)Math.Min(int.MaxValue, _journal.UnacknowledgedRecords), _journal.Bytes,
                _publisher.PublishedBatches, _pipeline.Statistics.Dropped + _journal.Statistics.DroppedItems, clock.Source.Name(), gate.Held,
                ClockComposition.SystemClockOffsetSeconds(clock, _time), chrony?.Failed));

        Failure = await WaitForStopOrFailureAsync(batcherTask, publisherTask, stoppingToken).ConfigureAwait(false);
        if (Failure is not null)
        {
            LogPipelineFailed(_logger, Failure.Message, ExitCode, Failure);
            _lifetime?.StopApplication();
        }

        systemd.Stopping();
        // Stop in data-flow order: sources, then the pipeline drains into the journal, then the publisher gets a
        // bounded time to have the rest acknowledged; the rest stays in the journal.
        await stopSources.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(sourceTasks).ConfigureAwait(false);
        _pipeline.Complete();
        await ObserveAsync(batcherTask).ConfigureAwait(false);
        events.Complete();
        _publisher.Complete();
        stopPublisher.CancelAfter(DrainTimeout);
        await ObserveAsync(publisherTask).ConfigureAwait(false);
        if (Failure is not null)
        {
            // The running marker stays: the next start reports an unclean restart. Nothing more goes to the journal.
            await SayOfflineAsync().ConfigureAwait(false);
            return;
        }
        _journal.Flush();
        await SayOfflineAsync().ConfigureAwait(false);
        File.Delete(RunningMarker(state));
        LogStopped(_logger, _pipeline.Statistics.Accepted, _publisher.PublishedReadings,
            _pipeline.Statistics.Dropped + _journal.Statistics.DroppedItems, _journal.UnacknowledgedRecords);
    }

    /// <summary>
    /// Waits for the stop request, or for a pipeline loop to end by itself (it only ends early by failing) or the
    /// journal to fail: a dead loop must not leave a healthy-looking agent that journals nothing (issue 12 item 10).
    /// The agent exits rather than restarting the loop in-process: a journal that cannot write is a card that is
    /// read-only or failing, which no in-process retry cures, and a process restart re-runs the journal's recovery,
    /// reports the unclean restart as an event and, if the card stays read-only, stops at start-up with exit 73 and
    /// one line saying what to check, at systemd's RestartSec pace.
    /// </summary>
    private async Task<Exception?> WaitForStopOrFailureAsync(Task batcherTask, Task publisherTask, CancellationToken stoppingToken)
    {
        var stop = Task.Delay(Timeout.Infinite, stoppingToken);
        var first = await Task.WhenAny(stop, batcherTask, publisherTask, _journal.Failed).ConfigureAwait(false);
        if (first == stop) return null;
        if (_journal.Failed.IsCompleted) return _journal.Failed.Result;
        return first.Exception?.GetBaseException()
            ?? new InvalidOperationException($"The {(first == batcherTask ? "journal batcher" : "publisher")} stopped by itself.");
    }

    /// <summary>Awaits a loop at stop; its failure, if any, is already in <see cref="Failure"/> or is logged here.</summary>
    private async Task ObserveAsync(Task loop)
    {
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (Exception ex) when (Failure is not null || ex is IOException)
        {
            Failure ??= ex;
        }
    }

    /// <summary>
    /// A marker that exists while the agent runs: finding it at start means the last run ended without a clean stop.
    /// That, and corruption the journal repaired, become events that the quota keeps.
    /// </summary>
    private void RecordStartEvents(string state, JournalEventSink events)
    {
        var marker = RunningMarker(state);
        // Monotonic: the clock discipline converts it (and flags it unsynced if no sync comes), like a reading's time.
        var now = _time.GetTimestamp();
        if (File.Exists(marker)) events.TryPublish(AgentEvents.Unclean(_journal.UnacknowledgedRecords, now));
        var corrupt = _journal.Statistics.CorruptRecords;
        if (corrupt > 0) events.TryPublish(AgentEvents.CorruptRecords(corrupt, now));
        // The marker's content is only for a human reading the state directory; its existence is what counts.
        File.WriteAllText(marker, _time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string RunningMarker(string state) => Path.Combine(state, "agent.running");

    private void OnDropEpisode(long droppedSoFar)
    {
        LogJournalFull(_logger, _profile.Journal.QuotaBytes, droppedSoFar);
        // Drops happen on appends, which start after the event sink exists (ExecuteAsync).
        _events?.TryPublish(AgentEvents.QuotaDrops(droppedSoFar, _time.GetTimestamp()));
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

    /// <summary>
    /// How the host disposes the worker: its service provider prefers <see cref="IAsyncDisposable"/>, so the MQTT
    /// client's close (a socket shutdown) is awaited, not blocked on.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        _batcher?.Dispose();
        _events?.Dispose();
        _checkpoint?.Dispose();
        _journal.Dispose();
        base.Dispose();
    }

    /// <summary>Only for a caller that cannot await (BackgroundService's contract); the host and the tests use <see cref="DisposeAsync"/>.</summary>
    public override void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Gateway {GatewayId} starting with profile {Profile}: broker {Host}:{Port}, {Sources} sources, {Backlog} batches ({Bytes} bytes) waiting in the journal")]
    private static partial void LogStarting(ILogger logger, string gatewayId, string profile, string host, int port, int sources, long backlog, long bytes);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Online at {Host}:{Port}; birth published")]
    private static partial void LogOnline(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Could not publish the birth message: {Reason}; it is published again on the next connection")]
    private static partial void LogBirthFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Could not publish 'offline' at stop: {Reason}; the broker's will says it instead if the connection drops")]
    private static partial void LogOfflineFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "The journal reached its quota of {QuotaBytes} bytes (or the disk's free-space floor) while the broker is unreachable; dropping the oldest telemetry, keeping events ({Dropped} readings dropped so far)")]
    private static partial void LogJournalFull(ILogger logger, long quotaBytes, long dropped);

    [LoggerMessage(EventId = 106, Level = LogLevel.Critical, Message = "The journal pipeline stopped: {Reason}. Exiting with code {ExitCode} so that systemd restarts the agent; if it recurs, check dmesg and the SD card")]
    private static partial void LogPipelineFailed(ILogger logger, string reason, int exitCode, Exception exception);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Stopped: {Accepted} readings accepted, {Published} published and acknowledged, {Dropped} dropped, {Left} batches left in the journal for the next start")]
    private static partial void LogStopped(ILogger logger, long accepted, long published, long dropped, long left);
}
