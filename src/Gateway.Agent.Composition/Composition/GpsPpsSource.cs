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
internal sealed class GpsPpsSource : ReadingSource, IRateFixed
{
    /// <summary>Pairs the receiver's source with the reader of its PPS line.</summary>
    public GpsPpsSource(NmeaGpsSource gps, PpsEdgeReader pps)
        : base(gps?.Name ?? throw new ArgumentNullException(nameof(gps)), gps.Schema)
    {
        ArgumentNullException.ThrowIfNull(pps);
        Gps = gps;
        Pps = pps;
    }

    /// <summary>The receiver's NMEA source, whose readings these are.</summary>
    public NmeaGpsSource Gps { get; }

    /// <summary>The PPS line's edge reader, supervised on its own.</summary>
    public PpsEdgeReader Pps { get; }

    /// <summary>The readings are the receiver's, and so is their rate.</summary>
    public string RateRefusal => Gps.RateRefusal;

    /// <inheritdoc/>
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
