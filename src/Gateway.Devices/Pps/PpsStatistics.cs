using Gateway.Hardware.Gpio;

namespace Gateway.Devices.Pps;

/// <summary>Counters of a <see cref="PpsEdgeReader"/> since it was created (across restarts), safe to read from any thread.</summary>
public sealed class PpsStatistics
{
    private long _read;
    private long _used;
    private long _rejected;
    private long _overflowedClosed;
    private GpioLineRequest? _current;

    /// <summary>Edges taken from the line.</summary>
    public long EdgesRead => Interlocked.Read(ref _read);

    /// <summary>Edges that set or steered the clock.</summary>
    public long EdgesUsed => Interlocked.Read(ref _used);

    /// <summary>Edges the clock did not use: no GPS fix within two seconds to number them, or the time policy excludes GPS.</summary>
    public long EdgesRejected => Interlocked.Read(ref _rejected);

    /// <summary>Edges lost before they were read because the event queue was full (the reader fell behind).</summary>
    public long EdgesOverflowed => Interlocked.Read(ref _overflowedClosed) + (Volatile.Read(ref _current)?.OverflowedEvents ?? 0);

    internal void Read(bool used)
    {
        Interlocked.Increment(ref _read);
        if (used) Interlocked.Increment(ref _used);
        else Interlocked.Increment(ref _rejected);
    }

    internal void Opened(GpioLineRequest request) => Volatile.Write(ref _current, request);

    internal void Closed(GpioLineRequest request)
    {
        // Forget the request before adding its count, so that a reader in between sees the count too low, never twice:
        // the counter only ever rises.
        Volatile.Write(ref _current, null);
        Interlocked.Add(ref _overflowedClosed, request.OverflowedEvents);
    }
}
