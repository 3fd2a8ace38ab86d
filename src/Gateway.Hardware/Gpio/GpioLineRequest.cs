namespace Gateway.Hardware.Gpio;

/// <summary>
/// Lines held by one request. Values are logical (active-low already applied). Edge events are queued by the
/// implementation from the moment of the request; <see cref="ReadEdgeAsync"/> takes them in order.
/// </summary>
public abstract class GpioLineRequest : IDisposable
{
    /// <summary>The chip line offsets in request order.</summary>
    public abstract IReadOnlyList<int> Offsets { get; }

    /// <summary>The logical value of one requested line.</summary>
    public abstract bool GetValue(int offset);

    /// <summary>Drives one requested output line to a logical value.</summary>
    public abstract void SetValue(int offset, bool value);

    /// <summary>The next edge event; waits until one happens or <paramref name="cancellationToken"/> fires.</summary>
    public abstract ValueTask<GpioEdgeEvent> ReadEdgeAsync(CancellationToken cancellationToken);

    /// <summary>Edge events lost because nobody read them in time (the queue is bounded, as the kernel's is).</summary>
    public abstract long OverflowedEvents { get; }

    /// <summary>Releases the lines so that others may request them; idempotent.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Where a subclass releases what it holds (a descriptor, a simulation's state); <paramref name="disposing"/> is
    /// false only from a finalizer, where managed objects must not be touched.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Throws unless <paramref name="offset"/> is one of this request's lines.</summary>
    protected int IndexOf(int offset)
    {
        for (var i = 0; i < Offsets.Count; i++)
            if (Offsets[i] == offset) return i;
        throw new ArgumentException($"Line {offset} is not part of this request (lines {string.Join(", ", Offsets)}).", nameof(offset));
    }
}
