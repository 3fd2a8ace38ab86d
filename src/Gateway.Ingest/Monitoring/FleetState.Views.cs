using System.Globalization;
using System.Text;

namespace Gateway.Ingest.Monitoring;

// Snapshots for the API and the metrics report, taken under the lock.
public sealed partial class FleetState
{
    public IReadOnlyList<GatewayView> Gateways()
    {
        lock (_lock) return _gateways.Values.OrderBy(g => g.Id, StringComparer.Ordinal).Select(View).ToList();
    }

    public GatewayView? GatewayById(string id)
    {
        lock (_lock) return _gateways.TryGetValue(id, out var g) ? View(g) : null;
    }

    public IReadOnlyList<AssetView> Assets()
    {
        lock (_lock) return _assets.Values.OrderBy(a => a.Name, StringComparer.Ordinal).Select(View).ToList();
    }

    public AssetView? AssetByTag(string tag)
    {
        lock (_lock) return _assets.TryGetValue(tag, out var a) ? View(a) : null;
    }

    public IReadOnlyList<TrailView> Trails()
    {
        lock (_lock)
            return _assets.Values.Where(a => a.Trail.Count > 0)
                .Select(a => new TrailView(a.Tag, a.Trail.Select(p => new[] { p.T, p.Lat, p.Lon }).ToList())).ToList();
    }

    public IReadOnlyList<FleetEvent> RecentEvents()
    {
        lock (_lock) return _events.ToList();
    }

    /// <summary>Per-gateway sequence gaps and duplicates and the online count, in the Prometheus text format.</summary>
    public void WriteMetrics(StringBuilder output)
    {
        lock (_lock)
        {
            output.Append("# HELP fleet_gateways gateways known to the monitor, by state\n# TYPE fleet_gateways gauge\n");
            output.Append("fleet_gateways{state=\"online\"} ").Append(_gateways.Values.Count(g => g.Online == true)).Append('\n');
            output.Append("fleet_gateways{state=\"offline\"} ").Append(_gateways.Values.Count(g => g.Online != true)).Append('\n');
            output.Append("# HELP fleet_assets asset tags known to the monitor\n# TYPE fleet_assets gauge\nfleet_assets ").Append(_assets.Count).Append('\n');
            output.Append("# HELP fleet_sequence_missing sequence numbers skipped and not arrived, per gateway and series (a loss while it stays)\n# TYPE fleet_sequence_missing gauge\n");
            foreach (var (gateway, series, t) in Series()) Line(output, "fleet_sequence_missing", gateway, series, t.Missing);
            output.Append("# HELP fleet_sequence_duplicates_total sequence numbers that arrived more than once (at-least-once re-sends)\n# TYPE fleet_sequence_duplicates_total counter\n");
            foreach (var (gateway, series, t) in Series()) Line(output, "fleet_sequence_duplicates_total", gateway, series, t.Duplicates);
            output.Append("# HELP fleet_sequence_resets_total times a sequence restarted (gateway restart)\n# TYPE fleet_sequence_resets_total counter\n");
            foreach (var (gateway, series, t) in Series()) Line(output, "fleet_sequence_resets_total", gateway, series, t.Resets);
            output.Append("# HELP fleet_refused_total gateways or assets not tracked because a bound was reached\n# TYPE fleet_refused_total counter\nfleet_refused_total ")
                .Append(Refused).Append('\n');
            _tags.WriteMetrics(output, "fleet_refused_asset_tags_total", "asset tag points the monitor did not track: the gateway is over its tag quota (ingest.assetTags)");
            output.Append("# HELP fleet_outside_time_window_total points the monitor skipped for a time outside ingest.plausibleTime\n# TYPE fleet_outside_time_window_total counter\nfleet_outside_time_window_total ")
                .Append(OutsideTimeWindow).Append('\n');
        }
    }

    private IEnumerable<(string Gateway, string Series, SequenceTracker Tracker)> Series() =>
        _gateways.Values.OrderBy(g => g.Id, StringComparer.Ordinal).SelectMany(g => g.Sequences.Select(s => (g.Id, s.Key, s.Value)));

    // Label values are gateway ids and sensor names (validated characters), but escape anyway: the format requires it.
    private static void Line(StringBuilder output, string name, string gateway, string series, long value) =>
        output.Append(name).Append("{gateway=\"").Append(Escape(gateway)).Append("\",series=\"").Append(Escape(series)).Append("\"} ")
            .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static GatewayView View(GatewayState g)
    {
        var enclosure = g.Env.Values.Where(e => e.Temperature is not null).OrderByDescending(e => e.Temperature).FirstOrDefault();
        return new GatewayView(g.Id, g.Site, g.Online, g.StatusChangedAt, g.LastSeen, g.LastPublish, g.Version, g.Lat, g.Lon,
            g.QueueRecords, g.OldestUnsentSeconds, g.Dropped, g.BusVoltage, g.Current, g.CpuTemperature,
            enclosure?.Temperature, enclosure?.Humidity,
            g.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => new InputView(i.Key, i.Value.State, i.Value.Alarm, i.Value.At)).ToList(),
            g.Sequences.Values.Sum(s => s.Missing), g.Sequences.Values.Sum(s => s.Duplicates), g.Sequences.Values.Sum(s => s.Resets));
    }

    private static AssetView View(AssetState a) =>
        new(a.Tag, a.Name, a.Site, a.LastSeen, a.Gateway, a.BatteryMv, a.Moving, a.Alarm, a.LowBattery, a.Rssi, a.Snr, a.Lat, a.Lon, a.PositionAt,
            a.Registered, a.Kind, a.Owner, a.Notes);
}
