using System.Collections.Concurrent;
using Gateway.Ingest.Batching;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.Payloads;
using Gateway.Ingest.Store;
using Gateway.Ingest.Topics;
using Gateway.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Ingest;

/// <summary>
/// MQTT → store. Subscribes to the fleet's telemetry and events through a shared subscription (instances of the same
/// group split the messages), decodes each message, stamps the gateway id from its topic, and gathers lines from many
/// messages into batches (up to <c>batchMaxLines</c> or <c>batchMaxDelayMs</c>). A batch's messages are acknowledged
/// (manual PUBACK, in receipt order [MQTT-4.6.0-2]) only after <see cref="BatchWriter"/> has the lines in the store,
/// so whatever is not stored stays with the broker: a store outage or a SIGKILL loses nothing.
/// Bad input (foreign topics, garbage payloads, malformed lines) is counted, logged once per kind, and acknowledged
/// with its batch: it can never become good by waiting, and holding it would block the good data behind it.
/// </summary>
public sealed partial class IngestWorker : BackgroundService, IAsyncDisposable
{
    /// <summary>
    /// The fleet's message size contract: a payload of at most 1 MiB (the broker's message_size_limit), plus room for the
    /// topic and headers. A larger PUBLISH is skipped unread by the client, counted and acknowledged (issue 12 item 2).
    /// </summary>
    public const int MaxPacketSize = (1 << 20) + 64 * 1024;

    /// <summary>Payload bytes received and not yet acknowledged, at most (see the client's options below).</summary>
    public const long MaxInFlightBytes = 64L * 1024 * 1024;

    /// <summary>
    /// How long a stopping ingest lets started writes finish (and acknowledges them) before it disconnects, while the
    /// store answers. A write that is not finished by then is abandoned: its messages stay with the broker and come back
    /// (a duplicate is harmless, DESIGN §2), so a stop never waits for a slow store.
    /// </summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private readonly CentralConfig _config;
    private readonly StoreConfig _storeConfig;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MqttClient _client;
    private readonly StoreWriter _store;
    private readonly BatchWriter _writer;
    private readonly TagAdmission _tags;
    private readonly OncePerKind _logged = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentBag<WriteBatch> _spareBatches = [];
    private readonly SemaphoreSlim _writeSlots;
    private readonly SemaphoreSlim _writeDone = new(0);
    private readonly CancellationTokenSource _writesStop = new();
    private int _writesInFlight;

    public IngestWorker(CentralConfig config, TimeProvider time, ILoggerFactory loggers)
        : this(config, time, loggers, StoreWriterFactory.Create(config.Store, time))
    {
    }

    /// <param name="store">The store writer (the seam tests use for a store that fails); disposed with the worker.</param>
    public IngestWorker(CentralConfig config, TimeProvider time, ILoggerFactory loggers, StoreWriter store)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggers);
        _config = config;
        _storeConfig = config.Store;
        _time = time;
        _logger = loggers.CreateLogger<IngestWorker>();
        _store = store;
        _tags = new TagAdmission(config.Ingest.MaxTagsPerGateway, config.Ingest.NewTagsPerMinute, burst: config.Ingest.MaxTagsPerGateway, config.Assets.Select(a => a.Tag), time);
        Statistics.Tags = _tags;
        _writer = new BatchWriter(_store, Statistics, time, _logger);
        _writeSlots = new SemaphoreSlim(config.Store.MaxConcurrentWrites, config.Store.MaxConcurrentWrites);
        _client = new MqttClient(new MqttClientOptions
        {
            Host = config.Broker.Host,
            Port = config.Broker.Port,
            ClientId = config.Broker.ClientId,
            Username = config.Broker.Username,
            Password = config.Broker.Password,
            // Mutual TLS with the ingest certificate (broker.tls); its CN is the user the broker ACL grants the fleet to.
            Tls = config.Broker.Tls?.ToMqtt(),
            KeepAlive = config.Broker.KeepAlive,
            // A persistent session: while the ingest or the store is down, the broker keeps our messages.
            CleanSession = false,
            // mosquitto 2.0 loses shared subscriptions on its restart while reporting the session present.
            ResubscribeWhenSessionPresent = config.Broker.ShareGroup is not null,
            ManualAck = true,
            // Room for several full batches: the broker's own in-flight window (max_inflight_messages) is the tighter bound.
            InboundCapacity = 4096,
            MaxPacketSize = MaxPacketSize,
            // Memory is bounded by bytes held (gathered, being written, not yet acknowledged), not by message count:
            // 4096 messages of the fleet's largest size would be 4 GiB (issue 12 item 6). 64 MiB holds several full
            // batches of ordinary messages, so the bound costs no throughput; beyond it TCP holds the broker back.
            InboundMaxBytes = MaxInFlightBytes,
            TimeProvider = time,
        }, loggers.CreateLogger<MqttClient>());
        _client.Connected += OnConnected;
        Statistics.BrokerTlsRefusals = new BrokerRefusals(_client, config.Broker.Tls?.CertFile, _logger);
    }

    public IngestStatistics Statistics { get; } = new();
    public MqttClient Client => _client;

    /// <summary>True while the store cannot be written (the broker is holding the backlog).</summary>
    public bool StoreFailing => _writer.StoreFailing;

    /// <summary>Completes once the broker confirmed the fleet subscriptions: from then on the broker keeps our messages.</summary>
    public Task Subscribed => _subscribed.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(_logger, _config.Broker.Host, _config.Broker.Port, _config.Broker.ShareGroup ?? "none (single instance)", _store.Describe, _storeConfig.BatchMaxLines, _storeConfig.BatchMaxDelay.TotalMilliseconds);
        _client.Start();
        try
        {
            // Subscriptions are remembered by the client and repeated after a reconnect when the session was lost.
            await SubscribeAsync(stoppingToken).ConfigureAwait(false);
            _subscribed.TrySetResult();
            await GatherAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await StopAsync().ConfigureAwait(false);
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        await _client.SubscribeAsync(FleetTopic.Shared(_config.Broker.ShareGroup, FleetTopic.TelemetryFilter), MqttQos.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        await _client.SubscribeAsync(FleetTopic.Shared(_config.Broker.ShareGroup, FleetTopic.EventsFilter), MqttQos.AtLeastOnce, cancellationToken).ConfigureAwait(false);
    }

    private void OnConnected(object? sender, MqttConnectedEventArgs e) =>
        LogConnected(_logger, _config.Broker.Host, _config.Broker.Port, _config.Broker.ClientId, e.SessionPresent);

    /// <summary>Reads messages into batches and dispatches each batch to a write slot (at most maxConcurrentWrites at once).</summary>
    private async Task GatherAsync(CancellationToken stoppingToken)
    {
        var reader = _client.Messages;
        var batch = RentBatch();
        while (true)
        {
            if (batch.IsEmpty) Add(batch, await reader.ReadAsync(stoppingToken).ConfigureAwait(false));
            while (batch.LineCount < _storeConfig.BatchMaxLines && reader.TryRead(out var message)) Add(batch, message);
            var age = _time.GetElapsedTime(batch.StartedAt);
            var idle = Volatile.Read(ref _writesInFlight) == 0;
            // Flush when full or old, or when the store is idle and no message came for the linger time: waiting longer
            // would only add latency, and the broker may not send more before it gets acknowledgements (its in-flight
            // window is full). The linger turns a trickle of small messages into a few writes instead of one each.
            if (batch.LineCount >= _storeConfig.BatchMaxLines || age >= _storeConfig.BatchMaxDelay || (idle && age >= _storeConfig.BatchLinger))
            {
                // Compressed before a slot is taken: while both slots are busy, this overlaps with their writes.
                var body = _store.Prepare(batch.Lines);
                try
                {
                    await _writeSlots.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    body.Dispose();
                    throw;
                }
                Dispatch(batch, body);
                batch = RentBatch();
                continue;
            }
            // Keep gathering until a message arrives, a write finishes, or the batch's time (or linger) is up.
            var wait = (idle ? _storeConfig.BatchLinger : _storeConfig.BatchMaxDelay) - age;
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(wait, _time, wake.Token);
            var more = reader.WaitToReadAsync(wake.Token).AsTask();
            var done = _writeDone.WaitAsync(wake.Token);
            await Task.WhenAny(delay, more, done).ConfigureAwait(false);
            await wake.CancelAsync().ConfigureAwait(false);
            stoppingToken.ThrowIfCancellationRequested();
        }
    }

    /// <param name="body">The batch's lines prepared for the store; disposed here once the write is over.</param>
    private void Dispatch(WriteBatch batch, StoreBody body)
    {
        Interlocked.Increment(ref _writesInFlight);
        Statistics.Batch();
        _ = Task.Run(async () =>
        {
            try
            {
                if (batch.LineCount > 0) await WriteAsync(batch, body).ConfigureAwait(false);
                // All at once, with one flush; the client sends them in receipt order, holding any ack until every
                // earlier message (of a batch still being written) is acknowledged.
                await _client.AcknowledgeAsync(batch.Messages, _writesStop.Token).ConfigureAwait(false);
                Statistics.Acked(batch.Messages.Count);
            }
            catch (Exception ex) when (ex is OperationCanceledException or MqttException or IOException or ObjectDisposedException)
            {
                // Not acknowledged: we are stopping or the connection is gone, and the broker re-delivers these messages.
            }
            catch (Exception ex)
            {
                // Nothing is known to throw here any more; should something, it is loud, never a silent stall.
                Statistics.BatchFailed();
                LogAckFailed(_logger, batch.Messages.Count, ex);
            }
            finally
            {
                body.Dispose();
                batch.Reset();
                _spareBatches.Add(batch);
                Interlocked.Decrement(ref _writesInFlight);
                try
                {
                    _writeSlots.Release();
                    _writeDone.Release();
                }
                catch (ObjectDisposedException)
                {
                    // The worker was disposed while this write was being abandoned at stop.
                }
            }
        });
    }

    /// <summary>
    /// Writes the batch. The store writer classifies every answer it knows; anything else it throws (a bug, a failure
    /// nobody foresaw) once left the batch unacknowledged and, acks going out in receipt order, every later ack behind
    /// it until a reconnect. Now such a batch is counted and logged and its messages are written one by one: a message
    /// that fails again on its own is dropped, counted and logged (it would fail the same way after any redelivery),
    /// and the others are written. Either way the batch is acknowledged, so the fleet's data keeps flowing.
    /// </summary>
    private async Task WriteAsync(WriteBatch batch, StoreBody body)
    {
        try
        {
            await _writer.WriteAsync(batch.Lines, batch.LineCount, _writesStop.Token, body).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ObjectDisposedException))
        {
            Statistics.BatchFailed();
            LogBatchFailed(_logger, batch.Messages.Count, batch.LineCount, ex);
        }
        for (var i = 0; i < batch.Messages.Count; i++)
        {
            var (lines, count) = batch.MessageLines(i);
            if (count == 0) continue;
            try
            {
                await _writer.WriteAsync(lines, count, _writesStop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or ObjectDisposedException))
            {
                Statistics.FailedMessage(count);
                var topic = batch.Messages[i].Topic;
                if (_logged.First($"failed/{topic}")) LogMessageDropped(_logger, topic, count, ex.Message);
            }
        }
    }

    private WriteBatch RentBatch() => _spareBatches.TryTake(out var b) ? b : new WriteBatch();

    private async Task StopAsync()
    {
        // Let started writes finish and be acknowledged; the batch being gathered is not acknowledged and comes back.
        // Not at all while the store is failing: those writes are retrying and cannot finish; waiting for them once held
        // SIGTERM for over ten seconds (issue 12 item 14).
        var deadline = _time.GetTimestamp();
        while (Volatile.Read(ref _writesInFlight) > 0 && !_writer.StoreFailing && _time.GetElapsedTime(deadline) < StopGrace)
            await Task.WhenAny(_writeDone.WaitAsync(), Task.Delay(TimeSpan.FromMilliseconds(20), _time)).ConfigureAwait(false);
        await _writesStop.CancelAsync().ConfigureAwait(false);
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

    /// <summary>
    /// How the host disposes the worker: its service provider prefers <see cref="IAsyncDisposable"/>, so the MQTT
    /// client's close is awaited, not blocked on.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
        _writesStop.Dispose();
        _writeSlots.Dispose();
        _writeDone.Dispose();
        base.Dispose();
    }

    /// <summary>Only for a caller that cannot await (BackgroundService's contract); the host and the tests use <see cref="DisposeAsync"/>.</summary>
    public override void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
