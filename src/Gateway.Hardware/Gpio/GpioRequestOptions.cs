namespace Gateway.Hardware.Gpio;

/// <summary>Input or output (GPIO_V2_LINE_FLAG_INPUT / _OUTPUT).</summary>
public enum GpioDirection
{
    /// <summary>The line is read (and may report edges).</summary>
    Input,

    /// <summary>The line is driven by us (a radio's reset); no edges.</summary>
    Output,
}

/// <summary>The line's bias (GPIO_V2_LINE_FLAG_BIAS_*): a dry contact to ground needs a pull-up.</summary>
public enum GpioBias
{
    /// <summary>Leave the bias as the firmware or device tree set it.</summary>
    AsIs,
    /// <summary>No pull: the line floats unless the circuit drives it.</summary>
    Disabled,

    /// <summary>Weak pull to the supply: an open contact reads high (a dry contact switched to ground).</summary>
    PullUp,

    /// <summary>Weak pull to ground: an open contact reads low.</summary>
    PullDown,
}

/// <summary>Which edges produce events (GPIO_V2_LINE_FLAG_EDGE_*), in logical terms (after active-low).</summary>
[Flags]
public enum GpioEdge
{
    /// <summary>No events: the line is only read or driven.</summary>
    None = 0,

    /// <summary>Logical false to true (a PPS pulse's leading edge).</summary>
    Rising = 1,

    /// <summary>Logical true to false.</summary>
    Falling = 2,

    /// <summary>Every change (a door contact: opened and closed).</summary>
    Both = Rising | Falling,
}

/// <summary>What to request: the lines, direction, bias, edges, kernel debounce, polarity, and who asks.</summary>
public sealed record GpioRequestOptions(IReadOnlyList<int> Offsets, GpioDirection Direction, string Consumer)
{
    /// <summary>The pull resistor; <see cref="GpioBias.AsIs"/> unless the profile says otherwise.</summary>
    public GpioBias Bias { get; init; } = GpioBias.AsIs;

    /// <summary>Which edges of an input are reported with a kernel timestamp; none for outputs.</summary>
    public GpioEdge Edges { get; init; } = GpioEdge.None;

    /// <summary>Kernel debounce (GPIO_V2_LINE_ATTR_ID_DEBOUNCE, microsecond resolution); zero for none.</summary>
    public TimeSpan Debounce { get; init; }

    /// <summary>Values are inverted: logical true is a low level (GPIO_V2_LINE_FLAG_ACTIVE_LOW).</summary>
    public bool ActiveLow { get; init; }

    /// <summary>Logical values outputs start with, one per offset (all false when null).</summary>
    public IReadOnlyList<bool>? InitialValues { get; init; }
}

/// <summary>
/// One edge on a requested line. <see cref="Timestamp"/> is in the chip's <see cref="TimeProvider"/> timestamp units
/// (the kernel's CLOCK_MONOTONIC on Linux, which is what <see cref="TimeProvider.System"/> reads), taken when the edge
/// happened rather than when it was read.
/// </summary>
public readonly record struct GpioEdgeEvent(int Offset, GpioEdge Edge, long Timestamp, uint LineSequence);
