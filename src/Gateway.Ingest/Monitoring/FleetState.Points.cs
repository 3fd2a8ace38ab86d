using Gateway.Telemetry.LineProtocol;

namespace Gateway.Ingest.Monitoring;

// One point of telemetry applied to the fleet, by measurement (the team's measurement contract, DESIGN §4.4).
public sealed partial class FleetState
{
    /// <summary>Applies one point; returns the asset tag it changed, if any. Called under the lock.</summary>
    private string? ApplyPoint(GatewayState g, LinePoint p, DateTimeOffset at)
    {
        var sensor = Tag(p, "sensor") ?? "";
        TrackSequence(g, p, sensor);
        switch (p.Measurement)
        {
            case "gps":
                if (Num(p, "lat") is { } lat && Num(p, "lon") is { } lon && IsPosition(lat, lon)) (g.Lat, g.Lon) = (lat, lon);
                return null;
            case "env":
                if (g.Env.Count < MaxSeriesPerGateway || g.Env.ContainsKey(sensor))
                    g.Env[sensor] = new EnvReading(Num(p, "temperature"), Num(p, "humidity"), Num(p, "pressure"), at);
                return null;
            case "input":
                if (Bool(p, "state") is { } state && (g.Inputs.Count < MaxSeriesPerGateway || g.Inputs.ContainsKey(sensor)))
                    g.Inputs[sensor] = new InputReading(state, Bool(p, "alarm") ?? false, at);
                return null;
            case "power":
                g.BusVoltage = Num(p, "bus_voltage") ?? g.BusVoltage;
                g.Current = Num(p, "current") ?? g.Current;
                return null;
            case "cpu":
                g.CpuTemperature = Num(p, "temperature") ?? g.CpuTemperature;
                return null;
            case "gateway":
                g.QueueRecords = Int(p, "queue_records") ?? g.QueueRecords;
                g.OldestUnsentSeconds = Num(p, "oldest_unsent_s") ?? g.OldestUnsentSeconds;
                g.Dropped = Int(p, "dropped") ?? g.Dropped;
                return null;
            case "tag":
                return ApplyTag(g, p, at);
            default:
                return null;
        }
    }

    private string? ApplyTag(GatewayState g, LinePoint p, DateTimeOffset at)
    {
        var tag = Tag(p, "tag");
        if (!Topics.FleetTopic.IsTagId(tag)) return null;
        // Each gateway within its own tag quota: one gateway's flood never pushes out another's assets (nor raises their alerts).
        if (!_tags.Admit(g.Id, tag) || Asset(tag) is not { } a) return null;
        // Several gateways may hear the same frame; an older frame never overwrites a newer one.
        if (a.LastSeen is { } seen && at < seen) return null;
        a.LastSeen = at;
        a.ChangedAt = ++_changes;
        a.Gateway = g.Id;
        a.BatteryMv = Int(p, "battery_mv") ?? a.BatteryMv;
        a.Moving = Bool(p, "moving") ?? a.Moving;
        a.Alarm = Bool(p, "alarm") ?? a.Alarm;
        a.LowBattery = Bool(p, "low_battery") ?? a.LowBattery;
        a.Rssi = Num(p, "rssi") ?? a.Rssi;
        a.Snr = Num(p, "snr") ?? a.Snr;
        if (Num(p, "lat") is { } lat && Num(p, "lon") is { } lon && IsPosition(lat, lon))
        {
            (a.Lat, a.Lon, a.PositionAt) = (lat, lon, at);
            AddTrail(a, at, lat, lon);
        }
        return tag;
    }

    private void AddTrail(AssetState a, DateTimeOffset at, double lat, double lon)
    {
        var t = at.ToUnixTimeMilliseconds();
        a.Trail.Add(new TrailPoint(t, lat, lon));
        var oldest = (_time.GetUtcNow() - _trailLength).ToUnixTimeMilliseconds();
        var drop = 0;
        while (drop < a.Trail.Count && (a.Trail[drop].T < oldest || a.Trail.Count - drop > MaxTrailPoints)) drop++;
        if (drop > 0) a.Trail.RemoveRange(0, drop);
    }

    private void TrackSequence(GatewayState g, LinePoint p, string sensor)
    {
        foreach (var f in p.Fields)
        {
            if (!_sequenceFields.Contains((p.Measurement, f.Key)) || f.Value.Kind is not (LineFieldKind.Integer or LineFieldKind.UInteger)) continue;
            var key = $"{p.Measurement}/{sensor}";
            if (!g.Sequences.TryGetValue(key, out var tracker))
            {
                if (g.Sequences.Count >= MaxSeriesPerGateway) return;
                g.Sequences[key] = tracker = new SequenceTracker();
            }
            var seq = f.Value.Kind == LineFieldKind.Integer ? f.Value.Integer : (long)Math.Min(f.Value.UInteger, long.MaxValue);
            tracker.Observe(seq, p.Timestamp ?? 0);
        }
    }

    private static bool IsPosition(double lat, double lon) => lat is >= -90 and <= 90 && lon is >= -180 and <= 180 && !(lat == 0 && lon == 0);

    internal static string? Tag(LinePoint p, string key)
    {
        foreach (var t in p.Tags) if (t.Key == key) return t.Value;
        return null;
    }

    internal static double? Num(LinePoint p, string key)
    {
        foreach (var f in p.Fields)
        {
            if (f.Key != key) continue;
            return f.Value.Kind switch
            {
                LineFieldKind.Float => f.Value.Float,
                LineFieldKind.Integer => f.Value.Integer,
                LineFieldKind.UInteger => f.Value.UInteger,
                _ => null,
            };
        }
        return null;
    }

    internal static long? Int(LinePoint p, string key) => Num(p, key) is { } d ? (long)d : null;

    internal static bool? Bool(LinePoint p, string key)
    {
        foreach (var f in p.Fields)
            if (f.Key == key) return f.Value.Kind == LineFieldKind.Boolean ? f.Value.Boolean : null;
        return null;
    }
}
