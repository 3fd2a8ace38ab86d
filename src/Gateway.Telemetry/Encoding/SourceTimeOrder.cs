namespace Gateway.Telemetry.Encoding;

/// <summary>
/// Keeps one source's line-protocol timestamps strictly increasing across a small backward clock step. The store
/// identifies a point by measurement + tags + millisecond timestamp and overwrites an identical one (DESIGN §2), so
/// when the clock discipline steps back by Δ (GPS taking over from the system clock steps by tens of milliseconds),
/// the source's readings of the next Δ would get the millisecond values its readings of the last Δ already had and
/// silently replace them in the store. A timestamp that is not after the source's last one is moved to the
/// millisecond after it instead; the readings of that window keep their order and are at most Δ late.
/// </summary>
/// <remarks>
/// Only steps back of at most <see cref="MaxNudge"/> are absorbed: after a larger step the earlier timestamps were
/// the wrong ones (a system clock far ahead), and moving every reading of a long window would falsify correct time;
/// the sequence then restarts from the new time. Safe for concurrent callers (one compare-and-swap per reading).
/// </remarks>
internal sealed class SourceTimeOrder
{
    /// <summary>The largest backward step absorbed: the clock discipline's default step threshold.</summary>
    public static readonly long MaxNudge = (long)TimeSpan.FromSeconds(1).TotalMilliseconds;

    private long _last = long.MinValue;

    /// <summary>The timestamp to write for a reading stamped <paramref name="unixMs"/>; <paramref name="nudged"/> when moved.</summary>
    public long Next(long unixMs, out bool nudged)
    {
        while (true)
        {
            long last = Volatile.Read(ref _last);
            long next = unixMs > last || last - unixMs > MaxNudge ? unixMs : last + 1;
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                nudged = next != unixMs;
                return next;
            }
        }
    }
}
