using Gateway.Agent.Profiles;
using Gateway.Devices.NmeaGps;
using Gateway.Hardware.Serial;
using Gateway.Telemetry.Time;

namespace Gateway.Agent.Composition;

/// <summary>
/// The GPS's port choice and its part in the clock discipline.
/// </summary>
public static class GpsComposition
{
    /// <summary>
    /// The serial device for a gps source: the kernel's termios port for a real receiver (<c>"port": "termios"</c>, or
    /// <c>auto</c> with <c>"hardware": "linux"</c>), else the hardware's own (the simulated receiver).
    /// </summary>
    public static SerialDevice OpenPort(GpsSourceProfile gps, HardwareMode mode, HardwareAccess hardware)
    {
        ArgumentNullException.ThrowIfNull(gps);
        ArgumentNullException.ThrowIfNull(hardware);
        // Not opened here: the first read opens it, so a receiver that is missing at boot is reported and retried by
        // the source supervisor instead of stopping the agent.
        return UsesTermios(gps, mode) ? TermiosSerialPort.Create(new SerialPortSettings(gps.Device, gps.BaudRate)) : hardware.OpenSerial(gps);
    }

    public static bool UsesTermios(GpsSourceProfile gps, HardwareMode hardware) =>
        gps.Port == GpsPort.Termios || (gps.Port == GpsPort.Auto && hardware == HardwareMode.Linux);

    /// <summary>Valid GPS fixes set the clock discipline's offset (DESIGN §4.2): GPS outranks the system clock.</summary>
    public static void DisciplineClock(IEnumerable<Telemetry.Readings.ReadingSource> sources, ClockDiscipline clock)
    {
        foreach (var gps in sources.OfType<NmeaGpsSource>())
            gps.FixTimeReceived += fix => clock.Synchronize(fix.Utc, fix.MonotonicTimestamp, ClockSource.Gps);
    }
}
