namespace Gateway.Devices.Pacing;

/// <summary>
/// The rate a polled source samples at, shared between the source's run and whoever changes it (set-rate, on another
/// thread). It outlives the source's runs: a source restarted after a bus error keeps the rate it was given.
/// <see cref="Start"/> gives each run its <see cref="PaceTimer"/>; <see cref="TrySetRate"/> re-times the running one,
/// so a shortened interval does not wait out the old one.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The run that starts a PaceTimer disposes it; the pace only follows it.")]
internal sealed class SamplePace
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _shortest;
    private double _rate;
    private PaceTimer? _running;

    /// <param name="interval">The profile's interval between samples.</param>
    public SamplePace(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _rate = TimeSpan.FromSeconds(1) / interval;
    }

    /// <param name="ratePerSecond">Readings per second.</param>
    /// <param name="shortest">The shortest timer interval (a source that posts several readings per tick).</param>
    public SamplePace(double ratePerSecond, TimeSpan shortest)
    {
        if (!double.IsFinite(ratePerSecond) || ratePerSecond <= 0)
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "The rate must be a positive number of readings per second.");
        _rate = ratePerSecond;
        _shortest = shortest;
    }

    /// <summary>Samples per second now: the profile's interval inverted, until set-rate changes it.</summary>
    public double RatePerSecond
    {
        get
        {
            lock (_gate) return _rate;
        }
    }

    /// <summary>The timer interval of the current rate.</summary>
    public TimeSpan Interval
    {
        get
        {
            lock (_gate) return RateLimits.Interval(_rate, _shortest);
        }
    }

    /// <summary>
    /// A timer for one run of the source, ticking every <see cref="Interval"/> from now and following later rate
    /// changes. The caller disposes it when the run ends.
    /// </summary>
    public PaceTimer Start(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        lock (_gate) return _running = new PaceTimer(RateLimits.Interval(_rate, _shortest), time, this);
    }

    /// <summary>
    /// Checks the rate against <see cref="RateLimits"/> and <paramref name="max"/>, then sets it atomically: concurrent
    /// callers each get the rate that theirs replaced. A running timer's next tick comes one new interval after its
    /// previous tick, or at once when that moment has already passed.
    /// </summary>
    public bool TrySetRate(double ratePerSecond, RateLimit? max, out double previous, out string? problem)
    {
        lock (_gate)
        {
            previous = _rate;
            if (!RateLimits.Check(ratePerSecond, max, out problem)) return false;
            _rate = ratePerSecond;
            _running?.Change(RateLimits.Interval(ratePerSecond, _shortest));
            return true;
        }
    }

    /// <summary>Called by a disposed timer: later changes only update the rate, for the next run.</summary>
    internal void Forget(PaceTimer timer)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_running, timer)) _running = null;
        }
    }
}
