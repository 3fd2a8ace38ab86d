using Gateway.Hardware.Gpio;

namespace Gateway.Hardware.Simulation.Gpio;

/// <summary>
/// A simulated GPIO chip that behaves like the kernel's v2 uAPI: lines are owned by one request at a time (a second
/// request gets EBUSY), bias pulls an undriven line, active-low inverts, the kernel debounce waits until a level has
/// been stable for the debounce period before it reports an edge, and edges carry the time they happened. The outside
/// world (a door contact, the SX1276 model's DIO0) drives input levels with <see cref="Drive(int, bool)"/>; models watch output
/// lines (the SX1276's NRESET) through <see cref="OutputChanged"/>.
/// </summary>
public sealed partial class SimulatedGpioChip : GpioChip
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly string _name;
    private readonly bool[] _levels;
    private readonly bool[] _driven;
    private readonly SimulatedLineRequest?[] _owners;
    private bool _unplugged;

    /// <param name="name">The chip's name in messages, as <c>gpiochip0</c>.</param>
    /// <param name="lineCount">How many lines it has (a Raspberry Pi 4's gpiochip0 has 58; tests need fewer).</param>
    /// <param name="time">Stamps edges and runs the debounce timers.</param>
    public SimulatedGpioChip(string name, int lineCount, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(lineCount, 1);
        ArgumentNullException.ThrowIfNull(time);
        _name = name;
        _time = time;
        _levels = new bool[lineCount];
        _driven = new bool[lineCount];
        _owners = new SimulatedLineRequest?[lineCount];
    }

    /// <inheritdoc/>
    public override string Name => _name;

    /// <inheritdoc/>
    public override int LineCount => _levels.Length;

    /// <summary>Raised (outside the chip's lock) when a requested output line changes its physical level.</summary>
    public event Action<int, bool>? OutputChanged;

    /// <summary>The physical level of a line (true = high).</summary>
    public bool GetLevel(int offset)
    {
        lock (_gate) return _levels[offset];
    }

    /// <summary>True while some request holds the line.</summary>
    public bool IsRequested(int offset)
    {
        lock (_gate) return _owners[offset] is not null;
    }

    /// <summary>The outside world drives an input line to a physical level (a contact opening, a chip's interrupt pin).</summary>
    public void Drive(int offset, bool level) => Drive(offset, level, _time.GetTimestamp());

    /// <summary>
    /// As <see cref="Drive(int, bool)"/>, for a change that happened at <paramref name="timestamp"/> (monotonic, in the
    /// chip's <see cref="TimeProvider"/> units): a model that keeps its own schedule (a PPS pulse at the top of a second)
    /// stamps the edge with the scheduled instant, as the kernel stamps it in the interrupt, however late the
    /// simulation's timer ran. A debounced line stamps the edge when it settles, as the kernel does.
    /// </summary>
    public void Drive(int offset, bool level, long timestamp)
    {
        SimulatedLineRequest? owner;
        lock (_gate)
        {
            _driven[offset] = true;
            if (_levels[offset] == level) return;
            _levels[offset] = level;
            owner = _owners[offset];
        }
        owner?.OnLevelChanged(offset, level, timestamp);
    }

    /// <summary>
    /// The chip goes away (a GPIO expander's cable pulled, a driver unbound): open requests stop delivering edges, as
    /// the kernel ends a line request's event stream, and new requests fail with ENODEV until <see cref="PlugIn"/>.
    /// </summary>
    public void Unplug()
    {
        List<SimulatedLineRequest> open;
        lock (_gate)
        {
            _unplugged = true;
            open = [.. _owners.OfType<SimulatedLineRequest>().Distinct()];
        }
        foreach (var request in open) request.EndEvents();
    }

    /// <summary>The chip is back: lines can be requested again.</summary>
    public void PlugIn()
    {
        lock (_gate) _unplugged = false;
    }

    /// <inheritdoc/>
    public override GpioLineRequest RequestLines(GpioRequestOptions options)
    {
        Validate(options);
        lock (_gate)
        {
            if (_unplugged) throw new IOException($"{_name}: request failed with ENODEV; the GPIO chip is gone (check its cable or driver)");
            foreach (var offset in options.Offsets)
            {
                if (_owners[offset] is not null)
                    throw new IOException($"{_name} line {offset}: request failed with EBUSY; another consumer holds the line (gpioinfo shows who)");
            }
            var request = new SimulatedLineRequest(this, options, _time);
            for (var i = 0; i < options.Offsets.Count; i++)
            {
                var offset = options.Offsets[i];
                _owners[offset] = request;
                if (options.Direction == GpioDirection.Output)
                {
                    _levels[offset] = (options.InitialValues is { } v && i < v.Count && v[i]) ^ options.ActiveLow;
                }
                else if (!_driven[offset])
                {
                    // An undriven input floats to its bias (a dry contact that is open reads the pull-up).
                    if (options.Bias == GpioBias.PullUp) _levels[offset] = true;
                    if (options.Bias == GpioBias.PullDown) _levels[offset] = false;
                }
            }
            return request;
        }
    }

    private void SetOutput(int offset, bool level)
    {
        lock (_gate)
        {
            if (_levels[offset] == level) return;
            _levels[offset] = level;
        }
        OutputChanged?.Invoke(offset, level);
    }

    private void Release(SimulatedLineRequest request)
    {
        lock (_gate)
        {
            for (var i = 0; i < _owners.Length; i++)
                if (ReferenceEquals(_owners[i], request)) _owners[i] = null;
        }
    }
}
