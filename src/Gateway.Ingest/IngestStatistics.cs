using System.Globalization;
using System.Text;
using Gateway.Core.Counters;

namespace Gateway.Ingest;

/// <summary>The ingest's counters (thread-safe). Every message or line the ingest does not store is counted here.</summary>
public sealed class IngestStatistics
{
    private readonly AtomicCounter _messages = new();
    private readonly AtomicCounter _acknowledged = new();
    private readonly AtomicCounter _batches = new();
    private readonly AtomicCounter _pointsWritten = new();
    private readonly AtomicCounter _malformedLines = new();
    private readonly AtomicCounter _missingTimestamp = new();
    private readonly AtomicCounter _outsideWindow = new();
    private readonly AtomicCounter _failedBatches = new();
    private readonly AtomicCounter _oversized = new();
    private readonly AtomicCounter _refusedTags = new();
    private readonly AtomicCounter _failedPoints = new();
    private readonly AtomicCounter _shadowing = new();
    private readonly AtomicCounter _undecodablePayloads = new();
    private readonly AtomicCounter _foreignTopics = new();
    private readonly AtomicCounter _rejectedByStore = new();
    private readonly AtomicCounter _storeRetries = new();
    private readonly AtomicCounter _storeAuthFailures = new();
    private readonly AtomicCounter _splits = new();
    private readonly AtomicCounter _writes = new();
    private readonly AtomicCounter _writeTicks = new();
    private readonly AtomicMaximum _lastWriteUnixMs = new();

    public long Messages => _messages.Value;
    public long Acknowledged => _acknowledged.Value;
    public long Batches => _batches.Value;
    public long PointsWritten => _pointsWritten.Value;
    public long MalformedLines => _malformedLines.Value;
    public long MissingTimestamp => _missingTimestamp.Value;
    public long OutsideTimeWindow => _outsideWindow.Value;
    public long FailedBatches => _failedBatches.Value;
    public long OversizedMessages => _oversized.Value;
    public long RefusedAssetTags => _refusedTags.Value;

    /// <summary>The ingest's asset tag quotas, whose refusals per gateway go on /metrics.</summary>
    internal Payloads.TagAdmission? Tags { get; set; }
    public long FailedPoints => _failedPoints.Value;
    public long ShadowingFields => _shadowing.Value;
    public long UndecodablePayloads => _undecodablePayloads.Value;
    public long ForeignTopics => _foreignTopics.Value;

    /// <summary>The ingest connection's TLS refusals by the broker (set once the worker is built).</summary>
    public BrokerRefusals? BrokerTlsRefusals { get; internal set; }
    public long RejectedByStore => _rejectedByStore.Value;
    public long StoreRetries => _storeRetries.Value;

    /// <summary>Writes the store refused for their credentials or rights (401/403); each is also a retry.</summary>
    public long StoreAuthFailures => _storeAuthFailures.Value;
    public long Splits => _splits.Value;
    public long StoreWrites => _writes.Value;
    public TimeSpan StoreWriteTime => TimeSpan.FromTicks(_writeTicks.Value);

    /// <summary>When the store last accepted a write (Unix ms, wall clock), 0 before the first: how fresh the store is.</summary>
    public long LastWriteUnixMs => _lastWriteUnixMs.Value;

    internal void Message() => _messages.Increment();
    internal void Acked(int messages) => _acknowledged.Add(messages);
    internal void Batch() => _batches.Increment();
    internal void Written(int points, long unixMs)
    {
        _pointsWritten.Add(points);
        // Writes finish out of order across slots: keep the latest.
        _lastWriteUnixMs.Observe(unixMs);
    }
    internal void Malformed(int lines) => _malformedLines.Add(lines);
    internal void NoTimestamp(int lines) => _missingTimestamp.Add(lines);
    internal void OutsideWindow(int points) => _outsideWindow.Add(points);
    internal void BatchFailed() => _failedBatches.Increment();
    internal void Oversized() => _oversized.Increment();
    internal void RefusedTags(int points) => _refusedTags.Add(points);
    internal void FailedMessage(int points) => _failedPoints.Add(points);
    internal void Shadowing(int points) => _shadowing.Add(points);
    internal void Undecodable() => _undecodablePayloads.Increment();
    internal void ForeignTopic() => _foreignTopics.Increment();
    internal void Rejected(int points) => _rejectedByStore.Add(points);
    internal void Retry() => _storeRetries.Increment();
    internal void AuthFailure() => _storeAuthFailures.Increment();
    internal void Split() => _splits.Increment();

    internal void WriteTime(TimeSpan elapsed)
    {
        _writes.Increment();
        _writeTicks.Add(elapsed.Ticks);
    }

    /// <summary>The counters in the Prometheus text exposition format (for <c>/metrics</c>).</summary>
    public void WriteMetrics(StringBuilder output)
    {
        Counter(output, "ingest_messages_total", "MQTT messages received by the ingest", Messages);
        Counter(output, "ingest_messages_acknowledged_total", "MQTT messages acknowledged after their points were stored", Acknowledged);
        Counter(output, "ingest_batches_total", "store write batches", Batches);
        Counter(output, "ingest_points_written_total", "points the store accepted", PointsWritten);
        Counter(output, "ingest_malformed_lines_total", "line-protocol lines dropped as malformed", MalformedLines);
        Counter(output, "ingest_missing_timestamp_total", "points dropped for lack of a timestamp", MissingTimestamp);
        Counter(output, "ingest_outside_time_window_total", "points dropped for a timestamp outside ingest.plausibleTime", OutsideTimeWindow);
        Counter(output, "ingest_shadowing_fields_total", "points refused for a field named gateway, sensor or tag", ShadowingFields);
        Counter(output, "ingest_oversized_messages_total", "messages above the fleet's size limit, skipped unread and acknowledged", OversizedMessages);
        Counter(output, "ingest_refused_asset_tags_total", "asset tag points refused: the gateway is over its tag quota (ingest.assetTags)", RefusedAssetTags);
        Tags?.WriteMetrics(output, "ingest_refused_asset_tags_by_gateway_total", "asset tag points refused, per gateway");
        Counter(output, "ingest_failed_batches_total", "batches whose write failed unexpectedly (then written message by message)", FailedBatches);
        Counter(output, "ingest_failed_points_total", "points of messages that failed again on their own, dropped and acknowledged", FailedPoints);
        Counter(output, "ingest_undecodable_payloads_total", "payloads that could not be decoded at all", UndecodablePayloads);
        Counter(output, "ingest_foreign_topics_total", "messages on topics outside fleet/{gateway}/(telemetry|events)", ForeignTopics);
        Counter(output, "ingest_broker_tls_refusals_total", "connection attempts the broker refused because of this service's certificate (revoked or expired)", BrokerTlsRefusals?.Count ?? 0);
        Counter(output, "ingest_rejected_by_store_total", "points the store rejected for good (dropped)", RejectedByStore);
        Counter(output, "ingest_store_retries_total", "store writes retried (store down, throttled)", StoreRetries);
        Counter(output, "ingest_store_auth_failures_total", "store writes refused for their credentials or rights (401/403; retried)", StoreAuthFailures);
        Counter(output, "ingest_store_splits_total", "batches split because the store found them too large", Splits);
        Counter(output, "ingest_store_writes_total", "HTTP writes to the store", StoreWrites);
        output.Append("# HELP ingest_store_write_seconds_total time spent in store writes\n# TYPE ingest_store_write_seconds_total counter\n")
            .Append("ingest_store_write_seconds_total ").Append(StoreWriteTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
        // A gauge to alert on (a store that has not been written for minutes while gateways publish) and to time a drain.
        output.Append("# HELP ingest_last_store_write_timestamp_seconds when the store last accepted a write (Unix time; 0 = never)\n# TYPE ingest_last_store_write_timestamp_seconds gauge\n")
            .Append("ingest_last_store_write_timestamp_seconds ").Append((LastWriteUnixMs / 1000.0).ToString("0.000", CultureInfo.InvariantCulture)).Append('\n');
    }

    internal static void Counter(StringBuilder output, string name, string help, long value) =>
        output.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" counter\n")
            .Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    public override string ToString() =>
        $"messages={Messages} acknowledged={Acknowledged} batches={Batches} points_written={PointsWritten} malformed_lines={MalformedLines} " +
        $"missing_timestamp={MissingTimestamp} outside_time_window={OutsideTimeWindow} shadowing_fields={ShadowingFields} undecodable_payloads={UndecodablePayloads} foreign_topics={ForeignTopics} " +
        $"rejected_by_store={RejectedByStore} store_retries={StoreRetries} store_auth_failures={StoreAuthFailures} failed_batches={FailedBatches} failed_points={FailedPoints} oversized_messages={OversizedMessages}";
}
