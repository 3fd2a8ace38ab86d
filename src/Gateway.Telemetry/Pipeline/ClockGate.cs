using System.Threading.Channels;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;
using Gateway.Core.Counters;

namespace Gateway.Telemetry.Pipeline;

/// <summary>
/// The stage between the pipeline and the batcher that holds readings captured before the clock's first
/// synchronisation (DESIGN §4.2), so that they are encoded with the sync's offset (re-based: their monotonic capture
/// times converted to true UTC) instead of with a system clock that may be hours off. It is itself a
/// <see cref="ChannelReader{T}"/>: the batcher reads the gate instead of the pipeline and knows nothing of it.
/// </summary>
/// <remarks>
/// <para>Bounded by <see cref="ClockGateOptions"/>: a reading held for <see cref="ClockGateOptions.MaxAge"/>, or pushed
/// out by <see cref="ClockGateOptions.MaxReadings"/> newer ones, is released while the clock is still unsynchronised,
/// and the encoder then writes it with <c>time_quality=unsynced</c>, never silently as true time. When the input
/// completes (the agent stops) the held readings are released the same way: the journal stores encoded lines, so a
/// reading cannot wait across a restart.</para>
/// <para>Order is kept: held readings leave first, oldest first. Once synchronised, the clock stays so (its offset is
/// held over when the source is lost), and the gate is a pass-through: <see cref="TryRead"/> and
/// <see cref="WaitToReadAsync"/> go straight to the input and allocate nothing. Holding allocates (a queue growing to
/// at most <see cref="ClockGateOptions.MaxReadings"/>), only before the first sync.</para>
/// <para>One reader, like the pipeline it wraps (<see cref="ReadingPipeline"/> is single-reader).</para>
/// </remarks>
public sealed partial class ClockGate : ChannelReader<Reading>
{
    private readonly ChannelReader<Reading> _input;
    private readonly ClockDiscipline _clock;
    private readonly ClockGateOptions _options;
    private readonly TimeProvider _time;
    private readonly Queue<Reading> _held = new();
    private int _heldCount;
    private bool _inputCompleted;
    private readonly AtomicCounter _rebased = new();
    private readonly AtomicCounter _releasedUnsynced = new();

    /// <param name="input">The pipeline's reader; the gate becomes its only reader.</param>
    /// <param name="clock">Whose first synchronisation releases the held readings.</param>
    /// <param name="options">The bounds on holding; validated here.</param>
    /// <param name="time">Monotonic time for <see cref="ClockGateOptions.MaxAge"/>.</param>
    public ClockGate(ChannelReader<Reading> input, ClockDiscipline clock, ClockGateOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _input = input;
        _clock = clock;
        _options = options;
        _time = time;
    }

    /// <summary>Readings waiting for the sync now. Read from the reader's thread; elsewhere it is a snapshot.</summary>
    public int Held => Volatile.Read(ref _heldCount);

    /// <summary>Held readings released after the sync: encoded with its offset, as true time.</summary>
    public long Rebased => _rebased.Value;

    /// <summary>Held readings released before any sync (bound reached, or the input ended): encoded as unsynced.</summary>
    public long ReleasedUnsynced => _releasedUnsynced.Value;

    /// <inheritdoc/>
    public override bool TryRead(out Reading item)
    {
        // The steady state: synchronised, nothing held.
        if (_held.Count == 0 && _clock.IsSynchronized) return _input.TryRead(out item);
        return TryReadHolding(out item);
    }

    private bool TryReadHolding(out Reading item)
    {
        while (true)
        {
            if (_held.Count > 0 && _clock.IsSynchronized)
            {
                item = Dequeue();
                _rebased.Increment();
                return true;
            }
            if (!_input.TryRead(out var reading)) break;
            if (_clock.IsSynchronized || _options.MaxReadings == 0)
            {
                if (_held.Count == 0)
                {
                    item = reading;
                    return true;
                }
                // Synchronised between two checks with readings held: queue behind them to keep the order.
            }
            _held.Enqueue(reading);
            Volatile.Write(ref _heldCount, _held.Count);
            if (_held.Count > _options.MaxReadings)
            {
                item = Dequeue();
                _releasedUnsynced.Increment();
                return true;
            }
        }
        if (_held.Count > 0 && (IsInputCompleted() || Age(_held.Peek()) >= _options.MaxAge))
        {
            item = Dequeue();
            _releasedUnsynced.Increment();
            return true;
        }
        item = default;
        return false;
    }

    private Reading Dequeue()
    {
        var reading = _held.Dequeue();
        Volatile.Write(ref _heldCount, _held.Count);
        return reading;
    }

    private TimeSpan Age(in Reading reading) => _time.GetElapsedTime(reading.MonotonicTimestamp);

    private bool IsInputCompleted()
    {
        if (!_inputCompleted && _input.Completion.IsCompleted) _inputCompleted = true;
        return _inputCompleted;
    }
}
