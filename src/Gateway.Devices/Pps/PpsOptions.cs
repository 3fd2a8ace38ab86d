using Gateway.Hardware.Gpio;

namespace Gateway.Devices.Pps;

/// <summary>Where a GPS receiver's pulse-per-second output is wired and which of its edges starts the second.</summary>
/// <param name="Line">The GPIO line offset (BCM number on a Raspberry Pi; GPIO 18 by convention).</param>
/// <param name="Edge">
/// <see cref="GpioEdge.Rising"/> for receivers whose pulse rises at the top of the second (u-blox, MediaTek, SiRF by
/// default), <see cref="GpioEdge.Falling"/> for an inverted output.
/// </param>
public sealed record PpsOptions(int Line, GpioEdge Edge)
{
    /// <summary>
    /// After this long without an edge the reader says so once in the log (and again when edges return). Most
    /// receivers pulse only while they have a fix, so a silent line is normal for the first minutes after a cold start.
    /// </summary>
    public TimeSpan SilenceWarning { get; init; } = TimeSpan.FromSeconds(30);
}
