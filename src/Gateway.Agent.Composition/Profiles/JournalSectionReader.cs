using Gateway.DiskQueue.Disk;

namespace Gateway.Agent.Profiles;

/// <summary>
/// Reads the optional <c>journal</c> section:
/// <c>{ "type": "disk", "directory": "journal", "segmentBytes": 1048576, "quotaBytes": 268435456,
/// "minFreeBytes": 67108864, "fsync": "interval", "fsyncIntervalMs": 1000, "fsyncBytes": 1048576,
/// "metricsIntervalMs": 10000 }</c>; every key has that default.
/// </summary>
internal static class JournalSectionReader
{
    public static JournalProfile Read(JsonSection root)
    {
        var j = root.Section("journal", required: false);
        var d = JournalProfile.Default;
        var segment = j.Integer("segmentBytes", (int)d.SegmentBytes, 4096, 256 * 1024 * 1024);
        var quota = Long(j, "quotaBytes", d.QuotaBytes, 2L * segment, long.MaxValue / 2);
        var profile = new JournalProfile(
            j.Enum("type", d.Type),
            j.OptionalString("directory") ?? d.Directory,
            segment,
            quota,
            Long(j, "minFreeBytes", d.MinFreeBytes, 0, long.MaxValue / 2),
            j.Enum("fsync", d.Fsync),
            TimeSpan.FromMilliseconds(j.Integer("fsyncIntervalMs", (int)d.FsyncInterval.TotalMilliseconds, 1, 3_600_000)),
            Long(j, "fsyncBytes", d.FsyncBytes, 1, long.MaxValue / 2),
            TimeSpan.FromMilliseconds(j.Integer("metricsIntervalMs", (int)d.MetricsInterval.TotalMilliseconds, 100, 3_600_000)));
        j.RejectUnknownKeys();
        return profile;
    }

    /// <summary>Quotas exceed an int; JSON numbers are read as doubles and must be whole.</summary>
    private static long Long(JsonSection s, string name, long defaultValue, long min, long max)
    {
        var value = s.Number(name, defaultValue, min, max);
        if (value != Math.Floor(value)) throw s.Error(name, $"must be a whole number of bytes; got {value}");
        return (long)value;
    }
}
