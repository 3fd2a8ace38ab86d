using System.Globalization;
using System.Text;

namespace Gateway.Ingest;

/// <summary>The ingest's counters (thread-safe). Every message or line the ingest does not store is counted here.</summary>
public sealed class IngestStatistics
{
    private long _messages;
    private long _acknowledged;
    private long _batches;
    private long _pointsWritten;
    private long _malformedLines;
    private long _missingTimestamp;
    private long _outsideWindow;
    private long _failedBatches;
    private long _oversized;
    private long _refusedTags;
    private long _failedPoints;
    private long _shadowing;
    private long _undecodablePayloads;
    private long _foreignTopics;
    private long _rejectedByStore;
    private long _storeRetries;
    private long _storeAuthFailures;
    private long _splits;
    private long _writes;
    private long _writeTicks;
    private long _lastWriteUnixMs;

    public long Messages => Interlocked.Read(ref _messages);
    public long Acknowledged => Interlocked.Read(ref _acknowledged);
    public long Batches => Interlocked.Read(ref _batches);
    public long PointsWritten => Interlocked.Read(ref _pointsWritten);
    public long MalformedLines => Interlocked.Read(ref _malformedLines);
    public long MissingTimestamp => Interlocked.Read(ref _missingTimestamp);
    public long OutsideTimeWindow => Interlocked.Read(ref _outsideWindow);
    public long FailedBatches => Interlocked.Read(ref _failedBatches);
    public long OversizedMessages => Interlocked.Read(ref _oversized);
    public long RefusedAssetTags => Interlocked.Read(ref _refusedTags);

    /// <summary>The ingest's asset tag quotas, whose refusals per gateway go on /metrics.</summary>
    internal Payloads.TagAdmission? Tags { get; set; }
    public long FailedPoints => Interlocked.Read(ref _failedPoints);
    public long ShadowingFields => Interlocked.Read(ref _shadowing);
    public long UndecodablePayloads => Interlocked.Read(ref _undecodablePayloads);
    public long ForeignTopics => Interlocked.Read(ref _foreignTopics);

    /// <summary>The ingest connection's TLS refusals by the broker (set once the worker is built).</summary>
    public BrokerRefusals? BrokerTlsRefusals { get; internal set; }
    public long RejectedByStore => Interlocked.Read(ref _rejectedByStore);
    public long StoreRetries => Interlocked.Read(ref _storeRetries);

    /// <summary>Writes the store refused for their credentials or rights (401/403); each is also a retry.</summary>
    public long StoreAuthFailures => Interlocked.Read(ref _storeAuthFailures);
    public long Splits => Interlocked.Read(ref _splits);
    public long StoreWrites => Interlocked.Read(ref _writes);
    public TimeSpan StoreWriteTime => TimeSpan.FromTicks(Interlocked.Read(ref _writeTicks));

    /// <summary>When the store last accepted a write (Unix ms, wall clock), 0 before the first: how fresh the store is.</summary>
    public long LastWriteUnixMs => Interlocked.Read(ref _lastWriteUnixMs);

    internal void Message() => Interlocked.Increment(ref _messages);
    internal void Acked(int messages) => Interlocked.Add(ref _acknowledged, messages);
    internal void Batch() => Interlocked.Increment(ref _batches);
    internal void Written(int points, long unixMs)
    {
        Interlocked.Add(ref _pointsWritten, points);
        // Writes finish out of order across slots: keep the latest.
        long seen;
        while ((seen = Interlocked.Read(ref _lastWriteUnixMs)) < unixMs && Interlocked.CompareExchange(ref _lastWriteUnixMs, unixMs, seen) != seen) { }
    }
    internal void Malformed(int lines) => Interlocked.Add(ref _malformedLines, lines);
    internal void NoTimestamp(int lines) => Interlocked.Add(ref _missingTimestamp, lines);
    internal void OutsideWindow(int points) => Interlocked.Add(ref _outsideWindow, points);
    internal void BatchFailed() => Interlocked.Increment(ref _failedBatches);
    internal void Oversized() => Interlocked.Increment(ref _oversized);
    internal void RefusedTags(int points) => Interlocked.Add(ref _refusedTags, points);
    internal void FailedMessage(int points) => Interlocked.Add(ref _failedPoints, points);
    internal void Shadowing(int points) => Interlocked.Add(ref _shadowing, points);
    internal void Undecodable() => Interlocked.Increment(ref _undecodablePayloads);
    internal void ForeignTopic() => Interlocked.Increment(ref _foreignTopics);
    internal void Rejected(int points) => Interlocked.Add(ref _rejectedByStore, points);
    internal void Retry() => Interlocked.Increment(ref _storeRetries);
    internal void AuthFailure() => Interlocked.Increment(ref _storeAuthFailures);
    internal void Split() => Interlocked.Increment(ref _splits);

    internal void WriteTime(TimeSpan elapsed)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _writeTicks, elapsed.Ticks);
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
