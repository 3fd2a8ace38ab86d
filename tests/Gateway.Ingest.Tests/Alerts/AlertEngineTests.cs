using System.Text;
using Gateway.Ingest.Alerts;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.Monitoring;
using Gateway.Ingest.Topics;
using Gateway.Telemetry.LineProtocol;
using Gateway.TestKit.Time;

namespace Gateway.Ingest.Tests.Alerts;

public sealed class AlertEngineTests
{
    // A 0.006° square around 8.494, -13.2299; tag a0000100 belongs to it.
    private const string Config = """
        {
          "alerts": { "enabled": true,
            "gatewayOffline": { "afterSeconds": 60 }, "assetNotSeen": { "afterSeconds": 120 }, "geofence": { "holdSeconds": 10 },
            "tagBatteryLow": { "raiseBelowMv": 3300, "clearAboveMv": 3450, "holdSeconds": 0 },
            "enclosureTemperature": { "raiseAboveC": 50, "clearBelowC": 45, "holdSeconds": 30 } },
          "sites": [ { "name": "North", "gateways": ["gw-1"], "geofence": [[8.491, -13.2329], [8.491, -13.2269], [8.497, -13.2269], [8.497, -13.2329]] } ],
          "assets": [ { "tag": "a0000100", "name": "Truck 1", "site": "North" } ]
        }
        """;

    private readonly ManualTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
    private readonly FleetState _fleet;
    private readonly AlertEngine _engine;

    public AlertEngineTests()
    {
        var config = CentralConfigLoader.Parse(Encoding.UTF8.GetBytes(Config), "t.json", "/");
        _fleet = new FleetState(config, _time);
        _engine = new AlertEngine(config, _fleet, _time);
    }

    [Fact]
    public void Geofence_RaisesAfterTheHoldTime_AndClearsWhenBack()
    {
        Tag(8.494, -13.2299);
        Assert.Empty(Step(TimeSpan.FromSeconds(1)));
        Tag(8.504, -13.2299); // 1.1 km north: outside
        Assert.Empty(Step(TimeSpan.FromSeconds(5)));
        var raised = Step(TimeSpan.FromSeconds(6)).Single();
        Assert.Equal((AlertTransition.Raised, "geofence:asset/a0000100", "Truck 1"), (raised.Transition, raised.Alert.Id, raised.Alert.Message.Split(' ')[1] + " 1"));
        Assert.Contains("left site North", raised.Alert.Message, StringComparison.Ordinal);
        Tag(8.494, -13.2299);
        Assert.Empty(Step(TimeSpan.FromSeconds(5)));
        var cleared = Step(TimeSpan.FromSeconds(6)).Single();
        Assert.Equal(AlertTransition.Cleared, cleared.Transition);
        Assert.False(_engine.List().Single(a => a.Rule == AlertRules.Geofence).Active);
    }

    [Fact]
    public void Geofence_PatrolSkimmingTheFenceWithinTheMargin_NeverRaises()
    {
        // The demo's patrol vehicle: a 350 m circle around a site whose fence is 333 m from its centre at the edges'
        // midpoints, so it is up to 17 m outside for half a minute four times a lap (it raised and cleared 5 times in
        // 7 minutes before the margin existed). 25 m of margin (the default) keeps every lap quiet.
        for (var s = 0; s < 720; s += 2)
        {
            var angle = s * 6.0 / 350;
            Tag(8.494 + (350 * Math.Sin(angle) / 110_574), -13.2299 + (350 * Math.Cos(angle) / (111_320 * Math.Cos(8.494 * Math.PI / 180))));
            Assert.Empty(Step(TimeSpan.FromSeconds(2)));
        }
        Assert.DoesNotContain(_engine.List(), a => a.Rule == AlertRules.Geofence);
    }

    [Fact]
    public void Geofence_RealExitAndJitteryReturn_RaiseOnceAndClearOnce()
    {
        var changes = new List<AlertChange>();
        void Hold(double lat, int seconds)
        {
            Tag(lat, -13.2299);
            changes.AddRange(Step(TimeSpan.FromSeconds(seconds)));
        }
        Hold(8.494, 5);
        // GPS jitter across the northern edge (8.497) on the way out: 11 m inside, 22 m outside, every 4 s.
        for (var i = 0; i < 6; i++) { Hold(8.4969, 4); Hold(8.4972, 4); }
        Hold(8.504, 60); // the real exit: 775 m out for a minute
        for (var i = 0; i < 6; i++) { Hold(8.4972, 4); Hold(8.4969, 4); }
        Hold(8.494, 60);
        Assert.Equal([AlertTransition.Raised, AlertTransition.Cleared], changes.Where(c => c.Alert.Rule == AlertRules.Geofence).Select(c => c.Transition));
    }

    [Fact]
    public void Acknowledge_ClearedAlert_IsRefusedAndUnchanged()
    {
        Tag(8.504, -13.2299);
        Step(TimeSpan.FromSeconds(12));
        Tag(8.494, -13.2299);
        Step(TimeSpan.FromSeconds(12));
        var alert = _engine.Acknowledge("geofence:asset/a0000100", "ops", out var refused);
        Assert.True(refused);
        Assert.Null(alert!.AcknowledgedBy);
        Assert.Null(_engine.List().Single(a => a.Rule == AlertRules.Geofence).AcknowledgedBy);
    }

    [Fact]
    public void Geofence_BriefExcursionShorterThanTheHold_NeverRaises()
    {
        Tag(8.504, -13.2299);
        Assert.Empty(Step(TimeSpan.FromSeconds(9)));
        Tag(8.494, -13.2299);
        Assert.Empty(Step(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(_engine.List(), a => a.Rule == AlertRules.Geofence);
    }

    [Fact]
    public void Battery_HysteresisBand_DoesNotFlap()
    {
        Tag(8.494, -13.2299, battery: 3290);
        Assert.Single(Step(TimeSpan.FromSeconds(1)), c => c.Alert.Rule == AlertRules.TagBatteryLow && c.Transition == AlertTransition.Raised);
        foreach (var mv in new[] { 3310, 3290, 3400, 3320, 3449 })
        {
            Tag(8.494, -13.2299, battery: mv);
            Assert.DoesNotContain(Step(TimeSpan.FromSeconds(1)), c => c.Alert.Rule == AlertRules.TagBatteryLow);
        }
        Tag(8.494, -13.2299, battery: 3460);
        Assert.Single(Step(TimeSpan.FromSeconds(1)), c => c.Alert.Rule == AlertRules.TagBatteryLow && c.Transition == AlertTransition.Cleared);
    }

    [Fact]
    public void AlarmButton_AndDoorInput_RaiseAndClear()
    {
        Apply(FleetTopicKind.Telemetry, $"tag,tag=a0000100 alarm=true {Now}", $"input,sensor=door state=true,alarm=true {Now}", $"input,sensor=aux state=true,alarm=false {Now}");
        var raised = Step(TimeSpan.FromSeconds(1));
        Assert.Contains(raised, c => c.Alert.Rule == AlertRules.TagAlarm && c.Alert.Severity == "critical");
        Assert.Contains(raised, c => c.Alert.Id == "enclosure_input:gateway/gw-1/door");
        Assert.DoesNotContain(raised, c => c.Alert.Sensor == "aux");
        Apply(FleetTopicKind.Telemetry, $"tag,tag=a0000100 alarm=false {Now}", $"input,sensor=door state=false,alarm=true {Now}");
        Assert.Equal(2, Step(TimeSpan.FromSeconds(1)).Count(c => c.Transition == AlertTransition.Cleared));
    }

    [Fact]
    public void EnclosureTemperature_NeedsTheHoldTime()
    {
        Apply(FleetTopicKind.Telemetry, $"env,sensor=enclosure temperature=55 {Now}");
        Assert.Empty(Step(TimeSpan.FromSeconds(20)));
        Assert.Single(Step(TimeSpan.FromSeconds(11)), c => c.Alert.Rule == AlertRules.EnclosureTemperature);
    }

    [Fact]
    public void GatewayOffline_FromTheWill_OrFromSilence()
    {
        _fleet.ApplyStatus("gw-1", """{"state":"online"}"""u8);
        Apply(FleetTopicKind.Telemetry, $"counter,sensor=seq seq=1i {Now}");
        Assert.Empty(Step(TimeSpan.FromSeconds(59)));
        var silent = Step(TimeSpan.FromSeconds(2)).Single(c => c.Alert.Rule == AlertRules.GatewayOffline);
        Assert.Equal(AlertTransition.Raised, silent.Transition);
        Apply(FleetTopicKind.Telemetry, $"counter,sensor=seq seq=2i {Now}");
        Assert.Equal(AlertTransition.Cleared, Step(TimeSpan.FromSeconds(1)).Single(c => c.Alert.Rule == AlertRules.GatewayOffline).Transition);
        _fleet.ApplyStatus("gw-1", """{"state":"offline"}"""u8);
        Assert.Empty(Step(TimeSpan.FromSeconds(30)));
        Assert.Single(Step(TimeSpan.FromSeconds(31)), c => c.Alert.Rule == AlertRules.GatewayOffline && c.Transition == AlertTransition.Raised);
    }

    [Fact]
    public void ConfiguredAsset_NeverHeard_IsNotSeenAfterY()
    {
        Assert.Empty(Step(TimeSpan.FromSeconds(100)));
        Assert.Single(Step(TimeSpan.FromSeconds(21)), c => c.Alert.Id == "asset_not_seen:asset/a0000100");
    }

    [Fact]
    public void Acknowledge_RecordsWhoAndWhen_AndSurvivesSaveAndLoad()
    {
        Tag(8.504, -13.2299);
        Step(TimeSpan.FromSeconds(1));
        Step(TimeSpan.FromSeconds(11));
        var acked = _engine.Acknowledge("geofence:asset/a0000100", "ops", out var refused);
        Assert.Equal("ops", acked!.AcknowledgedBy);
        Assert.False(refused);
        Assert.Null(_engine.Acknowledge("nope", "ops", out _));
        using var dir = new Gateway.TestKit.Io.TempDirectory("alerts");
        _engine.Save(dir.File("alerts.json"));
        var config = CentralConfigLoader.Parse(Encoding.UTF8.GetBytes(Config), "t.json", "/");
        var again = new AlertEngine(config, _fleet, _time);
        Assert.True(again.Load(dir.File("alerts.json"), out _));
        Assert.Equal("ops", again.List().Single(a => a.Rule == AlertRules.Geofence).AcknowledgedBy);
        // Still outside: the restored alert is active, so nothing is raised twice.
        Assert.DoesNotContain(again.Evaluate(), c => c.Alert.Rule == AlertRules.Geofence);
    }

    [Fact]
    public void AlertLine_IsValidLineProtocol()
    {
        Tag(8.504, -13.2299);
        Step(TimeSpan.FromSeconds(1));
        var change = Step(TimeSpan.FromSeconds(11)).Single();
        var points = new List<LinePoint>();
        var errors = new List<LineProtocolException>();
        LineProtocolParser.ParsePayload(AlertDelivery.ToLine(change), points, errors);
        Assert.Empty(errors);
        var p = Assert.Single(points);
        Assert.Equal("alert", p.Measurement);
        Assert.Contains(new KeyValuePair<string, string>("rule", "geofence"), p.Tags);
        Assert.Contains(new KeyValuePair<string, string>("tag", "a0000100"), p.Tags);
        Assert.Equal("raised", p.Fields.Single(f => f.Key == "state").Value.String);
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Advances time second by second, evaluating each second as the service does; returns every change.</summary>
    private List<AlertChange> Step(TimeSpan by)
    {
        var changes = new List<AlertChange>();
        for (var left = by; left > TimeSpan.Zero; left -= TimeSpan.FromSeconds(1))
        {
            _time.Advance(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
            changes.AddRange(_engine.Evaluate());
        }
        return changes;
    }

    private void Tag(double lat, double lon, int battery = 3900) =>
        Apply(FleetTopicKind.Telemetry, FormattableString.Invariant($"tag,sensor=lora,tag=a0000100 lat={lat},lon={lon},battery_mv={battery}i,moving=true {Now}"));

    private void Apply(FleetTopicKind kind, params string[] lines)
    {
        var points = new List<LinePoint>();
        LineProtocolParser.ParsePayload(Encoding.UTF8.GetBytes(string.Join('\n', lines)), points, new List<LineProtocolException>());
        _fleet.ApplyPoints("gw-1", kind, points);
    }
}
