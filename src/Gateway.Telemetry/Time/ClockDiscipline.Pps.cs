using Gateway.Core.Counters;
namespace Gateway.Telemetry.Time;

public sealed partial class ClockDiscipline
{
    /// <summary>
    /// How far an edge may be from the arrival of the fix that numbers it: the edge that starts the fix's second comes
    /// up to 1 s (latency) plus the fix's fraction of a second (a 5 Hz receiver's .8 fix) before it; the next edges
    /// follow it. Farther away, the monotonic clock's drift is still negligible, but the fix no longer says which
    /// second the receiver is in (it may have lost the fix, and with it the second count).
    /// </summary>
    private static readonly long LabelWindow = 2 * TimeSpan.TicksPerSecond;

    private readonly AtomicCounter _ppsEdges = new();
    private readonly AtomicCounter _ppsRejected = new();

    /// <summary>PPS edges that set or steered the offset.</summary>
    public long PpsEdges => _ppsEdges.Value;

    /// <summary>PPS edges not used: no GPS fix within two seconds of them to number them, or the policy excludes GPS.</summary>
    public long PpsEdgesRejected => _ppsRejected.Value;

    /// <summary>
    /// Offers a pulse-per-second edge, given as the monotonic timestamp of the edge (e.g. the kernel's timestamp of a
    /// GPIO line event, in <see cref="TimeProvider.GetTimestamp"/> units). The edge marks the start of a UTC second
    /// to within microseconds; which second comes from the last GPS fix, so an edge is used only within two seconds of
    /// a fix's arrival. Returns whether the edge was used.
    /// </summary>
    /// <remarks>
    /// Numbering, as gpsd does for receivers that send a cycle's sentences after the pulse that starts its second
    /// (u-blox, MediaTek, SiRF; gpsd's "www/gpsd-time-service-howto"): a fix for time S whose first byte arrived at
    /// monotonic time a predicts the edge at e to be at UTC S + (e - a). That prediction is early by the receiver's
    /// output latency, which lies in [0, 1 s), so the edge's true UTC is the prediction rounded up to a whole second.
    /// Receivers that announce the *next* pulse (some Trimble and Motorola timing receivers) would be numbered one
    /// second late; they are not supported here.
    /// </remarks>
    public bool SynchronizeToPpsEdge(long monotonicTimestamp)
    {
        if (!_options.Accepts(ClockSource.GpsPps))
        {
            _ppsRejected.Increment();
            return false;
        }
        long edge = ToTicks(monotonicTimestamp);
        ClockStep? step;
        lock (_gate)
        {
            if (_lastGps is not { } label || Math.Abs(edge - label.ArrivalTicks) >= LabelWindow)
            {
                _ppsRejected.Increment();
                return false;
            }
            long predicted = label.UtcTicks + (edge - label.ArrivalTicks);
            long edgeUtc = CeilingToSecond(predicted);
            if (!TryApply(edgeUtc - edge, edge, ClockSource.GpsPps, out step))
            {
                _ppsRejected.Increment();
                return false;
            }
        }
        _ppsEdges.Increment();
        OnApplied(step);
        return true;
    }

    private static long CeilingToSecond(long utcTicks)
    {
        long rest = utcTicks % TimeSpan.TicksPerSecond; // UTC ticks count from year 1: never negative
        return rest == 0 ? utcTicks : utcTicks - rest + TimeSpan.TicksPerSecond;
    }
}
