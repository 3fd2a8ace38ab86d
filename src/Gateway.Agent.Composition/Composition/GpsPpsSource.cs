using Gateway.Devices.NmeaGps;
using Gateway.Devices.Pacing;
using Gateway.Devices.Pps;
using Gateway.Telemetry.Readings;

namespace Gateway.Agent.Composition;

/// <summary>
/// A gps source with a PPS line: runs the NMEA source, whose readings these are, and beside it the PPS edge reader
/// under its own supervision (<see cref="SourceSupervisor"/>: restarted after 1 s doubling to 60 s), so that a PPS line
/// that is absent, taken or unplugged costs only the precision of the clock, never the positions. When the NMEA
/// source fails, the agent restarts the whole source, and the PPS line is requested again with it.
/// </summary>
public sealed class GpsPpsSource : ReadingSource, IRateFixed
{
    public GpsPpsSource(NmeaGpsSource gps, PpsEdgeReader pps)
        : base(gps?.Name ?? throw new ArgumentNullException(nameof(gps)), gps.Schema)
    {
        ArgumentNullException.ThrowIfNull(pps);
        Gps = gps;
        Pps = pps;
    }

    public NmeaGpsSource Gps { get; }

    public PpsEdgeReader Pps { get; }

    /// <summary>The readings are the receiver's, and so is their rate.</summary>
    public string RateRefusal => Gps.RateRefusal;

    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var stopPps = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pps = SourceSupervisor.RunAsync(Pps.Name, token => Pps.RunAsync(context.Time, context.Logger, token), context.Time, context.Logger, stopPps.Token);
        try
        {
            await Gps.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopPps.CancelAsync().ConfigureAwait(false);
            await pps.ConfigureAwait(false);
        }
    }
}
