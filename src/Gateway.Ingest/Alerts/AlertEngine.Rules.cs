using System.Globalization;
using Gateway.Ingest.Monitoring;

namespace Gateway.Ingest.Alerts;

// The rules: each turns the fleet state into raise/clear conditions per subject.
public sealed partial class AlertEngine
{
    private List<Condition> Conditions(IReadOnlyDictionary<string, GatewayState> gateways, IReadOnlyDictionary<string, AssetState> assets, DateTimeOffset now)
    {
        var list = new List<Condition>();
        foreach (var g in gateways.Values)
        {
            GatewayOffline(list, g, now);
            EnclosureInputs(list, g);
            EnclosureTemperature(list, g);
        }
        foreach (var a in assets.Values)
        {
            AssetNotSeen(list, a, now);
            OutsideGeofence(list, a);
            Battery(list, a);
            Alarm(list, a);
        }
        return list;
    }

    private void GatewayOffline(List<Condition> list, GatewayState g, DateTimeOffset now)
    {
        var rule = _rules.GatewayOffline;
        if (!rule.Enabled) return;
        // Down since the offline status (the will), or silent since the last message: whichever says it is down longer.
        var downSince = g.Online == false ? g.StatusChangedAt : g.LastSeen ?? g.StatusChangedAt;
        var down = downSince is { } since && now - since > rule.After && !(g.Online == true && g.LastSeen is { } seen && now - seen <= rule.After);
        list.Add(new Condition(AlertRules.GatewayOffline, $"gateway/{g.Id}", down, !down, TimeSpan.Zero, "major", g.Id, null, null,
            $"Gateway {g.Id} offline since {Time(downSince)} (more than {Duration(rule.After)})", $"Gateway {g.Id} is back online"));
    }

    private void EnclosureInputs(List<Condition> list, GatewayState g)
    {
        var rule = _rules.EnclosureInput;
        if (!rule.Enabled) return;
        foreach (var (name, input) in g.Inputs)
        {
            // Only inputs the gateway marks as alarm inputs (door, tamper); others are plain status contacts.
            if (!input.Alarm) continue;
            list.Add(new Condition(AlertRules.EnclosureInput, $"gateway/{g.Id}/{name}", input.State, !input.State, rule.Hold, "major", g.Id, null, name,
                $"Enclosure input '{name}' at {g.Id} is open/active (door or tamper)", $"Enclosure input '{name}' at {g.Id} is closed again"));
        }
    }

    private void EnclosureTemperature(List<Condition> list, GatewayState g)
    {
        var rule = _rules.EnclosureTemperature;
        if (!rule.Enabled) return;
        var readings = g.Env.Where(e => e.Value.Temperature is not null && (rule.Sensors.Count == 0 || rule.Sensors.Contains(e.Key))).ToList();
        if (readings.Count == 0) return;
        var (sensor, hottest) = readings.MaxBy(e => e.Value.Temperature!.Value);
        var t = hottest.Temperature!.Value;
        list.Add(new Condition(AlertRules.EnclosureTemperature, $"gateway/{g.Id}", t > rule.RaiseAboveC, t < rule.ClearBelowC, rule.Hold, "minor", g.Id, null, sensor,
            $"Enclosure temperature at {g.Id} is {t:0.0} °C ('{sensor}'; limit {rule.RaiseAboveC:0.#} °C)",
            $"Enclosure temperature at {g.Id} is back to {t:0.0} °C"));
    }

    private void AssetNotSeen(List<Condition> list, AssetState a, DateTimeOffset now)
    {
        var rule = _rules.AssetNotSeen;
        if (!rule.Enabled) return;
        // A configured asset never heard since start counts from the start.
        var since = a.LastSeen ?? _startedAt;
        var missing = now - since > rule.After;
        list.Add(new Condition(AlertRules.AssetNotSeen, $"asset/{a.Tag}", missing, !missing, TimeSpan.Zero, "major", a.Gateway, a.Tag, null,
            $"Asset {a.Name} ({a.Tag}) not seen since {Time(a.LastSeen)} (more than {Duration(rule.After)})",
            $"Asset {a.Name} ({a.Tag}) seen again at {a.Gateway}"));
    }

    private void OutsideGeofence(List<Condition> list, AssetState a)
    {
        var rule = _rules.Geofence;
        if (!rule.Enabled || a.Lat is not { } lat || a.Lon is not { } lon) return;
        if (FenceOf(a) is not ({ } fence, var fenceName)) return;
        // Raised only beyond the margin, cleared only back inside: between the two (the band along the fence where GPS
        // noise and a perimeter road put a vehicle) nothing changes, and the hold is the dwell time on either side.
        var outside = Geofence.MetersOutside(fence, lat, lon);
        list.Add(new Condition(AlertRules.Geofence, $"asset/{a.Tag}", outside > rule.MarginMeters, outside == 0, rule.Hold, "major", a.Gateway, a.Tag, null,
            $"Asset {a.Name} ({a.Tag}) left {fenceName}: at {lat.ToString("0.00000", CultureInfo.InvariantCulture)}, {lon.ToString("0.00000", CultureInfo.InvariantCulture)}",
            $"Asset {a.Name} ({a.Tag}) is back inside {fenceName}"));
    }

    /// <summary>The asset's own polygon, else its site's, else the site of the gateway that last heard it.</summary>
    private (IReadOnlyList<(double Lat, double Lon)>?, string) FenceOf(AssetState a)
    {
        if (_assets.TryGetValue(a.Tag, out var c) && c.Geofence is not null) return (c.Geofence, "its geofence");
        // The asset's home site as the registry says now (an operator may have moved it), else where it was heard.
        var site = a.Site ?? (a.Gateway is not null ? _gatewaySites.GetValueOrDefault(a.Gateway) : null);
        return site is not null && _siteFences.TryGetValue(site, out var fence) ? (fence, $"site {site}") : (null, "");
    }

    private void Battery(List<Condition> list, AssetState a)
    {
        var rule = _rules.TagBatteryLow;
        if (!rule.Enabled || (a.BatteryMv is null && a.LowBattery is null)) return;
        var raise = a.LowBattery == true || a.BatteryMv < rule.RaiseBelowMv;
        var clear = a.LowBattery != true && a.BatteryMv is { } mv && mv > rule.ClearAboveMv;
        list.Add(new Condition(AlertRules.TagBatteryLow, $"asset/{a.Tag}", raise, clear, rule.Hold, "minor", a.Gateway, a.Tag, null,
            $"Asset {a.Name} ({a.Tag}) battery low: {a.BatteryMv?.ToString(CultureInfo.InvariantCulture) ?? "?"} mV", $"Asset {a.Name} ({a.Tag}) battery recovered: {a.BatteryMv} mV"));
    }

    private void Alarm(List<Condition> list, AssetState a)
    {
        var rule = _rules.TagAlarm;
        if (!rule.Enabled || a.Alarm is not { } alarm) return;
        list.Add(new Condition(AlertRules.TagAlarm, $"asset/{a.Tag}", alarm, !alarm, rule.Hold, "critical", a.Gateway, a.Tag, null,
            $"Alarm button pressed on asset {a.Name} ({a.Tag}), heard by {a.Gateway}", $"Alarm on asset {a.Name} ({a.Tag}) ended"));
    }

    private static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "never";

    private static string Duration(TimeSpan t) => t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#} min" : $"{t.TotalSeconds:0} s";
}
