using Gateway.Core.Counters;
namespace Gateway.Telemetry.Time;

public sealed partial class ClockDiscipline
{
    private readonly Lock _gate = new();
    private GpsLabel? _lastGps;
    private readonly AtomicCounter _synchronizations = new();
    private readonly AtomicCounter _steps = new();
    private readonly AtomicCounter _ignored = new();

    /// <summary>
    /// Raised (inside the synchronising call, so keep handlers short) when a synchronisation stepped the offset; slews
    /// are not reported, they happen every second.
    /// </summary>
    public event Action<ClockStep>? Stepped;

    /// <summary>Synchronisations that set or steered the offset.</summary>
    public long Synchronizations => _synchronizations.Value;

    /// <summary>Synchronisations that stepped the offset (the first, a better source, or a correction beyond the threshold).</summary>
    public long Steps => _steps.Value;

    /// <summary>Synchronisations refused: the policy excludes the source, or a higher-ranked source holds the clock.</summary>
    public long IgnoredSynchronizations => _ignored.Value;

    /// <summary>
    /// Trusts the system clock as it is now. Call it only when the system clock is known good (the kernel reports NTP
    /// synchronisation, see Gateway.Hardware's KernelClock): after a power cut a Pi's clock is hours behind.
    /// </summary>
    public bool SynchronizeFromSystemClock()
    {
        long monotonic = _time.GetTimestamp();
        return Synchronize(_time.GetUtcNow(), monotonic, ClockSource.SystemClock);
    }

    /// <summary>
    /// Offers a known pair: <paramref name="utc"/> was true at <paramref name="monotonicTimestamp"/> (e.g. a GPS fix's
    /// time and the monotonic time its first byte arrived). Returns false when the pair was not used for the offset:
    /// the policy excludes the source or a higher-ranked source holds the clock. A GPS pair is still remembered as
    /// the label that numbers the next PPS edges.
    /// </summary>
    public bool Synchronize(DateTimeOffset utc, long monotonicTimestamp, ClockSource source)
    {
        if (source is ClockSource.None or ClockSource.GpsPps)
            throw new ArgumentException("Synchronize takes SystemClock or Gps; PPS edges go through SynchronizeToPpsEdge.", nameof(source));
        if (!_options.Accepts(source))
        {
            _ignored.Increment();
            return false;
        }
        long ticks = ToTicks(monotonicTimestamp);
        ClockStep? step;
        lock (_gate)
        {
            if (source == ClockSource.Gps) _lastGps = new GpsLabel(utc.UtcTicks, ticks);
            if (!TryApply(utc.UtcTicks - ticks, ticks, source, out step)) return false;
        }
        OnApplied(step);
        return true;
    }

    /// <summary>Under <see cref="_gate"/>: sets or steers the offset from an estimate made at <paramref name="ticks"/>.</summary>
    private bool TryApply(long estimate, long ticks, ClockSource source, out ClockStep? step)
    {
        step = null;
        var current = _anchor;
        if (current is null)
        {
            step = new ClockStep(ClockSource.None, source, TimeSpan.FromTicks(estimate - SystemClockOffset()));
            Volatile.Write(ref _anchor, new Anchor(ticks, estimate, estimate, source));
            return true;
        }
        if (source < current.Source && !HasLapsed(current, ticks))
        {
            _ignored.Increment();
            return false;
        }
        // Estimates may come out of order (a PPS edge is older than the fix that numbers it): never restart the
        // current slew in its own past.
        long at = Math.Max(ticks, current.StartTicks);
        long offsetNow = current.OffsetAt(at);
        long correction = estimate - offsetNow;
        if (source > current.Source || Math.Abs(correction) > _options.StepThreshold.Ticks)
        {
            step = new ClockStep(current.Source, source, TimeSpan.FromTicks(correction));
            Volatile.Write(ref _anchor, new Anchor(at, estimate, estimate, source));
        }
        else if (source == ClockSource.Gps && correction > 0)
        {
            // An NMEA estimate is early by the delay from the receiver's second to our reading of its first byte
            // (output latency, the UART, a busy reader), never late: the estimate that shows the least delay is the
            // best, so a larger one replaces the offset at once. Moving forward never makes timestamps run backwards.
            Volatile.Write(ref _anchor, new Anchor(at, estimate, estimate, source));
        }
        else
        {
            Volatile.Write(ref _anchor, new Anchor(at, offsetNow, estimate, source));
        }
        return true;
    }

    /// <summary>A PPS-held clock whose edges stopped: GPS fixes may steer it again.</summary>
    private bool HasLapsed(Anchor current, long ticks) =>
        current.Source == ClockSource.GpsPps && ticks - current.StartTicks > _options.PpsTimeout.Ticks;

    private void OnApplied(ClockStep? step)
    {
        _synchronizations.Increment();
        if (step is not { } s) return;
        _steps.Increment();
        Stepped?.Invoke(s);
        if (s.Previous == ClockSource.None) _firstSync.TrySetResult();
    }

    /// <summary>The last GPS time label: the fix's UTC and the monotonic ticks its cycle began to arrive.</summary>
    private sealed record GpsLabel(long UtcTicks, long ArrivalTicks);
}
