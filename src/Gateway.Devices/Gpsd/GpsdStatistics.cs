using Gateway.Core.Counters;

namespace Gateway.Devices.Gpsd;

/// <summary>Counters of a gpsd connection's life and what it carried; safe to read from any thread.</summary>
public sealed class GpsdStatistics
{
    private readonly AtomicCounter _reports = new();
    private readonly AtomicCounter _fixes = new();
    private readonly AtomicCounter _malformed = new();
    private readonly AtomicCounter _oversized = new();
    private readonly AtomicCounter _connects = new();
    private readonly AtomicCounter _connectFailures = new();
    private readonly AtomicCounter _disconnects = new();
    private readonly AtomicCounter _ppsEdges = new();

    /// <summary>JSON reports read (any class).</summary>
    public long Reports => _reports.Value;

    /// <summary>TPV reports with a 2D/3D fix, each posted as one reading.</summary>
    public long Fixes => _fixes.Value;

    /// <summary>Lines that were not one JSON object of a known shape (bad JSON, wrong types, positions out of range).</summary>
    public long Malformed => _malformed.Value;

    /// <summary>Lines longer than <see cref="GpsdSource.MaxLineLength"/>, skipped up to their end.</summary>
    public long Oversized => _oversized.Value;

    /// <summary>Connections made to gpsd (the first, and every reconnection).</summary>
    public long Connects => _connects.Value;

    /// <summary>Attempts to connect that failed (gpsd not running, refused, unreachable).</summary>
    public long ConnectFailures => _connectFailures.Value;

    /// <summary>Connections that gpsd closed or that broke.</summary>
    public long Disconnects => _disconnects.Value;

    /// <summary>PPS reports turned into edges for the clock.</summary>
    public long PpsEdges => _ppsEdges.Value;

    internal void CountReport() => _reports.Increment();
    internal void CountFix() => _fixes.Increment();
    internal void CountMalformed() => _malformed.Increment();
    internal void CountOversized() => _oversized.Increment();
    internal void CountConnect() => _connects.Increment();
    internal void CountConnectFailure() => _connectFailures.Increment();
    internal void CountDisconnect() => _disconnects.Increment();
    internal void CountPpsEdge() => _ppsEdges.Increment();

    /// <summary>Every counter on one line, for logs and <c>gatewayctl</c> output.</summary>
    public override string ToString() =>
        $"reports={Reports} fixes={Fixes} malformed={Malformed} oversized={Oversized} connects={Connects} connect_failures={ConnectFailures} disconnects={Disconnects} pps_edges={PpsEdges}";
}
