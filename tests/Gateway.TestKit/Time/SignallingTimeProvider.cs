namespace Gateway.TestKit.Time;

/// <summary>
/// Wraps a <see cref="ManualTimeProvider"/> and signals each timer the code under test creates, so that a test can
/// wait until the code armed its deadline before it moves the clock (moving it earlier would let the timer start
/// after the move, and the test would pass or hang by luck).
/// </summary>
public sealed class SignallingTimeProvider(ManualTimeProvider inner) : TimeProvider
{
    /// <summary>Released once per timer created.</summary>
    public SemaphoreSlim TimerCreated { get; } = new(0);

    /// <summary>The due time of each timer created, in creation order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<TimeSpan> DueTimes { get; } = new();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = inner.CreateTimer(callback, state, dueTime, period);
        DueTimes.Enqueue(dueTime);
        TimerCreated.Release();
        return timer;
    }
}
