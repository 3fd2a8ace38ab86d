namespace Gateway.Hardware.Gpio;

/// <summary>Input or output (GPIO_V2_LINE_FLAG_INPUT / _OUTPUT).</summary>
public enum GpioDirection
{
    Input,
    Output,
}

/// <summary>The line's bias (GPIO_V2_LINE_FLAG_BIAS_*): a dry contact to ground needs a pull-up.</summary>
public enum GpioBias
{
    /// <summary>Leave the bias as the firmware or device tree set it.</summary>
    AsIs,
    Disabled,
    PullUp,
    PullDown,
}

/// <summary>Which edges produce events (GPIO_V2_LINE_FLAG_EDGE_*), in logical terms (after active-low).</summary>
[Flags]
public enum GpioEdge
{
    None = 0,
    Rising = 1,
    Falling = 2,
    Both = Rising | Falling,
}

/// <summary>What to request: the lines, direction, bias, edges, kernel debounce, polarity, and who asks.</summary>
public sealed record GpioRequestOptions(IReadOnlyList<int> Offsets, GpioDirection Direction, string Consumer)
{
    public GpioBias Bias { get; init; } = GpioBias.AsIs;

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
