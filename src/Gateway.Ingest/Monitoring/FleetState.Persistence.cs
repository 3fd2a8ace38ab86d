using System.Text.Json;
using Gateway.Core.Files;

namespace Gateway.Ingest.Monitoring;

// Gateway status and asset last positions survive a restart of the central service (issue 7): saved as JSON in the
// state directory, replaced crash-atomically and durably (AtomicFile), so a crash never leaves half a file.
public sealed partial class FleetState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Save(string path)
    {
        PersistedFleet snapshot;
        lock (_lock)
        {
            snapshot = new PersistedFleet(
                _gateways.Values.Select(g => new PersistedGateway(g.Id, g.Online, g.StatusChangedAt, g.LastSeen, g.LastPublish, g.Version, g.Profile, g.Lat, g.Lon)).ToList(),
                _assets.Values.Where(a => a.LastSeen is not null)
                    .Select(a => new PersistedAsset(a.Tag, a.LastSeen, a.Gateway, a.BatteryMv, a.Moving, a.Lat, a.Lon, a.PositionAt)).ToList());
        }
        JsonStateFile.Write(path, snapshot, Json, AtomicFile.Readable);
    }

    /// <summary>Loads a saved state; returns false (and keeps the empty state) when there is none or it is unreadable.</summary>
    public bool Load(string path, out string? problem)
    {
        problem = null;
        if (!JsonStateFile.TryRead<PersistedFleet>(path, Json, out var saved, out var error))
        {
            if (error is not null)
                problem = $"{path} cannot be read ({error.Message}); starting with an empty fleet state (it is rebuilt from the broker's retained status and new data)";
            return false;
        }
        if (saved is null) return false;
        // A state saved before times were bounded may hold a future time (a 9999-12-31 frame): such a time is forgotten,
        // as if never seen, so the asset's alerts work again instead of waiting for that date.
        var window = _window.Window(_time.GetUtcNow());
        DateTimeOffset? Plausible(DateTimeOffset? at) => at is { } t && t.ToUnixTimeMilliseconds() > window.MaxUnixMs ? null : at;
        lock (_lock)
        {
            foreach (var p in saved.Gateways ?? [])
            {
                if (p.Id is null || !Topics.FleetTopic.IsGatewayId(p.Id) || Gateway(p.Id) is not { } g) continue;
                (g.Online, g.StatusChangedAt, g.LastSeen, g.LastPublish, g.Version, g.Profile, g.Lat, g.Lon) =
                    (p.Online, Plausible(p.StatusChangedAt), Plausible(p.LastSeen), Plausible(p.LastPublish), p.Version, p.Profile, p.Lat, p.Lon);
            }
            foreach (var p in saved.Assets ?? [])
            {
                if (!Topics.FleetTopic.IsTagId(p.Tag) || Asset(p.Tag) is not { } a) continue;
                if (Plausible(p.LastSeen) is null || Plausible(p.PositionAt) is null && p.PositionAt is not null) continue;
                if (p.Gateway is not null) _tags.Remember(p.Gateway, p.Tag);
                (a.LastSeen, a.Gateway, a.BatteryMv, a.Moving, a.Lat, a.Lon, a.PositionAt) = (p.LastSeen, p.Gateway, p.BatteryMv, p.Moving, p.Lat, p.Lon, p.PositionAt);
                if (p.Lat is { } lat && p.Lon is { } lon && p.PositionAt is { } at) AddTrail(a, at, lat, lon);
            }
        }
        return true;
    }

    /// <summary>Adds positions from the store (history backfill at start) to the trails, in time order, without duplicates.</summary>
    public void ImportTrails(IReadOnlyDictionary<string, IReadOnlyList<TrailPoint>> trails)
    {
        // The store may hold points stamped in the future (written before times were bounded): they stay out of live state.
        var window = _window.Window(_time.GetUtcNow());
        lock (_lock)
        {
            foreach (var (tag, all) in trails)
            {
                var points = all.Where(p => window.Contains(p.T)).ToList();
                if (points.Count == 0 || Asset(tag) is not { } a) continue;
                var merged = a.Trail.Concat(points).DistinctBy(p => p.T).OrderBy(p => p.T).ToList();
                a.Trail.Clear();
                foreach (var p in merged) AddTrail(a, DateTimeOffset.FromUnixTimeMilliseconds(p.T), p.Lat, p.Lon);
                var last = merged[^1];
                if (a.PositionAt is null || a.PositionAt.Value.ToUnixTimeMilliseconds() < last.T)
                    (a.Lat, a.Lon, a.PositionAt, a.LastSeen) = (last.Lat, last.Lon, DateTimeOffset.FromUnixTimeMilliseconds(last.T), a.LastSeen ?? DateTimeOffset.FromUnixTimeMilliseconds(last.T));
            }
        }
    }

    private sealed record PersistedFleet(List<PersistedGateway>? Gateways, List<PersistedAsset>? Assets);

    private sealed record PersistedGateway(string? Id, bool? Online, DateTimeOffset? StatusChangedAt, DateTimeOffset? LastSeen,
        DateTimeOffset? LastPublish, string? Version, string? Profile, double? Lat, double? Lon);

    private sealed record PersistedAsset(string? Tag, DateTimeOffset? LastSeen, string? Gateway, long? BatteryMv, bool? Moving,
        double? Lat, double? Lon, DateTimeOffset? PositionAt);
}
