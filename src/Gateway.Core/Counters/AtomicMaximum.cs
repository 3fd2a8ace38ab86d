namespace Gateway.Core.Counters;

/// <summary>
/// The one thread-safe "largest value seen" (a high-water mark, or the latest of timestamps that arrive out of order),
/// so that the compare-and-swap loop is written once. Starts at 0.
/// </summary>
public sealed class AtomicMaximum
{
    private long _value;

    /// <summary>The largest value observed since the start or the last <see cref="Take"/>; 0 if none.</summary>
    public long Value => Interlocked.Read(ref _value);

    /// <summary>Raises the value to <paramref name="candidate"/> if that is larger; never lowers it.</summary>
    public void Observe(long candidate)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _value)) < candidate
            && Interlocked.CompareExchange(ref _value, candidate, seen) != seen)
        {
        }
    }

    /// <summary>Returns the largest value since the last take and starts again from 0 (a per-interval peak).</summary>
    public long Take() => Interlocked.Exchange(ref _value, 0);
}
