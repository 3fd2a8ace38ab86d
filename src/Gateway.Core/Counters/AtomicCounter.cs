namespace Gateway.Core.Counters;

/// <summary>
/// The one thread-safe event counter (STYLE.md habit 16): every statistics class keeps one per figure instead of its
/// own <see cref="Interlocked"/> field. A class, not a struct, so that a <c>readonly</c> field of it cannot be silently
/// copied and counted on the copy.
/// </summary>
public sealed class AtomicCounter
{
    private long _value;

    /// <summary>The count so far; a torn read is impossible on 32-bit platforms too.</summary>
    public long Value => Interlocked.Read(ref _value);

    /// <summary>Counts one event.</summary>
    public void Increment() => Interlocked.Increment(ref _value);

    /// <summary>Counts <paramref name="amount"/> events (or bytes) at once.</summary>
    public void Add(long amount) => Interlocked.Add(ref _value, amount);
}
