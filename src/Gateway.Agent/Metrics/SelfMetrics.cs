using Gateway.Agent.Uplink;
using Gateway.DiskQueue;
using Gateway.DiskQueue.Disk;
using Gateway.Mqtt;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;

namespace Gateway.Agent.Metrics;

/// <summary>Samples the journal, the pipeline, the publisher and the connection for <see cref="GatewayMetricsSource"/>.</summary>
public sealed class SelfMetrics
{
    private readonly Journal _journal;
    private readonly ReadingPipeline _pipeline;
    private readonly Publisher _publisher;
    private readonly TimeProvider _time;
    private long _offlineSince;

    public SelfMetrics(Journal journal, ReadingPipeline pipeline, Publisher publisher, MqttClient client, TimeProvider time)
    {
        _journal = journal;
        _pipeline = pipeline;
        _publisher = publisher;
        _time = time;
        _offlineSince = time.GetTimestamp();
        client.Connected += (_, _) => Interlocked.Exchange(ref _offlineSince, 0);
        client.Disconnected += (_, _) => Interlocked.CompareExchange(ref _offlineSince, time.GetTimestamp(), 0);
    }

    /// <summary>Seconds since the broker became unreachable (or since start, before the first connection); 0 when connected.</summary>
    public double OfflineSeconds
    {
        get
        {
            var since = Interlocked.Read(ref _offlineSince);
            return since == 0 ? 0 : _time.GetElapsedTime(since).TotalSeconds;
        }
    }

    public ReadingValues Sample()
    {
        var oldest = _journal.OldestUnacknowledgedUnixMs;
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var fsync = _journal.Statistics.TakeFsyncMax();
        ReadOnlySpan<double> values =
        [
            _journal.UnacknowledgedRecords,
            _journal.Bytes,
            oldest is { } ms ? Math.Max(0, now - ms) / 1000.0 : 0,
            _pipeline.Statistics.Dropped + _journal.Statistics.DroppedItems,
            _journal.Statistics.CorruptRecords,
            _journal is DiskJournal ? fsync.TotalMilliseconds : double.NaN,
            _publisher.TakeMeanLatency() is { } latency ? latency.TotalMilliseconds : double.NaN,
            OfflineSeconds,
            _journal is DiskJournal disk ? disk.DiskFreeBytes : double.NaN,
        ];
        return ReadingValues.From(values);
    }
}
