namespace Gateway.Hardware.Serial;

/// <summary>
/// How to open a serial port: the device path, the baud rate (standard rates 4800 to 921600; always 8 data bits, no
/// parity, 1 stop bit, no flow control, as NMEA 0183 §5.1 specifies for receivers) and the longest silence accepted.
/// </summary>
public sealed record SerialPortSettings(string Path, int BaudRate)
{
    /// <summary>The standard rates termios supports; anything else is refused before the port is opened.</summary>
    public static readonly IReadOnlyList<int> StandardBaudRates = [4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600];

    /// <summary>
    /// A receiver that sends nothing for this long is treated as failed (wrong baud rate, TX not wired, no power):
    /// the read throws, the source restarts and the port is reopened. NMEA receivers talk at least once a second.
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether termios has a code for <paramref name="baud"/> (<see cref="StandardBaudRates"/>); other rates
    /// are refused at config validation rather than failing when the port opens.</summary>
    public static bool IsStandardBaudRate(int baud) => StandardBaudRates.Contains(baud);
}
