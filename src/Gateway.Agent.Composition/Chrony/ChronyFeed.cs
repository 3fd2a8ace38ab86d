using Gateway.Devices.NmeaGps;
using Gateway.Telemetry.Time;

namespace Gateway.Agent.Chrony;

/// <summary>
/// Gives chronyd the GPS time, doing for the Pi's system clock what gpsd does when it owns the receiver (gpsd's
/// "GPSD Time Service HOWTO"): one sample per GPS fix on the <c>GPS</c> socket, and one per PPS edge the clock used on
/// the <c>PPS</c> socket. Each sample pairs the system clock's time of an event with the true time of that event;
/// both come from the monotonic timestamp the event was captured at, so reading delays do not enter the offset.
/// </summary>
/// <remarks>
/// PPS edges are sent as plain samples (pulse = 0) with the edge's whole second, as gpsd does: the agent numbers the
/// edge from the fix before it (<see cref="ClockDiscipline.SynchronizeToPpsEdge"/>), so chronyd needs no
/// <c>lock</c> to the coarse GPS source.
/// </remarks>
public sealed class ChronyFeed(ChronySocket? gps, ChronySocket? pps, ClockDiscipline clock, TimeProvider time) : IDisposable
{
    /// <summary>The socket of the <c>refclock SOCK</c> line for GPS fixes (coarse: a fix's time is known to within
    /// its serial delay); null when not configured.</summary>
    public ChronySocket? Gps { get; } = gps;

    /// <summary>The socket for PPS edges (microseconds); null when not configured.</summary>
    public ChronySocket? Pps { get; } = pps;

    /// <summary>Samples that could not be sent, on both sockets.</summary>
    public long Failed => (Gps?.Failed ?? 0) + (Pps?.Failed ?? 0);

    /// <summary>A valid fix: its UTC against the system clock's time when its first sentence arrived.</summary>
    public void OnFix(NmeaTimeFix fix)
    {
        if (Gps is null) return;
        var system = SystemTimeAt(fix.MonotonicTimestamp);
        Gps.Send(ChronySample.At(system, (fix.Utc - system).TotalSeconds, pulse: false));
    }

    /// <summary>Wraps the clock's PPS sink: an edge the clock used goes to chrony too, at its whole second.</summary>
    public Func<long, bool> WrapEdgeSink(Func<long, bool> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (Pps is null) return sink;
        return edge =>
        {
            var used = sink(edge);
            if (used) OnEdge(edge);
            return used;
        };
    }

    private void OnEdge(long edge)
    {
        // The clock was just aligned to this edge (to within its slew), so its time rounds to the edge's true second.
        var second = (long)Math.Round(clock.ToUnixMilliseconds(edge) / 1000.0, MidpointRounding.AwayFromZero);
        var system = SystemTimeAt(edge);
        var offset = (DateTimeOffset.FromUnixTimeSeconds(second) - system).TotalSeconds;
        Pps!.Send(ChronySample.At(system, offset, pulse: false));
    }

    /// <summary>The system clock's reading at a past monotonic timestamp (two reads back to back, then the difference).</summary>
    private DateTimeOffset SystemTimeAt(long monotonicTimestamp) => time.GetUtcNow() - time.GetElapsedTime(monotonicTimestamp);

    /// <summary>Closes both sockets (chronyd's sockets themselves stay: they are its).</summary>
    public void Dispose()
    {
        Gps?.Dispose();
        Pps?.Dispose();
    }
}
