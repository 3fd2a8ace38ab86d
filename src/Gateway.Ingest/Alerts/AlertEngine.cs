using Gateway.Ingest.Configuration;
using Gateway.Ingest.Monitoring;

namespace Gateway.Ingest.Alerts;

/// <summary>
/// Evaluates the alert rules against the fleet state (every second, from <see cref="MonitorWorker"/>) and keeps the
/// alert list: active alerts and the most recent cleared ones, with acknowledgements. Raises and clears are handed to
/// <see cref="Changed"/>; delivery (store, MQTT, webhook, dashboards) is not this class's business.
/// </summary>
public sealed partial class AlertEngine
{
    /// <summary>Cleared alerts kept for the list; the store has the full history.</summary>
    public const int MaxCleared = 500;

    private readonly Lock _lock = new();
    private readonly AlertsConfig _rules;
    private readonly FleetState _fleet;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, IReadOnlyList<(double Lat, double Lon)>> _siteFences;
    private readonly Dictionary<string, string> _gatewaySites;
    private readonly Dictionary<string, AssetConfig> _assets;
    private readonly Dictionary<string, AlertTracker> _trackers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Alert> _alerts = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _startedAt;

    public AlertEngine(CentralConfig config, FleetState fleet, TimeProvider time)
    {
        _rules = config.Alerts;
        _fleet = fleet;
        _time = time;
        _startedAt = time.GetUtcNow();
        _siteFences = config.Sites.Where(s => s.Geofence is not null).ToDictionary(s => s.Name, s => s.Geofence!, StringComparer.Ordinal);
        _gatewaySites = config.Sites.SelectMany(s => s.Gateways.Select(g => (g, s.Name))).ToDictionary(p => p.g, p => p.Name, StringComparer.Ordinal);
        _assets = config.Assets.ToDictionary(a => a.Tag, StringComparer.Ordinal);
    }

    /// <summary>Raised for each raise and clear, outside the lock.</summary>
    public event Action<AlertChange>? Changed;

    /// <summary>Active alerts first (newest first), then recently cleared ones.</summary>
    public IReadOnlyList<Alert> List()
    {
        lock (_lock)
            return _alerts.Values.OrderByDescending(a => a.Active).ThenByDescending(a => a.ClearedAt ?? a.RaisedAt).ToList();
    }

    /// <summary>
    /// Marks an active alert acknowledged by <paramref name="user"/>; null when there is no such alert. A cleared alert
    /// is returned unchanged (nothing is left to acknowledge: the condition is over), <paramref name="refused"/> true.
    /// </summary>
    public Alert? Acknowledge(string id, string user, out bool refused)
    {
        Alert updated;
        refused = false;
        lock (_lock)
        {
            if (!_alerts.TryGetValue(id, out var alert)) return null;
            if (!alert.Active)
            {
                refused = true;
                return alert;
            }
            if (alert.AcknowledgedBy is not null) return alert;
            _alerts[id] = updated = alert with { AcknowledgedBy = user, AcknowledgedAt = _time.GetUtcNow() };
        }
        Changed?.Invoke(new AlertChange(updated, AlertTransition.None, _time.GetUtcNow()));
        return updated;
    }

    /// <summary>
    /// Forgets the gateway alerts of a retired gateway (their subject is gone, so they could never clear). Nothing is
    /// delivered: no condition changed; the caller tells the dashboards.
    /// </summary>
    public void Forget(string gatewayId)
    {
        lock (_lock)
        {
            foreach (var a in _alerts.Values.Where(a => a.Gateway == gatewayId && a.Tag is null).ToList())
            {
                _alerts.Remove(a.Id);
                _trackers.Remove(a.Id);
            }
        }
    }

    /// <summary>Evaluates every rule once; returns the raises and clears (also raised through <see cref="Changed"/>).</summary>
    public IReadOnlyList<AlertChange> Evaluate()
    {
        var now = _time.GetUtcNow();
        var conditions = _fleet.Inspect((gateways, assets) => Conditions(gateways, assets, now));
        var changes = new List<AlertChange>();
        lock (_lock)
        {
            foreach (var c in conditions)
            {
                var id = $"{c.Rule}:{c.Subject}";
                if (!_trackers.TryGetValue(id, out var tracker)) _trackers[id] = tracker = new AlertTracker();
                var transition = tracker.Update(c.Raise, c.Clear, now, c.Hold);
                if (transition == AlertTransition.None) continue;
                Alert alert = transition == AlertTransition.Raised
                    ? new Alert(id, c.Rule, c.Severity, c.Gateway, c.Tag, c.Sensor, c.Message, true, now, null, null, null)
                    : (_alerts.TryGetValue(id, out var old) ? old : new Alert(id, c.Rule, c.Severity, c.Gateway, c.Tag, c.Sensor, c.Message, true, now, null, null, null))
                        with { Active = false, ClearedAt = now, Message = c.ClearMessage };
                _alerts[id] = alert;
                changes.Add(new AlertChange(alert, transition, now));
            }
            TrimCleared();
        }
        foreach (var change in changes) Changed?.Invoke(change);
        return changes;
    }

    private void TrimCleared()
    {
        var cleared = _alerts.Values.Where(a => !a.Active).ToList();
        if (cleared.Count <= MaxCleared) return;
        foreach (var a in cleared.OrderBy(a => a.ClearedAt).Take(cleared.Count - MaxCleared)) _alerts.Remove(a.Id);
    }

    /// <summary>One rule applied to one subject at one moment.</summary>
    private sealed record Condition(string Rule, string Subject, bool Raise, bool Clear, TimeSpan Hold, string Severity,
        string? Gateway, string? Tag, string? Sensor, string Message, string ClearMessage);
}
