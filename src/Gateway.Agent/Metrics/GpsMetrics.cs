using Gateway.Agent.Composition;
using Gateway.Agent.Gpsd;
using Gateway.Devices.Gpsd;
using Gateway.Devices.NmeaGps;
using Gateway.Telemetry.Readings;

namespace Gateway.Agent.Metrics;

/// <summary>
/// The GPS input's self-metrics (issue 16: bad input is counted and logged once; these are the counts): a <c>gateway</c>
/// point with sensor <c>nmea</c> when the gateway reads a receiver itself, and one with sensor <c>gpsd</c> when it reads a
/// site's gpsd, beside the journal's (sensor <c>agent</c>) and the clock's (sensor <c>clock</c>), every
/// <c>journal.metricsIntervalMs</c>. Counts since start, summed over the sources of the kind.
/// </summary>
public static class GpsMetrics
{
    /// <summary>The sensor tag of the NMEA receivers' point.</summary>
    public const string NmeaSensor = "nmea";

    /// <summary>The sensor tag of the gpsd sources' point.</summary>
    public const string GpsdSensor = "gpsd";

    /// <summary>
    /// nmea_sentences: sentences with a valid checksum; nmea_checksum_errors: lines whose checksum did not match;
    /// nmea_malformed: lines without a checksum, over-long, spliced or with control bytes, and sentences with an
    /// undecodable field; nmea_garbage_bytes: bytes between sentences (noise, a wrong baud rate); nmea_fixes: cycles with a
    /// 2D/3D fix; nmea_position_jumps: fixes that moved implausibly far (hundreds of km in a second). With the profile's
    /// <c>gpsdPort</c> (left out without it): gpsd_service_served: clients served; gpsd_service_refused: clients closed
    /// because 8 were connected; gpsd_service_bad_commands: clients closed for a command over 1 KiB;
    /// gpsd_service_slow_clients: clients closed for not reading their lines.
    /// </summary>
    public static readonly MeasurementSchema NmeaSchema = new("gateway",
    [
        new("nmea_sentences", FieldKind.Integer), new("nmea_checksum_errors", FieldKind.Integer), new("nmea_malformed", FieldKind.Integer),
        new("nmea_garbage_bytes", FieldKind.Integer), new("nmea_fixes", FieldKind.Integer), new("nmea_position_jumps", FieldKind.Integer),
        new("gpsd_service_served", FieldKind.Integer), new("gpsd_service_refused", FieldKind.Integer),
        new("gpsd_service_bad_commands", FieldKind.Integer), new("gpsd_service_slow_clients", FieldKind.Integer),
    ]);

    /// <summary>
    /// gpsd_reports: JSON reports read; gpsd_fixes: TPVs with a 2D/3D fix (each a reading); gpsd_malformed: lines that were
    /// not one JSON object of a known shape; gpsd_oversized: lines over 16 KiB; gpsd_connects, gpsd_connect_failures,
    /// gpsd_disconnects: the connection's life; gpsd_pps_edges: PPS reports given to the clock.
    /// </summary>
    public static readonly MeasurementSchema GpsdSchema = new("gateway",
    [
        new("gpsd_reports", FieldKind.Integer), new("gpsd_fixes", FieldKind.Integer), new("gpsd_malformed", FieldKind.Integer),
        new("gpsd_oversized", FieldKind.Integer), new("gpsd_connects", FieldKind.Integer), new("gpsd_connect_failures", FieldKind.Integer),
        new("gpsd_disconnects", FieldKind.Integer), new("gpsd_pps_edges", FieldKind.Integer),
    ]);

    /// <summary>
    /// The sources that post the points for the gps sources among <paramref name="sources"/> every
    /// <paramref name="interval"/>: none without a gps source. <paramref name="service"/> is the agent's gpsd service, if any.
    /// </summary>
    public static IReadOnlyList<GatewayMetricsSource> Sources(IEnumerable<ReadingSource> sources, GpsdService? service, TimeSpan interval)
    {
        var (receivers, gpsd) = GpsComposition.Statistics(sources);
        var result = new List<GatewayMetricsSource>();
        if (receivers.Count > 0) result.Add(new(NmeaSensor, NmeaSchema, () => SampleNmea(receivers, service), interval));
        if (gpsd.Count > 0) result.Add(new(GpsdSensor, GpsdSchema, () => SampleGpsd(gpsd), interval));
        return result;
    }

    /// <summary>The NMEA point's values (the service's left out, NaN, without a service).</summary>
    public static ReadingValues SampleNmea(IReadOnlyList<NmeaStatistics> receivers, GpsdService? service)
    {
        ArgumentNullException.ThrowIfNull(receivers);
        ReadOnlySpan<double> values =
        [
            receivers.Sum(r => r.Sentences), receivers.Sum(r => r.ChecksumErrors), receivers.Sum(r => r.Malformed),
            receivers.Sum(r => r.GarbageBytes), receivers.Sum(r => r.Fixes), receivers.Sum(r => r.PositionJumps),
            service?.Served ?? double.NaN, service?.Refused ?? double.NaN, service?.BadCommands ?? double.NaN, service?.SlowClients ?? double.NaN,
        ];
        return ReadingValues.From(values);
    }

    /// <summary>The gpsd point's values.</summary>
    public static ReadingValues SampleGpsd(IReadOnlyList<GpsdStatistics> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ReadOnlySpan<double> values =
        [
            sources.Sum(s => s.Reports), sources.Sum(s => s.Fixes), sources.Sum(s => s.Malformed), sources.Sum(s => s.Oversized),
            sources.Sum(s => s.Connects), sources.Sum(s => s.ConnectFailures), sources.Sum(s => s.Disconnects), sources.Sum(s => s.PpsEdges),
        ];
        return ReadingValues.From(values);
    }
}
