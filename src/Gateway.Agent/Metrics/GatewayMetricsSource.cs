using Gateway.Telemetry.Readings;

namespace Gateway.Agent.Metrics;

/// <summary>
/// The agent's own health as <c>gateway</c> readings (DESIGN §4.4, §5), sensor <c>agent</c>, every
/// <c>journal.metricsIntervalMs</c>: they travel the same pipeline and journal as any reading, so a gateway that was
/// offline reports afterwards how its backlog grew and what it dropped.
/// </summary>
public sealed class GatewayMetricsSource : ReadingSource
{
    /// <summary>
    /// queue_records and queue_bytes: the journal's unacknowledged records and its size on disk; oldest_unsent_s: age
    /// of the oldest unacknowledged record; dropped: readings lost to a full pipeline or journal quota since start;
    /// corrupt: journal records lost to corruption since start; fsync_ms: longest fsync in the interval; publish_ms:
    /// mean publish-to-PUBACK time in the interval; offline_s: how long the broker has been unreachable (0 when
    /// connected); disk_free_bytes: free space on the journal's file system.
    /// </summary>
    public static readonly MeasurementSchema GatewaySchema = new("gateway",
    [
        new("queue_records", FieldKind.Integer), new("queue_bytes", FieldKind.Integer), new("oldest_unsent_s", FieldKind.Float),
        new("dropped", FieldKind.Integer), new("corrupt", FieldKind.Integer), new("fsync_ms", FieldKind.Float),
        new("publish_ms", FieldKind.Float), new("offline_s", FieldKind.Float), new("disk_free_bytes", FieldKind.Integer),
    ]);

    private readonly Func<ReadingValues> _sample;
    private readonly TimeSpan _interval;

    /// <param name="sample">Takes one sample; fields without a value (e.g. no PUBACK in the interval) are NaN and left out.</param>
    public GatewayMetricsSource(Func<ReadingValues> sample, TimeSpan interval)
        : this("agent", GatewaySchema, sample, interval)
    {
    }

    /// <summary>Another part of the self-metrics, under its own sensor tag (e.g. <see cref="ClockMetrics"/>, sensor <c>clock</c>).</summary>
    public GatewayMetricsSource(string sensor, MeasurementSchema schema, Func<ReadingValues> sample, TimeSpan interval)
        : base(sensor, schema)
    {
        _sample = sample;
        _interval = interval;
    }

    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var timer = new PeriodicTimer(_interval, context.Time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            context.Post(_sample());
    }
}
