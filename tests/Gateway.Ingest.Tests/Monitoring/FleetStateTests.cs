using System.Text;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.Monitoring;
using Gateway.Ingest.Topics;
using Gateway.Telemetry.LineProtocol;
using Gateway.TestKit.Time;

namespace Gateway.Ingest.Tests.Monitoring;

public sealed class FleetStateTests
{
    private readonly ManualTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));

    [Fact]
    public void Measurements_FillTheGatewayAndAssetViews()
    {
        var fleet = new FleetState(CentralConfigLoader.Default(), _time);
        var ts = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Apply(fleet, "gw-1",
            $"gps,sensor=gps lat=8.5,lon=-13.2 {ts}",
            $"env,sensor=enclosure temperature=31.5,humidity=50 {ts}",
            $"power,sensor=ina219 bus_voltage=12.4,current=0.5 {ts}",
            $"gateway,sensor=agent queue_records=42i,oldest_unsent_s=7.5,dropped=1i {ts}",
            $"input,sensor=door state=true,alarm=true {ts}",
            $"tag,sensor=lora,tag=0a1b2c3d lat=8.51,lon=-13.21,battery_mv=3700i,moving=false,rssi=-80,snr=9 {ts}",
            $"tag,sensor=lora,tag=NOT-HEX lat=1,lon=1 {ts}",
            $"counter,sensor=seq seq=1i {ts}", $"counter,sensor=seq seq=4i {ts + 1}");
        var g = fleet.Gateways().Single();
        Assert.Equal((true, 8.5, -13.2, 42L, 12.4, 31.5, 2L), (g.Online, g.Lat, g.Lon, g.Backlog, g.BusVoltage, g.EnclosureTemperature, g.SequenceMissing));
        Assert.True(g.Inputs.Single().State);
        var a = fleet.Assets().Single();
        Assert.Equal(("0a1b2c3d", "gw-1", 3700L, false, 8.51), (a.Tag, a.Gateway, a.BatteryMv, a.Moving, a.Lat));
        Assert.Single(fleet.Trails());
    }

    [Fact]
    public void ChangedSince_ReturnsOnlyWhatChangedAfterTheReadersVersion_AndMovesItOn()
    {
        var fleet = new FleetState(CentralConfigLoader.Default(), _time);
        var ts = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Apply(fleet, "gw-1", $"tag,tag=0a000001 lat=1,lon=1 {ts}", $"tag,tag=0a000002 lat=1,lon=1 {ts}");
        Apply(fleet, "gw-2", $"env,sensor=enclosure temperature=30 {ts}");
        var start = fleet.Version;
        Assert.Equal((0, 0, start), Counts(fleet.ChangedSince(start)));

        // An older frame changes nothing; the asset that moved and the gateway that heard it do.
        Apply(fleet, "gw-1", $"tag,tag=0a000002 lat=2,lon=2 {ts + 1000}", $"tag,tag=0a000001 lat=0,lon=0 {ts - 1000}");
        var (gateways, assets, version) = fleet.ChangedSince(start);
        Assert.Equal(["gw-1"], gateways.Select(g => g.Id));
        Assert.Equal(["0a000002"], assets.Select(a => a.Tag));
        Assert.Equal(2.0, assets.Single().Lat);
        Assert.True(version > start);
        Assert.Equal((0, 0, version), Counts(fleet.ChangedSince(version)));
        // From the very start, a reader gets the whole fleet.
        Assert.Equal((2, 2, version), Counts(fleet.ChangedSince(0)));
    }

    private static (int, int, long) Counts((IReadOnlyList<GatewayView> Gateways, IReadOnlyList<AssetView> Assets, long Version) changed) =>
        (changed.Gateways.Count, changed.Assets.Count, changed.Version);

    [Fact]
    public void OlderFrame_NeverOverwritesANewerOne()
    {
        var fleet = new FleetState(CentralConfigLoader.Default(), _time);
        var ts = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Apply(fleet, "gw-1", $"tag,tag=0a1b2c3d lat=1,lon=1,battery_mv=3000i {ts}");
        Apply(fleet, "gw-2", $"tag,tag=0a1b2c3d lat=2,lon=2,battery_mv=2000i {ts - 60_000}");
        var a = fleet.Assets().Single();
        Assert.Equal(("gw-1", 3000L), (a.Gateway, a.BatteryMv));
    }

    [Fact]
    public void StatusAndLastSeen_SurviveSaveAndLoad()
    {
        using var dir = new Gateway.TestKit.Io.TempDirectory("fleet");
        var fleet = new FleetState(CentralConfigLoader.Default(), _time);
        fleet.ApplyStatus("gw-1", """{"state":"online","version":"1.2"}"""u8);
        fleet.ApplyStatus("gw-2", """{"state":"offline"}"""u8);
        Apply(fleet, "gw-3", $"tag,tag=0a1b2c3d lat=1,lon=1 {_time.GetUtcNow().ToUnixTimeMilliseconds()}");
        fleet.Save(dir.File("fleet.json"));
        _time.Advance(TimeSpan.FromHours(1));
        var again = new FleetState(CentralConfigLoader.Default(), _time);
        Assert.True(again.Load(dir.File("fleet.json"), out _));
        var gws = again.Gateways().ToDictionary(g => g.Id);
        Assert.Equal((true, "1.2"), (gws["gw-1"].Online, gws["gw-1"].Version));
        Assert.False(gws["gw-2"].Online);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromHours(1), gws["gw-2"].StatusSince);
        // A retained status replayed after the restart, same state: "since" is kept.
        again.ApplyStatus("gw-2", """{"state":"offline"}"""u8);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromHours(1), again.GatewayById("gw-2")!.StatusSince);
        Assert.Equal(1.0, again.Assets().Single().Lat);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"state":42}""")]
    [InlineData("""{"state":"confused"}""")]
    public void UnreadableStatus_ChangesNothing(string payload)
    {
        var fleet = new FleetState(CentralConfigLoader.Default(), _time);
        fleet.ApplyStatus("gw-1", Encoding.UTF8.GetBytes(payload));
        Assert.Null(fleet.Gateways().Single().Online);
    }

    [Fact]
    public void CorruptStateFile_IsReported_AndStartsEmpty()
    {
        using var dir = new Gateway.TestKit.Io.TempDirectory("fleet");
        File.WriteAllText(dir.File("fleet.json"), "{ torn");
        var fleet = new FleetState(CentralConfigLoader.Default(), _time);
        Assert.False(fleet.Load(dir.File("fleet.json"), out var problem));
        Assert.Contains("cannot be read", problem, StringComparison.Ordinal);
        Assert.Empty(fleet.Gateways());
    }

    [Fact]
    public void Metrics_ReportGapsPerGateway()
    {
        var fleet = new FleetState(CentralConfigLoader.Default(), _time);
        var ts = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Apply(fleet, "gw-1", $"counter,sensor=seq seq=1i {ts}", $"counter,sensor=seq seq=5i {ts + 1}", $"counter,sensor=seq seq=5i {ts + 1}");
        var text = new StringBuilder();
        fleet.WriteMetrics(text);
        Assert.Contains("fleet_sequence_missing{gateway=\"gw-1\",series=\"counter/seq\"} 3", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("fleet_sequence_duplicates_total{gateway=\"gw-1\",series=\"counter/seq\"} 1", text.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(253_402_300_800_000L)]       // 10000-01-01 in ms: beyond DateTimeOffset, once threw and stopped the service
    [InlineData(1_800_000_000_000_000_000L)] // nanoseconds from a producer that ignored precision=ms
    public void ApplyPoints_TimeBeyondDateTimeOffset_IsSkippedAndCounted(long timestamp)
    {
        var fleet = new FleetState(CentralConfigLoader.Default(), _time);
        var ts = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Apply(fleet, "gw-1", $"tag,tag=0a1b2c3d lat=2,lon=2 {timestamp}", $"env,sensor=enclosure temperature=20 {ts}");
        Assert.Equal(1, fleet.OutsideTimeWindow);
        Assert.Empty(fleet.Assets());
        Assert.Equal(20.0, fleet.Gateways().Single().EnclosureTemperature);
    }

    [Fact]
    public void FutureFrame_DoesNotFreezeAnAsset_AndItsAlertsStillFire()
    {
        var config = CentralConfigLoader.Parse("""{ "alerts": { "enabled": true, "assetNotSeen": { "afterSeconds": 120 } } }"""u8, "t.json", "/");
        var fleet = new FleetState(config, _time);
        var alerts = new Gateway.Ingest.Alerts.AlertEngine(config, fleet, _time);
        var ts = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var endOfTime = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Apply(fleet, "gw-1", $"tag,tag=0a1b2c3d lat=1,lon=1 {ts}");
        Apply(fleet, "evil-05", $"tag,tag=0a1b2c3d lat=50,lon=50 {endOfTime}");
        Apply(fleet, "gw-1", $"tag,tag=0a1b2c3d lat=3,lon=3 {ts + 1000}");
        var a = fleet.Assets().Single();
        Assert.Equal((3.0, "gw-1", ts + 1000), (a.Lat, a.Gateway, a.LastSeen!.Value.ToUnixTimeMilliseconds()));
        Assert.Equal(1, fleet.OutsideTimeWindow);
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Contains(alerts.Evaluate(), c => c.Alert.Rule == Gateway.Ingest.Alerts.AlertRules.AssetNotSeen);
    }

    [Fact]
    public void Load_FutureTimesSavedBeforeTheWindow_AreForgotten()
    {
        using var dir = new Gateway.TestKit.Io.TempDirectory("fleet");
        File.WriteAllText(dir.File("fleet.json"), """
            {"gateways":[{"id":"gw-1","online":true,"lastSeen":"9999-12-31T00:00:00+00:00","lastPublish":"9999-12-31T00:00:00+00:00"}],
             "assets":[{"tag":"0a1b2c3d","lastSeen":"9999-12-31T00:00:00+00:00","gateway":"evil-05","lat":50,"lon":50,"positionAt":"9999-12-31T00:00:00+00:00"}]}
            """);
        var fleet = new FleetState(CentralConfigLoader.Default(), _time);
        Assert.True(fleet.Load(dir.File("fleet.json"), out _));
        Assert.Null(fleet.Gateways().Single().LastSeen);
        Assert.DoesNotContain(fleet.Assets(), a => a.LastSeen is not null);
        Assert.Empty(fleet.Trails());
        // A real frame now moves the asset again.
        Apply(fleet, "gw-1", $"tag,tag=0a1b2c3d lat=1,lon=1 {_time.GetUtcNow().ToUnixTimeMilliseconds()}");
        Assert.Equal(1.0, fleet.Assets().Single().Lat);
    }

    [Fact]
    public void ImportTrails_FuturePointsFromTheStore_StayOutOfLiveState()
    {
        var fleet = new FleetState(CentralConfigLoader.Default(), _time);
        var ts = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var endOfTime = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        fleet.ImportTrails(new Dictionary<string, IReadOnlyList<TrailPoint>> { ["0a1b2c3d"] = [new(ts - 1000, 1, 1), new(endOfTime, 50, 50)] });
        var a = fleet.Assets().Single();
        Assert.Equal((1.0, ts - 1000), (a.Lat, a.LastSeen!.Value.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public void AssetTagFlood_StaysWithinItsGatewaysQuota_AndAnotherGatewaysAssetIsTracked()
    {
        var config = CentralConfigLoader.Parse("""{ "ingest": { "assetTags": { "maxPerGateway": 50, "newPerMinute": 10 } }, "alerts": { "enabled": true } }"""u8, "t.json", "/");
        var fleet = new FleetState(config, _time);
        var alerts = new Gateway.Ingest.Alerts.AlertEngine(config, fleet, _time);
        var ts = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Apply(fleet, "evil-05", Enumerable.Range(0, 5000).Select(i => FormattableString.Invariant($"tag,tag={i:x8} lat=1,lon=1 {ts}")).ToArray());
        Apply(fleet, "gw-1", $"tag,tag=a0000001 lat=2,lon=2 {ts}");
        Assert.Equal(11, fleet.Assets().Count);
        Assert.Equal("gw-1", fleet.AssetByTag("a0000001")!.Gateway);
        var text = new StringBuilder();
        fleet.WriteMetrics(text);
        Assert.Contains("fleet_refused_asset_tags_total{gateway=\"evil-05\"} 4990", text.ToString(), StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromHours(2));
        Assert.InRange(alerts.Evaluate().Count, 1, 11 * 4 + 2);
    }

    private static void Apply(FleetState fleet, string gateway, params string[] lines)
    {
        var points = new List<LinePoint>();
        LineProtocolParser.ParsePayload(Encoding.UTF8.GetBytes(string.Join('\n', lines)), points, new List<LineProtocolException>());
        fleet.ApplyPoints(gateway, FleetTopicKind.Telemetry, points);
    }
}
