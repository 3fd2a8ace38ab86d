using System.Buffers;
using Gateway.Core.Timing;
using Gateway.Devices.NmeaGps;
using Gateway.Devices.Pacing;
using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Gpsd;

/// <summary>
/// The gps source when a site's gpsd owns the receiver (<c>"device": "gpsd://HOST:2947"</c>): asks gpsd for its JSON
/// stream (<c>?WATCH</c>) and posts one <see cref="Measurements.Gps"/> reading per TPV with a 2D/3D fix, with the
/// same fields as <see cref="NmeaGpsSource"/> (hdop and satellites used from the SKY of the same cycle, else absent).
/// TPV times (or, when gpsd sends them, TOFF's) feed the clock discipline and chrony; PPS reports become edges.
/// </summary>
/// <remarks>
/// gpsd is a network peer, so its input is hostile: a line that is not a gpsd JSON object is counted in
/// <see cref="GpsdStatistics.Malformed"/>, a line longer than <see cref="MaxLineLength"/> in
/// <see cref="GpsdStatistics.Oversized"/> (skipped to its end without being buffered), and the first of each kind is
/// logged. A connection that closes or breaks, or a gpsd that is not there, is counted, logged once per outage, and
/// retried (1 s doubling to 30 s); the source itself never fails for it, so the agent's supervisor never restarts it.
/// </remarks>
public sealed partial class GpsdSource : ReadingSource, IRateFixed, IGpsTimeSource
{
    /// <summary>
    /// Longest line read. gpsd's largest report is a SKY with every satellite in view: about 90 bytes per satellite,
    /// under 10 KiB for 100 (its own limit, GPS_JSON_RESPONSE_MAX, is 10240 in 3.22).
    /// </summary>
    public const int MaxLineLength = 16 * 1024;

    /// <summary>gpsd's JSON stream with PPS and TOFF reports (gpsd_json(5), "?WATCH").</summary>
    public static ReadOnlySpan<byte> WatchCommand => "?WATCH={\"enable\":true,\"json\":true,\"pps\":true};\n"u8;

    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly GpsdConnector _connect;
    private readonly Lock _gate = new();
    private GpsdReport? _lastFix;

    /// <param name="name">The source name (the <c>sensor</c> tag of its readings).</param>
    /// <param name="endpoint">Where gpsd listens.</param>
    /// <param name="connect">Opens the stream to gpsd; null for a real TCP connection. Tests pass their own.</param>
    public GpsdSource(string name, GpsdEndpoint endpoint, GpsdConnector? connect = null)
        : base(name, Measurements.Gps)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        _connect = connect ?? GpsdConnection.ConnectTcpAsync;
    }

    /// <summary>The gpsd this source reads, as the profile named it; also in every log line about the connection.</summary>
    public GpsdEndpoint Endpoint { get; }

    /// <summary>Reports, fixes, bad lines and connection attempts since the source was created (across reconnects).</summary>
    public GpsdStatistics Statistics { get; } = new();

    /// <inheritdoc/>
    public string RateRefusal =>
        $"source '{Name}' posts one reading per fix that gpsd at {Endpoint} reports, and that rate is the receiver's, set where gpsd runs (gpsctl, or the receiver's own configuration)";

    /// <summary>The latest TPV with a fix.</summary>
    internal GpsdReport? LastFix
    {
        get
        {
            lock (_gate) return _lastFix;
        }
    }

    /// <inheritdoc/>
    public event Action<NmeaTimeFix>? FixTimeReceived;

    /// <summary>
    /// Raised for each PPS report, with the edge as a monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/>):
    /// gpsd's host's system clock at the edge, mapped through this host's clock, so only meaningful when gpsd runs on
    /// this machine (or one whose clock agrees with it).
    /// </summary>
    public event Action<long>? PpsEdge;

    /// <summary>Runs until cancelled; connection problems are retried, never thrown.</summary>
    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var backoff = new Backoff(MinBackoff, MaxBackoff);
        var session = new Session(this, context);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxLineLength);
        var down = false;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Stream stream;
                try
                {
                    stream = await _connect(Endpoint, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    Statistics.CountConnectFailure();
                    var wait = backoff.Next();
                    if (!down) LogCannotConnect(context.Logger, Name, Endpoint.ToString(), ex.Message, MaxBackoff.TotalSeconds);
                    down = true;
                    await Task.Delay(wait, context.Time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                Statistics.CountConnect();
                if (down) LogConnectedAgain(context.Logger, Name, Endpoint.ToString(), backoff.Failures);
                down = false;
                string reason;
                await using (stream.ConfigureAwait(false))
                {
                    try
                    {
                        await session.RunAsync(stream, buffer, cancellationToken).ConfigureAwait(false);
                        reason = "closed the connection";
                    }
                    catch (IOException ex)
                    {
                        reason = $"broke the connection ({ex.Message})";
                    }
                }
                Statistics.CountDisconnect();
                if (session.Delivered) backoff.Reset();
                LogDisconnected(context.Logger, Name, Endpoint.ToString(), reason, MaxBackoff.TotalSeconds);
                down = true;
                await Task.Delay(backoff.Next(), context.Time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
