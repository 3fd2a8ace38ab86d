using Gateway.Core.Counters;
using Gateway.Hardware.Gpio;

namespace Gateway.Devices.Pps;

/// <summary>Counters of a <see cref="PpsEdgeReader"/> since it was created (across restarts), safe to read from any thread.</summary>
public sealed class PpsStatistics
{
    private readonly AtomicCounter _read = new();
    private readonly AtomicCounter _used = new();
    private readonly AtomicCounter _rejected = new();
    private readonly AtomicCounter _overflowedClosed = new();
    private GpioLineRequest? _current;

    /// <summary>Edges taken from the line.</summary>
    public long EdgesRead => _read.Value;

    /// <summary>Edges that set or steered the clock.</summary>
    public long EdgesUsed => _used.Value;

    /// <summary>Edges the clock did not use: no GPS fix within two seconds to number them, or the time policy excludes GPS.</summary>
    public long EdgesRejected => _rejected.Value;

    /// <summary>Edges lost before they were read because the event queue was full (the reader fell behind).</summary>
    public long EdgesOverflowed => _overflowedClosed.Value + (Volatile.Read(ref _current)?.OverflowedEvents ?? 0);

    internal void Read(bool used)
    {
        _read.Increment();
        if (used) _used.Increment();
        else _rejected.Increment();
    }

    internal void Opened(GpioLineRequest request) => Volatile.Write(ref _current, request);

    internal void Closed(GpioLineRequest request)
    {
        // Forget the request before adding its count, so that a reader in between sees the count too low, never twice:
        // the counter only ever rises.
        Volatile.Write(ref _current, null);
        _overflowedClosed.Add(request.OverflowedEvents);
    }
}
