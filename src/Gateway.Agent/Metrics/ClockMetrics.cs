using Gateway.Agent.Chrony;
using Gateway.Agent.Composition;
using Gateway.Devices.Pps;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;

namespace Gateway.Agent.Metrics;

/// <summary>
/// The clock's self-metrics (DESIGN §4.2, §5): a second <c>gateway</c> point, sensor <c>clock</c>, beside the
/// journal's (sensor <c>agent</c>), because the two do not fit one reading's ten values. Every
/// <c>journal.metricsIntervalMs</c>, through the same pipeline and journal as any reading.
/// </summary>
public sealed class ClockMetrics
{
    /// <summary>The sensor tag of the clock's point.</summary>
    public const string Sensor = "clock";

    /// <summary>
    /// clock_source: where the offset comes from now, <c>none</c>, <c>system</c>, <c>gps</c> or <c>gps+pps</c> (a string
    /// field); pps_edges, pps_used, pps_rejected, pps_overflowed: PPS edges read from the line, used by the clock,
    /// rejected (no fix within 2 s to number them), lost in a full event queue, since start (left out without a
    /// <c>pps</c> line); clock_held: readings waiting for the first sync now; clock_rebased: held readings released
    /// after the sync with its offset; clock_released_unsynced: held readings that reached <c>time.holdMaxSeconds</c> or
    /// <c>time.holdMaxReadings</c> (or the agent's stop) first and went out flagged <c>time_quality=unsynced</c>;
    /// system_clock_offset: GPS time minus the system clock in seconds, once the clock follows GPS (a Pi without a
    /// battery clock starts hours off until chrony or NTP sets it); chrony_failed: samples chronyd could not be given
    /// (left out when chrony is not fed).
    /// </summary>
    public static readonly MeasurementSchema ClockSchema = new("gateway",
    [
        new("clock_source", FieldKind.Label, ClockSourceNames.All),
        new("pps_edges", FieldKind.Integer), new("pps_used", FieldKind.Integer), new("pps_rejected", FieldKind.Integer),
        new("pps_overflowed", FieldKind.Integer),
        new("clock_held", FieldKind.Integer), new("clock_rebased", FieldKind.Integer), new("clock_released_unsynced", FieldKind.Integer),
        new("system_clock_offset", FieldKind.Float), new("chrony_failed", FieldKind.Integer),
    ]);

    private readonly ClockDiscipline _clock;
    private readonly ClockGate _gate;
    private readonly IReadOnlyList<PpsEdgeReader> _pps;
    private readonly ChronyFeed? _chrony;
    private readonly TimeProvider _time;

    /// <param name="pps">The PPS readers feeding <paramref name="clock"/> (GpsComposition.DisciplineClock returns them); empty without one.</param>
    /// <param name="chrony">The chrony feed, when the profile names its sockets.</param>
    public ClockMetrics(ClockDiscipline clock, ClockGate gate, IReadOnlyList<PpsEdgeReader> pps, ChronyFeed? chrony = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(pps);
        _clock = clock;
        _gate = gate;
        _pps = pps;
        _chrony = chrony;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The source that posts <see cref="Sample"/> every <paramref name="interval"/>.</summary>
    public GatewayMetricsSource Source(TimeSpan interval) => new(Sensor, ClockSchema, Sample, interval);

    public ReadingValues Sample()
    {
        var hasPps = _pps.Count > 0;
        ReadOnlySpan<double> values =
        [
            (double)_clock.Source,
            hasPps ? _pps.Sum(p => p.Statistics.EdgesRead) : double.NaN,
            // Used and rejected as the clock counted them: a rejection for policy or a missing fix is decided there.
            hasPps ? _clock.PpsEdges : double.NaN,
            hasPps ? _clock.PpsEdgesRejected : double.NaN,
            hasPps ? _pps.Sum(p => p.Statistics.EdgesOverflowed) : double.NaN,
            _gate.Held,
            _gate.Rebased,
            _gate.ReleasedUnsynced,
            ClockComposition.SystemClockOffsetSeconds(_clock, _time) ?? double.NaN,
            _chrony?.Failed ?? double.NaN,
        ];
        return ReadingValues.From(values);
    }
}
