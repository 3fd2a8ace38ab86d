using Gateway.DiskQueue.Disk;

namespace Gateway.Agent.Profiles;

/// <summary>Where the agent keeps encoded batches until the broker acknowledges them (the <c>journal</c> section).</summary>
public enum JournalType
{
    /// <summary>Segment files under the state directory: survives restarts, crashes and (per the fsync policy) power cuts.</summary>
    Disk,

    /// <summary>In memory, bounded by <c>pipeline.bufferMaxBytes</c>: lost on any restart. For bench rigs only.</summary>
    Memory,
}

/// <summary>
/// The profile's <c>journal</c> section, already validated. Sizes in bytes; <see cref="Directory"/> is relative to
/// the state directory unless absolute. <see cref="MetricsInterval"/> paces the agent's <c>gateway</c> self-metrics.
/// </summary>
public sealed record JournalProfile(
    JournalType Type,
    string Directory,
    long SegmentBytes,
    long QuotaBytes,
    long MinFreeBytes,
    FsyncPolicy Fsync,
    TimeSpan FsyncInterval,
    long FsyncBytes,
    TimeSpan MetricsInterval)
{
    /// <summary>A disk journal in <c>journal/</c> of 1 MiB segments, 256 MiB quota, 64 MiB kept free, fsync every second.</summary>
    public static JournalProfile Default { get; } = new(JournalType.Disk, "journal", 1024 * 1024, 256L * 1024 * 1024, 64L * 1024 * 1024,
        FsyncPolicy.Interval, TimeSpan.FromSeconds(1), 1024 * 1024, TimeSpan.FromSeconds(10));
}
