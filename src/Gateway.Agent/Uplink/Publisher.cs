using Gateway.Mqtt;
using Gateway.Telemetry.Pipeline;
using Microsoft.Extensions.Logging;

namespace Gateway.Agent.Uplink;

/// <summary>
/// Moves batches from the <see cref="BatchBuffer"/> to the broker as QoS 1 publishes on <c>fleet/{gateway}/telemetry</c>.
/// Several publishes are kept outstanding so the MQTT send window fills (one-at-a-time publishing is bounded by the
/// round trip, not by the link); the client keeps them in order and re-sends the unacknowledged ones after a reconnect.
/// A batch is disposed only after its PUBACK, because until then the client may need its bytes again.
/// </summary>
public sealed partial class Publisher
{
    /// <summary>At most this many batches are handed to the client without a PUBACK; beyond it we stop taking from the
    /// buffer, so that during an outage the bounded buffer (not the client's queue) holds the backlog and drops by policy.</summary>
    public const int MaxOutstanding = 32;

    private readonly MqttClient _client;
    private readonly BatchBuffer _buffer;
    private readonly string _topic;
    private readonly ILogger _logger;
    private readonly Queue<(Task Ack, EncodedBatch Batch)> _outstanding = new();
    private long _publishedBatches;
    private long _publishedReadings;
    private long _failedBatches;

    public Publisher(MqttClient client, BatchBuffer buffer, string gatewayId, ILogger logger)
    {
        _client = client;
        _buffer = buffer;
        _topic = $"fleet/{gatewayId}/telemetry";
        _logger = logger;
    }

    public long PublishedBatches => Interlocked.Read(ref _publishedBatches);
    public long PublishedReadings => Interlocked.Read(ref _publishedReadings);
    public long FailedBatches => Interlocked.Read(ref _failedBatches);
    public int Outstanding => _outstanding.Count;

    /// <summary>
    /// Publishes until the buffer is completed and empty, or until <paramref name="cancellationToken"/> fires (then the
    /// batches not yet acknowledged are left unpublished and counted as lost in the log).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var batch = await _buffer.TakeAsync(cancellationToken).ConfigureAwait(false);
                if (batch is null) break;
                var ack = _client.PublishAsync(_topic, batch.Payload, MqttQos.AtLeastOnce, retain: false, cancellationToken).AsTask();
                _outstanding.Enqueue((ack, batch));
                while (_outstanding.Count >= MaxOutstanding || (_outstanding.Count > 0 && _outstanding.Peek().Ack.IsCompleted))
                    await CompleteOldestAsync().ConfigureAwait(false);
            }
            while (_outstanding.Count > 0)
                await CompleteOldestAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var lost = _outstanding.Sum(o => o.Batch.ReadingCount);
            if (lost > 0) LogUnacknowledgedAtStop(_logger, _outstanding.Count, lost);
            while (_outstanding.TryDequeue(out var o))
            {
                await o.Ack.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                o.Batch.Dispose();
            }
        }
    }

    private async Task CompleteOldestAsync()
    {
        var (ack, batch) = _outstanding.Peek();
        try
        {
            await ack.ConfigureAwait(false);
            Interlocked.Increment(ref _publishedBatches);
            Interlocked.Add(ref _publishedReadings, batch.ReadingCount);
        }
        catch (MqttException ex)
        {
            // The broker refused this message for good (it is not a connection loss: those are retried inside the
            // client). Count it and move on so one poisoned batch cannot stop the uplink.
            Interlocked.Increment(ref _failedBatches);
            LogPublishRefused(_logger, batch.ReadingCount, ex.Message);
        }
        finally
        {
            _outstanding.Dequeue();
            batch.Dispose();
        }
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Stopping with {Batches} batches ({Readings} readings) not yet acknowledged by the broker; they are lost because this build buffers in memory")]
    private static partial void LogUnacknowledgedAtStop(ILogger logger, int batches, int readings);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "The broker refused a batch of {Readings} readings: {Reason}")]
    private static partial void LogPublishRefused(ILogger logger, int readings, string reason);
}
