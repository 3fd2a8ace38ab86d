namespace Gateway.Hardware.Simulation.Gpio;

/// <summary>
/// A GPS receiver's pulse-per-second output on a simulated GPIO line: the line goes active at the start of every UTC
/// second of the <see cref="TimeProvider"/> and stays so for <see cref="PulseWidth"/> (100 ms, u-blox's default
/// TIMEPULSE). The active edge is stamped with the monotonic time of the second itself, as the kernel stamps a real
/// edge in its interrupt handler, however late the simulation's timer ran. Pair it with a
/// <see cref="Nmea.SimulatedGpsReceiver"/> whose epochs are aligned to the same seconds
/// (<see cref="Nmea.SimulatedGpsOptions.OutputLatency"/>): the fix for second S then follows the edge that starts S.
/// </summary>
/// <remarks>
/// It pulses from <see cref="Start"/> on, fix or not (u-blox receivers can be set to do so); a clock discipline rejects
/// the edges that no fix numbers. Stop and start it again at will (the agent's simulation runs it while the GPS
/// source runs).
/// </remarks>
public sealed class SimulatedPps : IDisposable
{
    /// <summary>u-blox M8/M9 TIMEPULSE default: 100 ms high per second.</summary>
    public static readonly TimeSpan PulseWidth = TimeSpan.FromMilliseconds(100);

    private readonly SimulatedGpioChip _chip;
    private readonly int _line;
    private readonly TimeProvider _time;
    private readonly bool _activeLevel;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _active;
    private long _lastSecond = long.MinValue;

    /// <param name="chip">The chip whose input line carries the pulse.</param>
    /// <param name="line">The line's offset (the PPS pin of the GPS HAT).</param>
    /// <param name="time">The simulated clock; a pulse starts on each whole UTC second of it.</param>
    /// <param name="inverted">The pulse is a low level (the second starts on a falling edge), for receivers wired through an inverter.</param>
    public SimulatedPps(SimulatedGpioChip chip, int line, TimeProvider time, bool inverted = false)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(line);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(line, chip.LineCount);
        _chip = chip;
        _line = line;
        _time = time;
        _activeLevel = !inverted;
        chip.Drive(line, !_activeLevel);
    }

    /// <summary>Pulses emitted so far.</summary>
    public int Pulses { get; private set; }

    /// <summary>Starts pulsing, with the next whole second (at once when started on one).</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_timer is not null) return;
            _timer = _time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(UntilNextSecond(_time.GetUtcNow(), orNow: true), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops pulsing and leaves the line inactive.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            if (_active) _chip.Drive(_line, !_activeLevel);
            _active = false;
        }
    }

    /// <summary>Stops pulsing (as <see cref="Stop"/>).</summary>
    public void Dispose() => Stop();

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_timer is null) return;
            long monotonic = _time.GetTimestamp();
            var utc = _time.GetUtcNow();
            if (_active)
            {
                _chip.Drive(_line, !_activeLevel, monotonic);
                _active = false;
                _timer.Change(UntilNextSecond(utc, orNow: false), Timeout.InfiniteTimeSpan);
                return;
            }
            long second = utc.UtcTicks - utc.UtcTicks % TimeSpan.TicksPerSecond;
            if (second <= _lastSecond)
            {
                // This second was pulsed already (the timer came back early): wait for the next one.
                _timer.Change(UntilNextSecond(utc, orNow: false), Timeout.InfiniteTimeSpan);
                return;
            }
            // The edge belongs at the top of the second: as many timestamp units before now as UTC is past it.
            long late = (utc.UtcTicks - second) * _time.TimestampFrequency / TimeSpan.TicksPerSecond;
            _chip.Drive(_line, _activeLevel, monotonic - late);
            _active = true;
            _lastSecond = second;
            Pulses++;
            var fall = PulseWidth - TimeSpan.FromTicks(utc.UtcTicks - second);
            _timer.Change(fall > TimeSpan.Zero ? fall : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private static TimeSpan UntilNextSecond(DateTimeOffset utc, bool orNow)
    {
        long rest = utc.UtcTicks % TimeSpan.TicksPerSecond;
        if (rest == 0 && orNow) return TimeSpan.Zero;
        return TimeSpan.FromTicks(TimeSpan.TicksPerSecond - rest);
    }
}
