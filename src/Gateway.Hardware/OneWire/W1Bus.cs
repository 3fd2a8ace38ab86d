namespace Gateway.Hardware.OneWire;

/// <summary>
/// The kernel's 1-Wire thermometer interface (w1_therm, Documentation/w1/slaves/w1_therm.rst) for the devices under
/// one sysfs root: the <c>w1_slave</c> file of each device and the <c>therm_bulk_read</c> file of its bus master. The
/// kernel implementation (<see cref="SysfsW1Bus"/>) and the simulation both derive from it, so a driver's waits can be
/// tested on a manual clock.
/// </summary>
public abstract class W1Bus
{
    /// <summary>The <c>w1_slave</c> path of a device, for messages.</summary>
    public abstract string SlavePath(string deviceId);

    /// <summary>Whether the device is on the bus (its sysfs directory exists).</summary>
    public abstract bool Exists(string deviceId);

    /// <summary>
    /// Whether the device's bus master offers <c>therm_bulk_read</c> (Linux 5.8 and later, created once a family that
    /// supports it, such as the DS18B20, is on the bus).
    /// </summary>
    public abstract bool HasBulkRead(string deviceId);

    /// <summary>
    /// Starts a conversion on every thermometer of the device's bus (writes <c>trigger</c> to <c>therm_bulk_read</c>)
    /// and completes when the kernel has marked the results ready.
    /// </summary>
    public abstract ValueTask TriggerBulkReadAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>
    /// The bus master's <c>therm_bulk_read</c>: -1 while a sensor still converts, 1 when a bulk conversion is done and
    /// at least one sensor has not been read yet, 0 when no bulk conversion is pending (a read then converts itself).
    /// </summary>
    public abstract int ReadBulkState(string deviceId);

    /// <summary>The device's conversion time at its current resolution (<c>conv_time</c>, else <c>resolution</c>).</summary>
    public abstract TimeSpan ConversionTime(string deviceId);

    /// <summary>
    /// The <c>w1_slave</c> text: the scratchpad of a pending bulk conversion without converting again, otherwise the
    /// result of a conversion the read itself starts and waits for. Empty while a bulk conversion is in progress.
    /// </summary>
    public abstract ValueTask<string> ReadSlaveAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>DS18B20 maximum conversion time for 9..12 bits (datasheet, AC electrical characteristics, t_CONV).</summary>
    public static TimeSpan Ds18b20ConversionTime(int resolutionBits) => resolutionBits switch
    {
        9 => TimeSpan.FromMilliseconds(93.75),
        10 => TimeSpan.FromMilliseconds(187.5),
        11 => TimeSpan.FromMilliseconds(375),
        _ => TimeSpan.FromMilliseconds(750),
    };
}
