using Gateway.Ingest.Payloads;
using Gateway.TestKit.Time;

namespace Gateway.Ingest.Tests.Payloads;

public sealed class TagAdmissionTests
{
    private readonly ManualTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));

    [Fact]
    public void Flood_IsConfinedToItsGatewaysQuota_AndCountedPerGateway()
    {
        var tags = new TagAdmission(maxPerGateway: 100, newPerMinute: 10, burst: 100, configuredTags: ["0a1b2c3d"], _time);
        var admitted = Enumerable.Range(0, 100_000).Count(i => tags.Admit("evil-05", i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(100, admitted);
        Assert.True(tags.Admit("gw-1", "a0000001"), "another gateway's new asset is not pushed out by the flood");
        Assert.True(tags.Admit("evil-05", "00000005"), "an id the gateway already has passes");
        Assert.True(tags.Admit("evil-05", "0a1b2c3d"), "a configured asset always passes");
        Assert.Equal(new Dictionary<string, long> { ["evil-05"] = 99_900 }, tags.Refusals());
    }

    [Fact]
    public void NewIds_AreRateLimited_ThenRefillPerMinute_AndStaleIdsMakeRoom()
    {
        var tags = new TagAdmission(maxPerGateway: 20, newPerMinute: 5, burst: 5, configuredTags: [], _time);
        Assert.Equal(5, Enumerable.Range(0, 10).Count(i => tags.Admit("gw-1", $"a00000{i:x2}")));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(5, Enumerable.Range(10, 10).Count(i => tags.Admit("gw-1", $"a00000{i:x2}")));
        _time.Advance(TimeSpan.FromMinutes(10));                   // the bucket holds at most the burst
        Assert.Equal(5, Enumerable.Range(20, 10).Count(i => tags.Admit("gw-1", $"a00000{i:x2}")));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(5, Enumerable.Range(30, 10).Count(i => tags.Admit("gw-1", $"a00000{i:x2}")));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, Enumerable.Range(40, 10).Count(i => tags.Admit("gw-1", $"a00000{i:x2}")));   // the quota of 20 is full
        _time.Advance(TimeSpan.FromHours(23));
        Assert.True(tags.Admit("gw-1", "a0000000"));                // heard again: kept
        _time.Advance(TimeSpan.FromHours(2));                      // the other 19 are over a day old and make room
        Assert.Equal(5, Enumerable.Range(100, 10).Count(i => tags.Admit("gw-1", $"b00000{i:x2}")));
        Assert.True(tags.Admit("gw-1", "a0000000"));
    }
}
