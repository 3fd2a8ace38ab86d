namespace Gateway.TestKit.Time;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when a test says so. Monotonic time and UTC move together on
/// <see cref="Advance"/>; <see cref="JumpUtc"/> moves only the wall clock, as an NTP step does. Timers fire in due
/// order during <see cref="Advance"/>, on the calling thread. (The package that ships FakeTimeProvider is not in our
/// mirror.)
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private long _ticks;
    private DateTimeOffset _utc;

    public ManualTimeProvider(DateTimeOffset? start = null) => _utc = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_gate) return _ticks;
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _utc;
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves monotonic time and UTC forward together, firing every timer that falls due, in order.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_gate) target = _ticks + delta.Ticks;
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.DueTicks <= target).MinBy(t => t.DueTicks);
                if (next is null)
                {
                    _utc += TimeSpan.FromTicks(target - _ticks);
                    _ticks = target;
                    return;
                }
                if (next.DueTicks > _ticks)
                {
                    _utc += TimeSpan.FromTicks(next.DueTicks - _ticks);
                    _ticks = next.DueTicks;
                }
                next.Rearm();
            }
            next.Fire();
        }
    }

    /// <summary>Steps only the wall clock (an NTP correction or a fake-hwclock restore); monotonic time is unchanged.</summary>
    public void JumpUtc(TimeSpan delta)
    {
        lock (_gate) _utc += delta;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private long _periodTicks;
        public long DueTicks { get; private set; } = long.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                _periodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                DueTicks = owner._ticks + dueTime.Ticks;
                owner._timers.Add(this);
            }
            return true;
        }

        // Called under the owner's lock: schedules the next period or removes a one-shot timer.
        public void Rearm()
        {
            if (_periodTicks > 0) DueTicks += _periodTicks;
            else owner._timers.Remove(this);
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate) owner._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
