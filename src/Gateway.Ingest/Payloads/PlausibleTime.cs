namespace Gateway.Ingest.Payloads;

/// <summary>
/// The timestamps (Unix ms) the central service accepts: a window around its own clock, set by
/// <c>ingest.plausibleTime</c>. A point outside it is dropped and counted, never stored or shown: a year-10000 or
/// nanosecond timestamp cannot be held by <see cref="DateTimeOffset"/> (it once stopped the whole service), and a
/// 9999-12-31 point would otherwise freeze an asset's live position forever (issue 12, items 1 and 4).
/// </summary>
public readonly record struct PlausibleTime(long MinUnixMs, long MaxUnixMs)
{
    /// <summary>Everything <see cref="DateTimeOffset"/> can hold: the widest window, for tests and tools only.</summary>
    public static readonly PlausibleTime Any = new(DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds());

    /// <summary>From <paramref name="maxPast"/> before <paramref name="now"/> to <paramref name="maxFuture"/> after it.</summary>
    public static PlausibleTime Around(DateTimeOffset now, TimeSpan maxPast, TimeSpan maxFuture)
    {
        var ms = now.ToUnixTimeMilliseconds();
        return new PlausibleTime(ms - (long)maxPast.TotalMilliseconds, ms + (long)maxFuture.TotalMilliseconds);
    }

    public bool Contains(long unixMs) => unixMs >= MinUnixMs && unixMs <= MaxUnixMs;

    public bool Contains(DateTimeOffset at) => Contains(at.ToUnixTimeMilliseconds());
}
