using System.Text;
using Gateway.Agent.Profiles;
using Gateway.DiskQueue.Disk;

namespace Gateway.Agent.Tests.Uplink;

public sealed class JournalProfileTests
{
    private static string Profile(string journal) => $$"""
        {
          "gatewayId": "cp-1",
          "site": { "name": "Alpha", "latitude": 8.48, "longitude": -13.23 },
          "broker": { "host": "127.0.0.1" },
          "sources": [ { "type": "counter", "name": "seq", "ratePerSecond": 5 } ]
          {{journal}}
        }
        """;

    [Fact]
    public void NoJournalSection_UsesTheDefaults()
    {
        var p = ProfileLoader.Parse(Encoding.UTF8.GetBytes(Profile("")), "p.json");
        Assert.Equal(JournalProfile.Default, p.Journal);
        Assert.Equal(JournalType.Disk, p.Journal.Type);
        Assert.Equal(FsyncPolicy.Interval, p.Journal.Fsync);
        Assert.Equal(TimeSpan.FromSeconds(1), p.Journal.FsyncInterval);
    }

    [Fact]
    public void FullJournalSection_IsRead()
    {
        var p = ProfileLoader.Parse(Encoding.UTF8.GetBytes(Profile("""
            , "journal": { "type": "disk", "directory": "/var/lib/gw/journal", "segmentBytes": 65536, "quotaBytes": 1073741824,
                           "minFreeBytes": 0, "fsync": "batch", "fsyncIntervalMs": 250, "fsyncBytes": 4096, "metricsIntervalMs": 5000 }
            """)), "p.json");
        Assert.Equal(new JournalProfile(JournalType.Disk, "/var/lib/gw/journal", 65536, 1L << 30, 0, FsyncPolicy.Batch,
            TimeSpan.FromMilliseconds(250), 4096, TimeSpan.FromSeconds(5)), p.Journal);
    }

    [Theory]
    [InlineData("\"fsync\": \"sometimes\"", "'journal.fsync' must be one of batch, interval, bytes; got 'sometimes'")]
    [InlineData("\"segmentBytes\": 100", "'journal.segmentBytes' must be between 4096")]
    [InlineData("\"segmentBytes\": 65536, \"quotaBytes\": 100000", "'journal.quotaBytes' must be between 131072")]
    [InlineData("\"quotaBytes\": 3000000.5", "'journal.quotaBytes' must be a whole number")]
    [InlineData("\"type\": \"tape\"", "'journal.type' must be one of disk, memory; got 'tape'")]
    [InlineData("\"fsyncEvery\": 1", "'journal.fsyncEvery' is not a known setting here")]
    public void BadJournalSetting_StopsWithOneMessageNamingTheKey(string setting, string expected)
    {
        var ex = Assert.Throws<ProfileException>(() => ProfileLoader.Parse(Encoding.UTF8.GetBytes(Profile($", \"journal\": {{ {setting} }}")), "p.json"));
        Assert.Contains(expected, ex.Message);
    }
}
