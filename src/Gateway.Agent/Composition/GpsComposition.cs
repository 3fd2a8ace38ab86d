using Gateway.Agent.Profiles;
using Gateway.Devices.NmeaGps;
using Gateway.Hardware.Serial;
using Gateway.Hardware.Simulation;
using Gateway.Hardware.Simulation.Nmea;
using Gateway.Telemetry.Time;

namespace Gateway.Agent.Composition;

/// <summary>
/// Builds the GPS source on the port the profile names: the kernel's termios port for a real receiver
/// (<c>"port": "termios"</c>, or <c>auto</c> with <c>"hardware": "linux"</c>), else the simulated receiver.
/// </summary>
public static class GpsComposition
{
    public static NmeaGpsSource Create(GpsSourceProfile gps, HardwareMode hardware, SimulatedSite site, TimeProvider time, int seed)
    {
        ArgumentNullException.ThrowIfNull(gps);
        SerialDevice device = UsesTermios(gps, hardware)
            // Not opened here: the first read opens it, so a receiver that is missing at boot is reported and retried
            // by the source supervisor instead of stopping the agent.
            ? TermiosSerialPort.Create(new SerialPortSettings(gps.Device, gps.BaudRate))
            : new SimulatedGpsReceiver(site, time, new SimulatedGpsOptions { BaudRate = gps.BaudRate, Seed = seed });
        return new NmeaGpsSource(gps.Name, device, gps.Init);
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
