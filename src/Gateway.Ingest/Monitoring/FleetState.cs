using Gateway.Ingest.Configuration;
using Gateway.Ingest.Topics;
using Gateway.Telemetry.LineProtocol;
using Gateway.Core.Counters;

namespace Gateway.Ingest.Monitoring;

/// <summary>
/// The fleet as the monitor sees it: gateways (status, backlog, power, enclosure) and assets (last position, battery,
/// trail), built from every telemetry, events and status message. One lock guards it; readers take snapshots.
/// Everything here comes from outside, so every collection is bounded.
/// </summary>
public sealed partial class FleetState
{
    public const int MaxGateways = 20_000;
    public const int MaxAssets = 50_000;
    public const int MaxTrailPoints = 2_000;
    public const int MaxSeriesPerGateway = 64;
    public const int MaxRecentEvents = 200;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, GatewayState> _gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AssetState> _assets = new(StringComparer.Ordinal);
    private readonly LinkedList<FleetEvent> _events = new();
    private readonly Dictionary<string, string> _gatewaySites;
    private readonly Dictionary<string, AssetConfig> _assetConfig;
    private readonly HashSet<(string, string)> _sequenceFields;
    private readonly TimeSpan _trailLength;
    private readonly IngestConfig _window;
    private readonly Payloads.TagAdmission _tags;
    private readonly TimeProvider _time;
    private long _changes;
    private readonly AtomicCounter _refused = new();
    private readonly AtomicCounter _outsideWindow = new();

    public FleetState(CentralConfig config, TimeProvider time)
    {
        _time = time;
        _trailLength = config.Dashboard.TrailLength;
        _window = config.Ingest;
        // A minute's worth of burst: the monitor reloads the assets it knew (Load), so a restart does not need more.
        _tags = new Payloads.TagAdmission(config.Ingest.MaxTagsPerGateway, config.Ingest.NewTagsPerMinute, burst: config.Ingest.NewTagsPerMinute, config.Assets.Select(a => a.Tag), time);
        _gatewaySites = config.Sites.SelectMany(s => s.Gateways.Select(g => (g, s.Name))).ToDictionary(p => p.g, p => p.Name, StringComparer.Ordinal);
        _assetConfig = config.Assets.ToDictionary(a => a.Tag, StringComparer.Ordinal);
        _sequenceFields = config.Ingest.Sequences.Select(s => (s.Measurement, s.Field)).ToHashSet();
        foreach (var a in config.Assets) Asset(a.Tag);
    }

    /// <summary>Raised (outside the lock) with "gateway/ID" or "asset/TAG" after a change; handlers must be quick.</summary>
    public event Action<string>? Changed;

    /// <summary>Gateways or assets not tracked because a bound was reached.</summary>
    public long Refused => _refused.Value;

    /// <summary>Points not applied because their time is outside <c>ingest.plausibleTime</c>.</summary>
    public long OutsideTimeWindow => _outsideWindow.Value;

    /// <summary>Counts points the decoder already dropped for their time, so that the monitor's counter covers them.</summary>
    public void CountOutsideWindow(int points) => _outsideWindow.Add(points);

    /// <summary>Applies a retained <c>fleet/{gateway}/status</c> JSON (birth or will).</summary>
    public void ApplyStatus(string gatewayId, ReadOnlySpan<byte> payload)
    {
        var status = GatewayStatus.Parse(payload);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (Gateway(gatewayId) is not { } g) return;
            if (status.Online is { } online && online != g.Online)
            {
                // A retained status replayed at subscribe time that matches the saved state changes nothing, so the
                // "since" survives an ingest restart.
                g.Online = online;
                g.StatusChangedAt = now;
            }
            g.Version = status.Version ?? g.Version;
            g.Profile = status.Profile ?? g.Profile;
            g.ChangedAt = ++_changes;
        }
        Changed?.Invoke($"gateway/{gatewayId}");
    }

    /// <summary>
    /// Applies the points of one telemetry or events message (already stamped with the topic's gateway). A point stamped
    /// outside the plausible window is skipped and counted: live state never moves to a time that has not come (a
    /// 9999-12-31 frame would hold an asset there forever and silence its asset_not_seen and geofence alerts).
    /// </summary>
    public void ApplyPoints(string gatewayId, FleetTopicKind kind, IReadOnlyList<LinePoint> points)
    {
        var now = _time.GetUtcNow();
        var window = _window.Window(now);
        var changedAssets = new List<string>();
        lock (_lock)
        {
            if (Gateway(gatewayId) is not { } g) return;
            g.LastSeen = now;
            // A message proves the gateway is connected, whatever a stale retained status said.
            if (g.Online != true) { g.Online = true; g.StatusChangedAt = now; }
            foreach (var p in points)
            {
                var ms = p.Timestamp ?? now.ToUnixTimeMilliseconds();
                if (!window.Contains(ms))
                {
                    _outsideWindow.Increment();
                    continue;
                }
                var at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                if (kind == FleetTopicKind.Events) { AddEvent(gatewayId, p, at); continue; }
                if (g.LastPublish is null || at > g.LastPublish) g.LastPublish = at;
                if (ApplyPoint(g, p, at) is { } tag) changedAssets.Add(tag);
            }
            g.ChangedAt = ++_changes;
        }
        Changed?.Invoke($"gateway/{gatewayId}");
        foreach (var tag in changedAssets.Distinct()) Changed?.Invoke($"asset/{tag}");
    }

    /// <summary>The change counter: every change to a gateway or an asset counts one and stamps it (<see cref="ChangedSince"/>).</summary>
    public long Version
    {
        get { lock (_lock) return _changes; }
    }

    /// <summary>
    /// The gateways and assets changed after <paramref name="version"/> (a <see cref="Version"/> read earlier) and the
    /// version they bring the reader to: what a live stream sends, one scan of the fleet for any number of changes.
    /// </summary>
    public (IReadOnlyList<GatewayView> Gateways, IReadOnlyList<AssetView> Assets, long Version) ChangedSince(long version)
    {
        var gateways = new List<GatewayView>();
        var assets = new List<AssetView>();
        lock (_lock)
        {
            foreach (var g in _gateways.Values) if (g.ChangedAt > version) gateways.Add(View(g));
            foreach (var a in _assets.Values) if (a.ChangedAt > version) assets.Add(View(a));
            return (gateways, assets, _changes);
        }
    }

    /// <summary>Runs <paramref name="read"/> under the lock (the alert engine's evaluation); it must not block.</summary>
    public T Inspect<T>(Func<IReadOnlyDictionary<string, GatewayState>, IReadOnlyDictionary<string, AssetState>, T> read)
    {
        lock (_lock) return read(_gateways, _assets);
    }

    private GatewayState? Gateway(string id)
    {
        if (_gateways.TryGetValue(id, out var g)) return g;
        if (_retired.ContainsKey(id)) return null;
        if (_gateways.Count >= MaxGateways)
        {
            _refused.Increment();
            return null;
        }
        g = new GatewayState(id) { Site = _gatewaySites.GetValueOrDefault(id) };
        _gateways.Add(id, g);
        return g;
    }

    private AssetState? Asset(string tag)
    {
        if (_assets.TryGetValue(tag, out var a)) return a;
        if (_assets.Count >= MaxAssets)
        {
            _refused.Increment();
            return null;
        }
        a = new AssetState(tag);
        Name(a);
        _assets.Add(tag, a);
        return a;
    }

    private void AddEvent(string gatewayId, LinePoint p, DateTimeOffset at)
    {
        var kind = p.Tags.Find(t => t.Key == "kind").Value ?? p.Measurement;
        var message = p.Fields.Find(f => f.Key == "message") is { Key: not null } m && m.Value.Kind == LineFieldKind.String ? m.Value.String : "";
        _events.AddFirst(new FleetEvent(at, gatewayId, kind, message.Length > 500 ? message[..500] : message));
        while (_events.Count > MaxRecentEvents) _events.RemoveLast();
    }
}

public sealed record FleetEvent(DateTimeOffset At, string Gateway, string Kind, string Message);
