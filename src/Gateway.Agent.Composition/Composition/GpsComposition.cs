using Gateway.Agent.Chrony;
using Gateway.Agent.Profiles;
using Microsoft.Extensions.Logging;
using Gateway.Devices.Gpsd;
using Gateway.Devices.NmeaGps;
using Gateway.Devices.Pps;
using Gateway.Hardware.Serial;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;

namespace Gateway.Agent.Composition;

/// <summary>
/// The GPS source (its port choice and, when wired, its PPS line) and its part in the clock discipline.
/// </summary>
public static partial class GpsComposition
{
    /// <summary>
    /// The gps source: the NMEA receiver on its serial port, with its PPS line when the profile has <c>pps</c>
    /// (<see cref="GpsPpsSource"/>), or a site's gpsd when the device is <c>gpsd://HOST:PORT</c>.
    /// </summary>
    public static ReadingSource Create(GpsSourceProfile gps, HardwareMode mode, HardwareAccess hardware)
    {
        ArgumentNullException.ThrowIfNull(gps);
        ArgumentNullException.ThrowIfNull(hardware);
        if (gps.Gpsd is { } gpsd) return new GpsdSource(gps.Name, gpsd);
        var nmea = new NmeaGpsSource(gps.Name, new DeferredSerialDevice(() => OpenPort(gps, mode, hardware), gps.Device), gps.Init);
        if (gps.Pps is not { } pps) return nmea;
        return new GpsPpsSource(nmea, new PpsEdgeReader($"{gps.Name}.pps", hardware.GpioChip(pps.GpioChip), pps.Options));
    }

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

    /// <summary>Whether the receiver is a kernel serial port (<c>port</c> termios, or auto on linux hardware).</summary>
    internal static bool UsesTermios(GpsSourceProfile gps, HardwareMode hardware) =>
        gps.Port == GpsPort.Termios || (gps.Port == GpsPort.Auto && hardware == HardwareMode.Linux);

    /// <summary>
    /// Valid GPS fixes set the clock discipline's offset (DESIGN §4.2: GPS outranks the system clock), and PPS edges,
    /// numbered by those fixes, refine it; with <paramref name="chrony"/>, both also go to chronyd for the system
    /// clock. Returns the PPS readers, for the clock's self-metrics.
    /// </summary>
    public static IReadOnlyList<PpsEdgeReader> DisciplineClock(IEnumerable<ReadingSource> sources, ClockDiscipline clock, ChronyFeed? chrony = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(clock);
        var readers = new List<PpsEdgeReader>();
        foreach (var source in sources.Select(Unwrap))
        {
            var (gps, pps) = source switch
            {
                GpsPpsSource both => ((IGpsTimeSource?)both.Gps, both.Pps),
                IGpsTimeSource alone => (alone, null),
                _ => (null, (PpsEdgeReader?)null),
            };
            if (gps is not null)
            {
                gps.FixTimeReceived += fix => clock.Synchronize(fix.Utc, fix.MonotonicTimestamp, ClockSource.Gps);
                if (chrony is not null) gps.FixTimeReceived += chrony.OnFix;
            }
            var edgeSink = chrony?.WrapEdgeSink(clock.SynchronizeToPpsEdge) ?? clock.SynchronizeToPpsEdge;
            // gpsd's PPS reports: edges already timed by gpsd's kernel PPS device, numbered here like our own.
            if (gps is GpsdSource gpsd) gpsd.PpsEdge += edge => edgeSink(edge);
            if (pps is null) continue;
            pps.EdgeSink = edgeSink;
            readers.Add(pps);
        }
        return readers;
    }

    /// <summary>
    /// The counters of the gps sources among <paramref name="sources"/>, for the self-metrics: each NMEA receiver's
    /// (serial, with or without PPS) and each gpsd source's.
    /// </summary>
    public static (IReadOnlyList<NmeaStatistics> Receivers, IReadOnlyList<GpsdStatistics> Gpsd) Statistics(IEnumerable<ReadingSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var receivers = new List<NmeaStatistics>();
        var gpsd = new List<GpsdStatistics>();
        foreach (var source in sources.Select(Unwrap))
        {
            switch (source)
            {
                case GpsPpsSource both: receivers.Add(both.Gps.Statistics); break;
                case NmeaGpsSource nmea: receivers.Add(nmea.Statistics); break;
                case GpsdSource site: gpsd.Add(site.Statistics); break;
            }
        }
        return (receivers, gpsd);
    }

    /// <summary>
    /// The loopback gpsd service of the gps source whose profile sets <c>gpsdPort</c> (one at most: the first), fed by
    /// that source's receiver cycles; null when none asks for it. Bound here, so a taken port is reported at start.
    /// </summary>
    public static Gpsd.GpsdService? ServeGpsd(GatewayProfile profile, IEnumerable<ReadingSource> sources, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(sources);
        if (profile.Sources.OfType<GpsSourceProfile>().FirstOrDefault(g => g.GpsdPort is not null) is not { GpsdPort: { } port } gps) return null;
        var receiver = sources.Where(s => s.Name == gps.Name).Select(Unwrap).Select(s => s is GpsPpsSource both ? both.Gps : s as NmeaGpsSource).FirstOrDefault(s => s is not null);
        if (receiver is null) return null;
        var service = new Gpsd.GpsdService(port, gps.Device, logger);
        try
        {
            service.Start();
        }
        catch (IOException ex)
        {
            // A field-check convenience: the agent's data matters more, so it runs on without it.
            LogGpsdServiceUnavailable(logger, ex.Message);
            return null;
        }
        receiver.CycleCompleted += service.OnCycle;
        LogGpsdServing(logger, service.Port, gps.Name);
        return service;
    }

    [LoggerMessage(EventId = 5263, Level = LogLevel.Error, Message = "{Reason}; the agent runs on without the gpsd service")]
    private static partial void LogGpsdServiceUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5264, Level = LogLevel.Information, Message = "Serving gps source {Source} gpsd-style on 127.0.0.1:{Port} (cgps / gpspipe -w 127.0.0.1:{Port})")]
    private static partial void LogGpsdServing(ILogger logger, int port, string source);

    /// <summary>The driver inside the wrappers composition puts around it (the simulation's world scope).</summary>
    private static ReadingSource Unwrap(ReadingSource source)
    {
        while (source is IWrappingSource wrapper) source = wrapper.Inner;
        return source;
    }
}

/// <summary>A source that runs another one (and something beside it); <see cref="Inner"/> is the driver.</summary>
internal interface IWrappingSource
{
    ReadingSource Inner { get; }
}
