using Gateway.Devices.Pacing;
using Gateway.Hardware.Gpio;
using Gateway.Telemetry.Readings;
using Microsoft.Extensions.Logging;

namespace Gateway.Devices.DigitalInputs;

/// <summary>How one dry-contact input is wired and what it means.</summary>
/// <param name="Line">The GPIO line offset (BCM number on a Raspberry Pi).</param>
/// <param name="ActiveLow">True when the line reads low while the contact is open/active (a switch to ground with a pull-up reads high when open, so usually false for door contacts that close when the door shuts).</param>
/// <param name="Bias">The pull the kernel applies.</param>
/// <param name="Debounce">Kernel debounce; contacts bounce for a few milliseconds.</param>
/// <param name="Alarm">True when a change is an event worth an alert (door, tamper).</param>
/// <param name="Kind">The event kind for alarms, e.g. <c>door</c> or <c>tamper</c>.</param>
public sealed record DigitalInputOptions(int Line, bool ActiveLow, GpioBias Bias, TimeSpan Debounce, bool Alarm, string Kind);

/// <summary>A change of an alarm input (the agent turns it into an event).</summary>
public readonly record struct InputChanged(string Input, string Kind, bool State, long Timestamp);

/// <summary>
/// One door/tamper contact on a GPIO line, debounced by the kernel. Posts an <c>input</c> point (state: true = contact
/// open/active; alarm: whether the input is an alarm) at start and on every change, stamped with the kernel's edge
/// time, and raises <see cref="Changed"/> for alarm inputs. The line is re-read every <c>verifyInterval</c> so that a
/// change whose edge was lost (queue overflow) still shows. Edges, not samples: there is no rate (<see cref="IRateFixed"/>).
/// </summary>
public sealed partial class DigitalInputSource : ReadingSource, IRateFixed
{
    /// <summary>The <c>input</c> measurement (DESIGN §4.4).</summary>
    public static readonly MeasurementSchema InputSchema = new("input", [new("state", FieldKind.Boolean), new("alarm", FieldKind.Boolean)]);

    private readonly GpioChip _chip;
    private readonly DigitalInputOptions _options;
    private readonly TimeSpan _verifyInterval;
    private bool? _state;

    /// <summary>The chip stays the caller's.</summary>
    public DigitalInputSource(string name, GpioChip chip, DigitalInputOptions options, TimeSpan? verifyInterval = null)
        : base(name, InputSchema)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(options);
        _chip = chip;
        _options = options;
        _verifyInterval = verifyInterval ?? TimeSpan.FromMinutes(1);
    }

    /// <summary>Raised on the source's task when an alarm input changes (handlers must be quick).</summary>
    public event Action<InputChanged>? Changed;

    /// <inheritdoc/>
    public string RateRefusal =>
        $"this input posts when its contact changes (an edge, stamped by the kernel), not on a schedule, and re-reads the line every {_verifyInterval.TotalSeconds:0.#} s only to catch lost edges; there is no rate to set (the profile's debounceMs sets the kernel's debounce)";

    /// <summary>The last state posted, or null before the first.</summary>
    public bool? State => _state;

    /// <summary>Changes posted since start (not counting the initial state).</summary>
    public long Changes { get; private set; }

    /// <summary>
    /// Requests the line with edge detection, posts the state at start and on every change until cancelled. GPIO errors
    /// (line taken, chip gone) propagate: the agent restarts the source with backoff.
    /// </summary>
    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var request = _chip.RequestLines(new GpioRequestOptions([_options.Line], GpioDirection.Input, $"gateway-{Name}")
        {
            Bias = _options.Bias,
            Edges = GpioEdge.Both,
            Debounce = _options.Debounce,
            ActiveLow = _options.ActiveLow,
        });
        // The state at start, also after a restart of the source: the store then knows where the contact is.
        var initial = request.GetValue(_options.Line);
        Post(context, initial, context.Time.GetTimestamp(), isChange: _state is { } previous && previous != initial);
        while (true)
        {
            using var timeout = new CancellationTokenSource(_verifyInterval, context.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                var edge = await request.ReadEdgeAsync(linked.Token).ConfigureAwait(false);
                var state = edge.Edge == GpioEdge.Rising;
                if (state != _state) Post(context, state, edge.Timestamp, isChange: true);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var now = request.GetValue(_options.Line);
                if (now != _state)
                {
                    LogMissedEdge(context.Logger, Name, _options.Line);
                    Post(context, now, context.Time.GetTimestamp(), isChange: true);
                }
            }
        }
    }

    private void Post(SourceContext context, bool state, long timestamp, bool isChange)
    {
        _state = state;
        ReadOnlySpan<double> values = [state ? 1 : 0, _options.Alarm ? 1 : 0];
        context.Post(timestamp, ReadingValues.From(values));
        if (!isChange) return;
        Changes++;
        LogChanged(context.Logger, Name, state ? "open/active" : "closed/normal");
        if (_options.Alarm) Changed?.Invoke(new InputChanged(Name, _options.Kind, state, timestamp));
    }

    [LoggerMessage(EventId = 6010, Level = LogLevel.Debug, Message = "Input {Input} is now {State}")]
    private static partial void LogChanged(ILogger logger, string input, string state);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "Input {Input} (line {Line}) changed without an edge event (events were lost); posting the state read now")]
    private static partial void LogMissedEdge(ILogger logger, string input, int line);
}
