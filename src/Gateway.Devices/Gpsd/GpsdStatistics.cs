namespace Gateway.Devices.Gpsd;

/// <summary>Counters of a gpsd connection's life and what it carried; safe to read from any thread.</summary>
public sealed class GpsdStatistics
{
    private long _reports, _fixes, _malformed, _oversized, _connects, _connectFailures, _disconnects, _ppsEdges;

    /// <summary>JSON reports read (any class).</summary>
    public long Reports => Interlocked.Read(ref _reports);

    /// <summary>TPV reports with a 2D/3D fix, each posted as one reading.</summary>
    public long Fixes => Interlocked.Read(ref _fixes);

    /// <summary>Lines that were not one JSON object of a known shape (bad JSON, wrong types, positions out of range).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Lines longer than <see cref="GpsdSource.MaxLineLength"/>, skipped up to their end.</summary>
    public long Oversized => Interlocked.Read(ref _oversized);

    /// <summary>Connections made to gpsd (the first, and every reconnection).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Attempts to connect that failed (gpsd not running, refused, unreachable).</summary>
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    /// <summary>Connections that gpsd closed or that broke.</summary>
    public long Disconnects => Interlocked.Read(ref _disconnects);

    /// <summary>PPS reports turned into edges for the clock.</summary>
    public long PpsEdges => Interlocked.Read(ref _ppsEdges);

    internal void CountReport() => Interlocked.Increment(ref _reports);
    internal void CountFix() => Interlocked.Increment(ref _fixes);
    internal void CountMalformed() => Interlocked.Increment(ref _malformed);
    internal void CountOversized() => Interlocked.Increment(ref _oversized);
    internal void CountConnect() => Interlocked.Increment(ref _connects);
    internal void CountConnectFailure() => Interlocked.Increment(ref _connectFailures);
    internal void CountDisconnect() => Interlocked.Increment(ref _disconnects);
    internal void CountPpsEdge() => Interlocked.Increment(ref _ppsEdges);

    public override string ToString() =>
        $"reports={Reports} fixes={Fixes} malformed={Malformed} oversized={Oversized} connects={Connects} connect_failures={ConnectFailures} disconnects={Disconnects} pps_edges={PpsEdges}";
}
