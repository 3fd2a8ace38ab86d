namespace Gateway.Core.Timing;

/// <summary>
/// The one retry-delay formula (STYLE.md habit 16): the n-th consecutive failure waits
/// <c>min(Max, Min * 2^n)</c>, less a random part of up to <see cref="Jitter"/> of it ("equal jitter" at 0.5: a fleet
/// that lost the same broker or store does not come back in lock-step; 0 for a local retry that needs no spreading).
/// A value type without allocation: a retry loop keeps one in a local and calls <see cref="Next"/> per failure and
/// <see cref="Reset"/> after a success.
/// </summary>
public struct Backoff
{
    private readonly Func<double>? _random;
    private int _failures;

    /// <param name="min">The first delay (before jitter).</param>
    /// <param name="max">The largest delay (before jitter).</param>
    /// <param name="jitter">Fraction of each delay that is random, 0 to 1: a delay lies in [full * (1 - jitter), full].</param>
    /// <param name="random">A uniform [0, 1) source; <see cref="Random.Shared"/> unless a test fixes it.</param>
    public Backoff(TimeSpan min, TimeSpan max, double jitter = 0, Func<double>? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1);
        Min = min;
        Max = max;
        Jitter = jitter;
        _random = random;
        _failures = 0;
    }

    /// <summary>The delay after the first failure, before jitter.</summary>
    public TimeSpan Min { get; }

    /// <summary>The ceiling the doubling stops at, before jitter.</summary>
    public TimeSpan Max { get; }

    /// <summary>The random fraction of each delay, 0 to 1 (0.5 is "equal jitter").</summary>
    public double Jitter { get; }

    /// <summary>Failures since the last <see cref="Reset"/>.</summary>
    public readonly int Failures => _failures;

    /// <summary>The delay before the next attempt, without jitter (what a log line may announce as the ceiling).</summary>
    public readonly TimeSpan Full => Delay(Min, Max, _failures);

    /// <summary>The delay after one more failure: <see cref="Full"/> with jitter applied; counts the failure.</summary>
    public TimeSpan Next()
    {
        var full = Full;
        if (_failures < 62) _failures++;
        if (Jitter == 0) return full;
        double r = _random?.Invoke() ?? Random.Shared.NextDouble();
        return TimeSpan.FromTicks((long)(full.Ticks * (1 - Jitter * r)));
    }

    /// <summary>After a success: the next failure waits <see cref="Min"/> again.</summary>
    public void Reset() => _failures = 0;

    /// <summary><c>min(max, min * 2^failures)</c>, without overflow.</summary>
    public static TimeSpan Delay(TimeSpan min, TimeSpan max, int failures)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(failures);
        long ticks = min.Ticks;
        for (var i = 0; i < failures && ticks < max.Ticks; i++) ticks = ticks > max.Ticks / 2 ? max.Ticks : ticks * 2;
        return TimeSpan.FromTicks(Math.Min(ticks, max.Ticks));
    }
}
