using Gateway.DiskQueue;
using Gateway.Mqtt;
using Microsoft.Extensions.Logging;
using Gateway.Core.Counters;

namespace Gateway.Agent.Uplink;

/// <summary>
/// Moves records from the <see cref="Journal"/> to the broker as QoS 1 publishes: events first (their own lane, on
/// <c>fleet/{gateway}/events</c>), then telemetry (<c>fleet/{gateway}/telemetry</c>), each oldest first. Several
/// publishes are outstanding at once so the MQTT send window fills; the client keeps them in order and re-sends the
/// unacknowledged ones after a reconnect. On each PUBACK, taken in publish order, the journal's cursor moves past
/// the record, so the cursor only ever covers what the broker has (DESIGN §5).
/// </summary>
/// <remarks>
/// A record is disposed only after its PUBACK (or at stop), because until then the client may need its bytes. At a
/// stop, what is not acknowledged simply stays in the journal and is sent after the restart.
/// </remarks>
public sealed partial class Publisher
{
    /// <summary>
    /// Records handed to the client without a PUBACK. Above the client's send window (20) so the window never waits
    /// on us, and small so that during an outage the journal, not the client's memory, holds the backlog.
    /// </summary>
    public const int MaxOutstanding = 32;

    private readonly MqttClient _client;
    private readonly Journal _journal;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string[] _topics;
    private readonly Queue<Outstanding> _outstanding = new();
    private volatile bool _completing;
    private Task? _appendWait;
    private readonly AtomicCounter _publishedBatches = new();
    private readonly AtomicCounter _publishedReadings = new();
    private readonly AtomicCounter _failedBatches = new();
    private long _latencyTicks;
    private long _latencyCount;
    private int _outstandingCount;

    public Publisher(MqttClient client, Journal journal, string gatewayId, TimeProvider time, ILogger logger)
    {
        _client = client;
        _journal = journal;
        _time = time;
        _logger = logger;
        _topics = [$"fleet/{gatewayId}/telemetry", $"fleet/{gatewayId}/events"];
    }

    public long PublishedBatches => _publishedBatches.Value;
    public long PublishedReadings => _publishedReadings.Value;
    public long FailedBatches => _failedBatches.Value;

    /// <summary>Batches handed to the client and not yet acknowledged: at most <see cref="MaxOutstanding"/>.</summary>
    public int OutstandingBatches => Volatile.Read(ref _outstandingCount);

    /// <summary>Mean time from publish to PUBACK since the last call (null when nothing was acknowledged), for self-metrics.</summary>
    public TimeSpan? TakeMeanLatency()
    {
        var count = Interlocked.Exchange(ref _latencyCount, 0);
        var ticks = Interlocked.Exchange(ref _latencyTicks, 0);
        return count == 0 ? null : TimeSpan.FromTicks(ticks / count);
    }

    /// <summary>No more appends will come: <see cref="RunAsync"/> returns once the journal is drained and acknowledged.</summary>
    public void Complete() => _completing = true;

    /// <summary>
    /// Publishes until <see cref="Complete"/> was called and everything is acknowledged, or until
    /// <paramref name="cancellationToken"/> fires; what is then unacknowledged stays in the journal.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                while (_outstanding.Count > 0 && _outstanding.Peek().Ack.IsCompleted) CompleteOldest();
                if (_outstanding.Count < MaxOutstanding && TryTake(out var record))
                {
                    Publish(record, cancellationToken);
                    continue;
                }
                if (_outstanding.Count == 0 && _completing) return;
                // Sleep until a PUBACK or an append. The append wait is kept across turns: the journal's signal is
                // auto-reset, and a fresh wait per turn would pile up registrations during a long drain.
                if (_appendWait is null || _appendWait.IsCompleted)
                    _appendWait = _journal.WaitForAppendAsync(cancellationToken).AsTask();
                if (_outstanding.Count > 0)
                {
                    if (_outstanding.Count >= MaxOutstanding) await _outstanding.Peek().Ack.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    else await Task.WhenAny(_appendWait, _outstanding.Peek().Ack).ConfigureAwait(false);
                }
                else
                {
                    // The signal may have been consumed by an earlier wait: poll at least every second while completing.
                    await Task.WhenAny(_appendWait, Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken)).ConfigureAwait(false);
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var readings = _outstanding.Sum(o => o.Record.ItemCount);
            // The journal's count, the same one the agent's "Stopped:" line reports: the in-flight publishes are only
            // the part of it that had been sent (issue 12 item 14: "32 not acknowledged" against "113 left").
            if (_outstanding.Count > 0) LogUnacknowledgedAtStop(_logger, _journal.UnacknowledgedRecords, _outstanding.Count, readings);
            while (_outstanding.TryDequeue(out var o))
            {
                // The publishes were made with the same token, so these complete (cancelled) now.
                await o.Ack.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                o.Record.Dispose();
            }
        }
    }

    private bool TryTake(out JournalRecord record)
    {
        if (_journal.TryRead(JournalLane.Event, out var e))
        {
            record = e;
            return true;
        }
        if (_journal.TryRead(JournalLane.Telemetry, out var t))
        {
            record = t;
            return true;
        }
        record = null!;
        return false;
    }

    private void Publish(JournalRecord record, CancellationToken cancellationToken)
    {
        Task ack;
        try
        {
            ack = _client.PublishAsync(_topics[(int)record.Lane], record.Payload, MqttQos.AtLeastOnce, retain: false, cancellationToken).AsTask();
        }
        catch (ArgumentException ex)
        {
            // Larger than the broker allows: it can never be sent. Counted, acknowledged so it cannot block the uplink.
            ack = Task.FromException(new MqttException(ex.Message));
        }
        _outstanding.Enqueue(new Outstanding(ack, record, _time.GetTimestamp()));
        Volatile.Write(ref _outstandingCount, _outstanding.Count);
    }

    private void CompleteOldest()
    {
        var (ack, record, started) = _outstanding.Dequeue();
        Volatile.Write(ref _outstandingCount, _outstanding.Count);
        try
        {
            if (ack.IsCanceled) throw new OperationCanceledException();
            if (ack.Exception?.InnerException is MqttException refused)
            {
                // The broker refused this message for good (connection losses are retried inside the client). Count
                // it and move on, so that one poisoned batch cannot stop the uplink.
                _failedBatches.Increment();
                LogPublishRefused(_logger, record.ItemCount, refused.Message);
            }
            else if (ack.Exception is { } other)
            {
                throw other.InnerException ?? other;
            }
            else
            {
                _publishedBatches.Increment();
                _publishedReadings.Add(record.ItemCount);
                Interlocked.Add(ref _latencyTicks, _time.GetElapsedTime(started).Ticks);
                Interlocked.Increment(ref _latencyCount);
            }
            _journal.Acknowledge(record.Lane, record.Id);
        }
        finally
        {
            record.Dispose();
        }
    }

    private readonly record struct Outstanding(Task Ack, JournalRecord Record, long Started);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Stopping with {Batches} batches not yet acknowledged by the broker ({InFlight} of them sent, {Readings} readings in those); they stay in the journal and are sent after the restart")]
    private static partial void LogUnacknowledgedAtStop(ILogger logger, long batches, int inFlight, long readings);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "The broker refused a batch of {Readings} readings: {Reason}")]
    private static partial void LogPublishRefused(ILogger logger, int readings, string reason);
}
