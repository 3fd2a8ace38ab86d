using System.Text.Json;
using Gateway.Core.Files;
using Gateway.Ingest.Configuration;

namespace Gateway.Ingest.Monitoring;

// The asset registry (what each tag is called, what it is, its home site, owner and notes) and the retired gateways.
// The central config seeds the registry; an operator edits it on the dashboard, and those edits are kept in the state
// directory (registry.json), where they win over the config's entry for the same tag. A retired gateway is dropped from
// the live state and ignored while it stays retired; its history in the store is untouched.
public sealed partial class FleetState
{
    /// <summary>Registered tags: a bound on what operators may add, far above any site's asset list.</summary>
    public const int MaxRegistered = 20_000;

    private readonly Dictionary<string, RetiredGateway> _retired = new(StringComparer.Ordinal);

    /// <summary>Every registered asset, by name.</summary>
    public IReadOnlyList<AssetConfig> Registry()
    {
        lock (_lock) return _assetConfig.Values.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Adds or replaces a registry entry (keeping a configured geofence); false when the registry is full.</summary>
    public bool Register(AssetConfig entry)
    {
        lock (_lock)
        {
            var old = _assetConfig.GetValueOrDefault(entry.Tag);
            if (old is null && _assetConfig.Count >= MaxRegistered) return false;
            _assetConfig[entry.Tag] = entry with { Geofence = entry.Geofence ?? old?.Geofence };
            if (Asset(entry.Tag) is { } a)
            {
                Name(a);
                a.ChangedAt = ++_changes;
            }
        }
        Changed?.Invoke($"asset/{entry.Tag}");
        return true;
    }

    public IReadOnlyList<RetiredGateway> Retired()
    {
        lock (_lock) return _retired.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    public bool IsRetired(string id)
    {
        lock (_lock) return _retired.ContainsKey(id);
    }

    /// <summary>Retires a gateway: gone from the live lists, its messages ignored until <see cref="Restore"/>.</summary>
    public void Retire(string id, string user)
    {
        lock (_lock)
        {
            _retired[id] = new RetiredGateway(id, _time.GetUtcNow(), user);
            _gateways.Remove(id);
        }
        Changed?.Invoke($"gateway/{id}");
    }

    public bool Restore(string id)
    {
        bool removed;
        lock (_lock) removed = _retired.Remove(id);
        if (removed) Changed?.Invoke($"gateway/{id}");
        return removed;
    }

    public void SaveRegistry(string path)
    {
        PersistedRegistry snapshot;
        lock (_lock) snapshot = new PersistedRegistry(_assetConfig.Values.Select(PersistedEntry.From).ToList(), [.. _retired.Values]);
        // An operator's edit is rare and must survive a power cut: the one atomic, fsynced replacement in the tree.
        JsonStateFile.Write(path, snapshot, Json, AtomicFile.Readable);
    }

    public bool LoadRegistry(string path, out string? problem)
    {
        problem = null;
        if (!JsonStateFile.TryRead<PersistedRegistry>(path, Json, out var saved, out var error))
        {
            if (error is not null)
                problem = $"{path} cannot be read ({error.Message}); the asset registry is the config's and no gateway is retired";
            return false;
        }
        lock (_lock)
        {
            foreach (var e in saved?.Assets ?? [])
            {
                if (!Topics.FleetTopic.IsTagId(e.Tag) || e.Name is null || _assetConfig.Count >= MaxRegistered && !_assetConfig.ContainsKey(e.Tag)) continue;
                _assetConfig[e.Tag] = new AssetConfig(e.Tag, e.Name, e.Site, _assetConfig.GetValueOrDefault(e.Tag)?.Geofence, e.Kind, e.Owner, e.Notes);
                if (Asset(e.Tag) is { } a) Name(a);
            }
            foreach (var r in saved?.Retired ?? [])
            {
                if (r.Id is null) continue;
                _retired[r.Id] = r;
                _gateways.Remove(r.Id);
            }
        }
        return true;
    }

    /// <summary>Copies the registry's entry (or its absence) onto an asset. Under the lock.</summary>
    private void Name(AssetState a)
    {
        var c = _assetConfig.GetValueOrDefault(a.Tag);
        (a.Name, a.Site, a.Kind, a.Owner, a.Notes, a.Registered) = (c?.Name ?? a.Tag, c?.Site, c?.Kind, c?.Owner, c?.Notes, c is not null);
    }

    private sealed record PersistedRegistry(List<PersistedEntry>? Assets, List<RetiredGateway>? Retired);

    private sealed record PersistedEntry(string? Tag, string? Name, string? Kind, string? Site, string? Owner, string? Notes)
    {
        public static PersistedEntry From(AssetConfig a) => new(a.Tag, a.Name, a.Kind, a.Site, a.Owner, a.Notes);
    }
}

/// <summary>A gateway an operator retired: when and by whom.</summary>
public sealed record RetiredGateway(string Id, DateTimeOffset At, string By);
