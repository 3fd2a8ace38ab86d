using Gateway.Core.Counters;
namespace Gateway.Ingest.Dashboard.Auth;

/// <summary>
/// Progressive delay for failed logins, per key ("address:..." and "user:..."; see <see cref="SessionStore"/>): the
/// first <see cref="FreeFailures"/> failures cost nothing, each one after that doubles the wait before the key may try
/// again, from <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>, and a key that has not failed for
/// <see cref="ForgetAfter"/> starts over. Never a lockout: whoever waits out the delay gets the password checked.
/// An attempt in the delay is refused without hashing (it costs nothing), and while a key is past its free failures
/// only one attempt of it is checked at a time, so a burst of concurrent guesses cannot slip through together.
/// </summary>
public sealed class LoginThrottle
{
    public const int FreeFailures = 3;
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait: an operator who mistyped five times waits at most this long; an online guesser gets about
    /// 1,440 tries a day per key, against passwords of at least 8 characters.
    /// </summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Keys held at most (each a few dozen bytes). Addresses come from outside, so the table is bounded; when it is
    /// full of keys still in their delay, further new keys share one (<see cref="OverflowKey"/>) and throttle together.
    /// </summary>
    public const int MaxKeys = 10_000;

    public const string OverflowKey = "address:overflow";

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly AtomicCounter _failures = new();
    private readonly AtomicCounter _delayed = new();

    public LoginThrottle(TimeProvider time) => _time = time;

    /// <summary>Failed password checks (counted on /metrics).</summary>
    public long Failures => _failures.Value;

    /// <summary>Attempts refused without a check because a key was in its delay.</summary>
    public long Delayed => _delayed.Value;

    public int Tracked
    {
        get { lock (_lock) return _entries.Count; }
    }

    /// <summary>
    /// Admits an attempt for every key, or none: true when the password may be checked now (the caller then reports
    /// <see cref="Failed"/> or <see cref="Release"/> with the same keys, exactly once); false with how long to wait.
    /// </summary>
    public bool TryAdmit(IReadOnlyList<string> keys, out TimeSpan wait)
    {
        var now = _time.GetTimestamp();
        wait = TimeSpan.Zero;
        lock (_lock)
        {
            MakeRoom(keys.Count, now);
            var entries = new Entry[keys.Count];
            for (var i = 0; i < keys.Count; i++)
            {
                entries[i] = Find(keys[i], now);
                var e = entries[i];
                var ready = e.NextAllowed - now;
                if (ready > 0) wait = Max(wait, _time.GetElapsedTime(0, ready));
                // Past the free failures one check at a time; the next waits for its result (and its delay).
                else if (e.Failures + e.Pending >= FreeFailures && e.Pending > 0) wait = Max(wait, FirstDelay);
            }
            if (wait > TimeSpan.Zero)
            {
                _delayed.Increment();
                return false;
            }
            foreach (var e in entries) e.Pending++;
            return true;
        }
    }

    /// <summary>An admitted attempt failed: counts it on every key; returns how long until the next try is admitted.</summary>
    public TimeSpan Failed(IReadOnlyList<string> keys)
    {
        var now = _time.GetTimestamp();
        var wait = TimeSpan.Zero;
        lock (_lock)
        {
            MakeRoom(keys.Count, now);
            _failures.Increment();
            foreach (var key in keys)
            {
                var e = Find(key, now);
                e.Pending = Math.Max(0, e.Pending - 1);
                e.Failures++;
                e.LastFailure = now;
                var delay = DelayAfter(e.Failures);
                e.NextAllowed = now + delay.Ticks * _time.TimestampFrequency / TimeSpan.TicksPerSecond;
                wait = Max(wait, delay);
            }
        }
        return wait;
    }

    /// <summary>An admitted attempt ended without a failure (it succeeded, or was never checked).</summary>
    public void Release(IReadOnlyList<string> keys)
    {
        lock (_lock)
            foreach (var key in keys)
                if (_entries.TryGetValue(key, out var e)) e.Pending = Math.Max(0, e.Pending - 1);
    }

    /// <summary>Forgets a key's failures (after a correct password from it).</summary>
    public void Forget(string key)
    {
        lock (_lock)
            if (_entries.TryGetValue(key, out var e) && e.Pending == 0) _entries.Remove(key);
    }

    /// <summary>The wait after the n-th failure in a row: none for the free ones, then 1 s, 2 s, 4 s ... up to <see cref="MaxDelay"/>.</summary>
    public static TimeSpan DelayAfter(int failures)
    {
        if (failures < FreeFailures) return TimeSpan.Zero;
        var doublings = Math.Min(failures - FreeFailures, 16);
        var delay = FirstDelay * (1L << doublings);
        return delay < MaxDelay ? delay : MaxDelay;
    }

    private Entry Find(string key, long now)
    {
        if (_entries.TryGetValue(key, out var e))
        {
            if (e.Pending == 0 && e.Failures > 0 && _time.GetElapsedTime(e.LastFailure, now) >= ForgetAfter) e.Failures = 0;
            return e;
        }
        if (_entries.Count >= MaxKeys && key != OverflowKey) return Find(OverflowKey, now);
        e = new Entry { NextAllowed = now };
        _entries[key] = e;
        return e;
    }

    /// <summary>
    /// When the table is nearly full, forgets keys that are neither being checked nor failed recently. A key with a
    /// recent failure stays even below the free failures: forgetting it would give its address free tries for ever.
    /// </summary>
    private void MakeRoom(int needed, long now)
    {
        if (_entries.Count + needed < MaxKeys) return;
        foreach (var (key, e) in _entries)
            if (key != OverflowKey && e.Pending == 0 && (e.Failures == 0 || _time.GetElapsedTime(e.LastFailure, now) >= ForgetAfter))
                _entries.Remove(key);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class Entry
    {
        public int Failures;
        public int Pending;
        public long LastFailure;
        public long NextAllowed;
    }
}
