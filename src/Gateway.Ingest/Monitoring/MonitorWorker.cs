using Gateway.Ingest.Alerts;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.History;
using Gateway.Ingest.Payloads;
using Gateway.Ingest.Store;
using Gateway.Ingest.Topics;
using Gateway.Mqtt;
using Gateway.Telemetry.LineProtocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Ingest.Monitoring;

/// <summary>
/// The monitor: sees every message of the fleet (its own, non-shared subscription, so it sees all of what the ingest
/// instances split among themselves), keeps <see cref="FleetState"/>, evaluates alerts every second and saves its
/// state every few seconds and at stop. Run it on exactly one instance: alerts are evaluated once per fleet.
/// Its session is clean and acknowledged on receipt: it is a live view, and the store, not the monitor, keeps data.
/// </summary>
public sealed partial class MonitorWorker : BackgroundService, IAsyncDisposable
{
    private static readonly TimeSpan EvaluateEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(10);

    private readonly CentralConfig _config;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MqttClient _client;
    private readonly StoreWriter _alertStore;
    private readonly HistoryClient? _history;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly OncePerKind _logged = new();

    public MonitorWorker(CentralConfig config, FleetState fleet, AlertEngine alerts, TimeProvider time, ILoggerFactory loggers, HistoryClient? history = null)
    {
        _config = config;
        _time = time;
        Fleet = fleet;
        Alerts = alerts;
        _history = history;
        _logger = loggers.CreateLogger<MonitorWorker>();
        _client = new MqttClient(new MqttClientOptions
        {
            Host = config.Broker.Host,
            Port = config.Broker.Port,
            ClientId = $"{config.Broker.ClientId}-monitor",
            Username = config.Broker.Username,
            Password = config.Broker.Password,
            // Mutual TLS with the ingest certificate (broker.tls); its CN is the user the broker ACL grants the fleet to.
            Tls = config.Broker.Tls?.ToMqtt(),
            KeepAlive = config.Broker.KeepAlive,
            CleanSession = true,
            InboundCapacity = 4096,
            MaxPacketSize = IngestWorker.MaxPacketSize,
            TimeProvider = time,
        }, loggers.CreateLogger<MqttClient>());
        BrokerRefusals = new BrokerRefusals(_client, config.Broker.Tls?.CertFile, _logger);
        _alertStore = StoreWriterFactory.Create(config.Store, time);
        Delivery = new AlertDelivery(config.Alerts, _alertStore, _client, time, _logger);
        if (config.Alerts.Enabled) Alerts.Changed += Delivery.Enqueue;
    }

    public FleetState Fleet { get; }
    public AlertEngine Alerts { get; }
    public AlertDelivery Delivery { get; }
    public MqttClient Client => _client;

    /// <summary>The monitor's connection (fleet state, alerts on fleet/alerts) refused for this service's certificate.</summary>
    public BrokerRefusals BrokerRefusals { get; }
    public Task Subscribed => _subscribed.Task;

    private string FleetFile => Path.Combine(_config.StateDirectory, "fleet-state.json");
    private string AlertsFile => Path.Combine(_config.StateDirectory, "alerts.json");

    /// <summary>The operators' asset registry edits and retired gateways (saved at each change by the dashboard).</summary>
    public string RegistryFile => Path.Combine(_config.StateDirectory, "registry.json");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Fleet.LoadRegistry(RegistryFile, out var problem) && problem is not null) LogStateUnreadable(_logger, problem);
        if (!Fleet.Load(FleetFile, out problem) && problem is not null) LogStateUnreadable(_logger, problem);
        if (!Alerts.Load(AlertsFile, out problem) && problem is not null) LogStateUnreadable(_logger, problem);
        if (_history is not null) await BackfillAsync(stoppingToken).ConfigureAwait(false);
        _client.Start();
        var ticker = Task.Run(() => TickAsync(stoppingToken), CancellationToken.None);
        try
        {
            foreach (var filter in new[] { FleetTopic.StatusFilter, FleetTopic.TelemetryFilter, FleetTopic.EventsFilter })
                await _client.SubscribeAsync(filter, MqttQos.AtLeastOnce, stoppingToken).ConfigureAwait(false);
            _subscribed.TrySetResult();
            LogMonitoring(_logger, _config.Broker.Host, _config.Broker.Port, _config.Alerts.Enabled);
            var points = new List<LinePoint>();
            await foreach (var message in _client.Messages.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                Handle(message, points);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await ticker.ConfigureAwait(false);
        Save();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _client.DisconnectAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException or IOException)
        {
        }
    }

    private void Handle(MqttMessage message, List<LinePoint> points)
    {
        // A message above the fleet's size limit arrives empty (skipped unread); the ingest counts it.
        if (!FleetTopic.TryParse(message.Topic, out var gatewayId, out var kind) || message.OversizedBytes > 0) return;
        if (kind == FleetTopicKind.Status)
        {
            Fleet.ApplyStatus(gatewayId, message.Payload.Span);
            return;
        }
        points.Clear();
        try
        {
            var decoded = PayloadDecoder.DecodePoints(message.Payload, gatewayId, _config.Ingest.Window(_time.GetUtcNow()), points);
            Fleet.CountOutsideWindow(decoded.OutsideTimeWindow);
        }
        catch (InvalidDataException)
        {
            return; // counted and logged by the ingest, which sees the same message
        }
        Fleet.ApplyPoints(gatewayId, kind, points);
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        var sinceSave = _time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(EvaluateEvery, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (_config.Alerts.Enabled) Alerts.Evaluate();
            if (_time.GetElapsedTime(sinceSave) >= SaveEvery)
            {
                Save();
                sinceSave = _time.GetTimestamp();
            }
        }
    }

    private void Save()
    {
        try
        {
            Directory.CreateDirectory(_config.StateDirectory);
            Fleet.Save(FleetFile);
            Alerts.Save(AlertsFile);
            _logged.Clear("save");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_logged.First("save")) LogSaveFailed(_logger, _config.StateDirectory, ex.Message);
        }
    }

    /// <summary>Trails for the last hours from the store (InfluxQL), so a restarted dashboard does not start with empty trails.</summary>
    private async Task BackfillAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var trails = await _history!.TrailsAsync(_config.Dashboard.TrailLength, timeout.Token).ConfigureAwait(false);
            Fleet.ImportTrails(trails);
        }
        catch (Exception ex) when (ex is HistoryException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            LogBackfillFailed(_logger, ex.Message);
        }
    }

    /// <summary>
    /// How the host disposes the worker: its service provider prefers <see cref="IAsyncDisposable"/>, so the alert
    /// delivery's drain and the MQTT client's close are awaited, not blocked on.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await Delivery.DisposeAsync().ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
        _alertStore.Dispose();
        base.Dispose();
    }

    /// <summary>Only for a caller that cannot await (BackgroundService's contract); the host and the tests use <see cref="DisposeAsync"/>.</summary>
    public override void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    [LoggerMessage(EventId = 530, Level = LogLevel.Information, Message = "Monitor subscribed to the whole fleet at {Host}:{Port} (alerts: {Alerts})")]
    private static partial void LogMonitoring(ILogger logger, string host, int port, bool alerts);

    [LoggerMessage(EventId = 531, Level = LogLevel.Warning, Message = "{Problem}")]
    private static partial void LogStateUnreadable(ILogger logger, string problem);

    [LoggerMessage(EventId = 532, Level = LogLevel.Error, Message = "Cannot save the monitor's state in {Directory}: {Reason}; gateway status will not survive a restart until this is fixed (logged once)")]
    private static partial void LogSaveFailed(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 533, Level = LogLevel.Warning, Message = "Could not load recent trails from the store: {Reason}; trails start empty")]
    private static partial void LogBackfillFailed(ILogger logger, string reason);
}
