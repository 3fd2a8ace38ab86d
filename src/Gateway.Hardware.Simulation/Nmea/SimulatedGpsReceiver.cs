using System.Text;
using Gateway.Hardware.Serial;

namespace Gateway.Hardware.Simulation.Nmea;

/// <summary>
/// A GPS receiver on a serial line: every <see cref="SimulatedGpsOptions.Interval"/> it emits one epoch of NMEA 0183
/// sentences (<c>$GPGGA</c>, optional <c>$GPGSA</c>, <c>$GPRMC</c>) describing a patrol loop around a site, with UTC
/// from the <see cref="TimeProvider"/>. An epoch is delivered at once, but the next epoch is held back until the
/// line could have carried the previous one at the configured baud rate, so the average byte rate is realistic.
/// </summary>
public sealed partial class SimulatedGpsReceiver : SerialDevice
{
    private readonly SimulatedSite _site;
    private readonly TimeProvider _time;
    private readonly SimulatedGpsOptions _options;
    private readonly Lock _gate = new();
    private readonly List<string> _commands = [];
    private readonly long _start;
    private byte[] _pending = [];
    private int _pendingOffset;
    private long _nextEpochDue;
    private DateTimeOffset _epochUtc;
    private int _epoch;
    private volatile bool _disposed;

    /// <param name="site">Where the receiver is: the fix wanders around it.</param>
    /// <param name="time">Epochs follow this clock's UTC and monotonic time.</param>
    /// <param name="options">Interval, baud rate, output latency and seed; the defaults when null.</param>
    public SimulatedGpsReceiver(SimulatedSite site, TimeProvider time, SimulatedGpsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(time);
        _site = site;
        _time = time;
        _options = options ?? new SimulatedGpsOptions();
        if (_options.Interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "Interval must be positive.");
        if (_options.BaudRate < 300) throw new ArgumentOutOfRangeException(nameof(options), "BaudRate must be at least 300.");
        if (_options.OutputLatency is { } latency && (latency < TimeSpan.Zero || latency >= _options.Interval))
            throw new ArgumentOutOfRangeException(nameof(options), "OutputLatency must be at least 0 and shorter than Interval.");
        _random = new Random(_options.Seed);
        _start = _nextEpochDue = time.GetTimestamp();
        if (_options.OutputLatency is not null)
        {
            var now = time.GetUtcNow();
            long rest = now.UtcTicks % _options.Interval.Ticks;
            _epochUtc = rest == 0 ? now : now.AddTicks(_options.Interval.Ticks - rest);
            _nextEpochDue = MonotonicAt(_epochUtc + _options.OutputLatency.Value);
        }
    }

    /// <summary><c>simulated-gps(lat,lon)</c>, for messages.</summary>
    public override string Path => $"simulated-gps({_site.Latitude:F5},{_site.Longitude:F5})";

    /// <summary>Configuration commands written to the receiver, decoded as ASCII, in order.</summary>
    public IReadOnlyList<string> ReceivedCommands
    {
        get
        {
            lock (_gate) return [.. _commands];
        }
    }

    /// <summary>Epochs emitted so far.</summary>
    public int EpochCount => Volatile.Read(ref _epoch);

    /// <summary>
    /// Returns the unread rest of the current epoch at once; otherwise waits (on the <see cref="TimeProvider"/>) until
    /// the next epoch is due. Returns 0 once the receiver is disposed (the device is gone). One reader at a time.
    /// </summary>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty) throw new ArgumentException("A read needs room for at least one byte.", nameof(buffer));
        while (true)
        {
            if (_disposed) return 0;
            if (_pendingOffset < _pending.Length)
            {
                var count = Math.Min(buffer.Length, _pending.Length - _pendingOffset);
                _pending.AsMemory(_pendingOffset, count).CopyTo(buffer);
                _pendingOffset += count;
                return count;
            }
            var wait = _time.GetElapsedTime(_time.GetTimestamp(), _nextEpochDue);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (_options.OutputLatency is { } latency)
            {
                NextAlignedEpoch(latency);
                continue;
            }
            _pending = Encoding.ASCII.GetBytes(NextEpoch(_time.GetUtcNow()));
            _pendingOffset = 0;
            // The next epoch is due one interval later, or later still if this one needs longer on the wire.
            var lineTicks = (long)((double)_pending.Length * 10 / _options.BaudRate * _time.TimestampFrequency);
            var intervalTicks = (long)(_options.Interval.TotalSeconds * _time.TimestampFrequency);
            _nextEpochDue += Math.Max(intervalTicks, lineTicks);
        }
    }

    /// <summary>The due aligned epoch (or the latest one, if the reader fell behind), and when the next one is sent.</summary>
    private void NextAlignedEpoch(TimeSpan latency)
    {
        var now = _time.GetUtcNow();
        while (_epochUtc + _options.Interval + latency <= now) _epochUtc += _options.Interval;
        _pending = Encoding.ASCII.GetBytes(NextEpoch(_epochUtc));
        _pendingOffset = 0;
        // The next grid point whose sending starts after this epoch has left the wire.
        var lineFree = now + TimeSpan.FromSeconds((double)_pending.Length * 10 / _options.BaudRate);
        do _epochUtc += _options.Interval;
        while (_epochUtc + latency < lineFree);
        _nextEpochDue = MonotonicAt(_epochUtc + latency);
    }

    /// <summary>The monotonic timestamp at which the provider's UTC will read <paramref name="utc"/> (it moves with monotonic time).</summary>
    private long MonotonicAt(DateTimeOffset utc)
    {
        long monotonic = _time.GetTimestamp();
        var ahead = utc - _time.GetUtcNow();
        return monotonic + (long)(ahead.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);
    }

    /// <summary>Accepts a configuration command and records it; the simulated receiver does not act on it.</summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var text = Encoding.ASCII.GetString(buffer.Span);
        lock (_gate) _commands.Add(text);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    protected override ValueTask DisposeAsyncCore()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }
}
