namespace Gateway.Hardware.Simulation.Gpio;

/// <summary>
/// A dry contact (enclosure door, tamper switch) between a GPIO line and ground, with the line pulled up: closed reads
/// low, open reads high. The door opens for <c>openFor</c> once every <c>period</c> (first after <c>firstOpen</c>),
/// and each change bounces a few times within two milliseconds, as mechanical contacts do, so that the kernel's
/// debounce has real work.
/// </summary>
public sealed class SimulatedContact : IDisposable
{
    private readonly SimulatedGpioChip _chip;
    private readonly int _line;
    private readonly TimeProvider _time;
    private readonly TimeSpan _period, _openFor, _firstOpen;
    private readonly long _start;
    private ITimer? _timer;
    private bool _open;

    /// <param name="chip">The chip whose input line the contact pulls to ground.</param>
    /// <param name="line">The line's offset on the chip.</param>
    /// <param name="time">The simulated clock the schedule follows.</param>
    /// <param name="firstOpen">Simulated time from construction to the first opening.</param>
    /// <param name="period">Time from one opening to the next.</param>
    /// <param name="openFor">How long each opening lasts; shorter than <paramref name="period"/>.</param>
    public SimulatedContact(SimulatedGpioChip chip, int line, TimeProvider time, TimeSpan firstOpen, TimeSpan period, TimeSpan openFor)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(time);
        if (openFor >= period) throw new ArgumentException("The contact must be open for less than its period.", nameof(openFor));
        _chip = chip;
        _line = line;
        _time = time;
        _firstOpen = firstOpen;
        _period = period;
        _openFor = openFor;
        _start = time.GetTimestamp();
        chip.Drive(line, false); // closed: the contact shorts the pull-up to ground
    }

    /// <summary>Times the contact opened.</summary>
    public int Openings { get; private set; }

    /// <summary>Checks the schedule every 100 ms of simulated time.</summary>
    public void Start() => _timer ??= _time.CreateTimer(_ => Update(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));

    /// <summary>Applies the schedule for the current time.</summary>
    public void Update()
    {
        var elapsed = _time.GetElapsedTime(_start);
        var open = elapsed >= _firstOpen && (elapsed - _firstOpen).Ticks % _period.Ticks < _openFor.Ticks;
        if (open == _open) return;
        _open = open;
        if (open) Openings++;
        // Bounce: the level chatters before it settles; the kernel's debounce must hide this.
        _chip.Drive(_line, open);
        _chip.Drive(_line, !open);
        _chip.Drive(_line, open);
    }

    /// <summary>Stops the schedule; the line keeps its last level.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
