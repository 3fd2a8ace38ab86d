namespace Gateway.DiskQueue.Disk;

/// <summary>Configuration of a <see cref="DiskJournal"/>, validated once when it opens (STYLE.md habit 10).</summary>
public sealed class DiskJournalOptions
{
    /// <summary>The journal's own directory (it creates <c>telemetry/</c>, <c>events/</c> and <c>quarantine/</c> in it).</summary>
    public required string Directory { get; init; }

    /// <summary>
    /// Size at which a segment file is closed and the next begins. 1 MiB: small enough that deleting an acknowledged
    /// segment frees space promptly and a corrupt one loses little, large enough that the directory stays short.
    /// </summary>
    public long SegmentBytes { get; init; } = 1024 * 1024;

    /// <summary>Most bytes the segment files may occupy; beyond it the oldest telemetry is dropped (256 MiB default).</summary>
    public long QuotaBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Free space the journal leaves on the file system; below it, it behaves as if the quota were full.</summary>
    public long MinFreeDiskBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>When appends are forced to the card, and so what a power cut may lose (docs/reliability.md).</summary>
    public FsyncPolicy Fsync { get; init; } = FsyncPolicy.Interval;

    /// <summary>The <see cref="FsyncPolicy.Interval"/> period, also the idle fsync and cursor-persist period of the other policies.</summary>
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Unsynced bytes that trigger an fsync under <see cref="FsyncPolicy.Bytes"/>.</summary>
    public long FsyncBytes { get; init; } = 1024 * 1024;

    /// <summary>The clock for append times and the fsync timer; a test's manual clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Directory, nameof(Directory));
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentBytes, 4096, nameof(SegmentBytes));
        if (QuotaBytes < 2 * SegmentBytes)
            throw new ArgumentOutOfRangeException(nameof(QuotaBytes), QuotaBytes, $"The quota must hold at least two segments ({2 * SegmentBytes} bytes), so that dropping the oldest leaves room for the next.");
        ArgumentOutOfRangeException.ThrowIfNegative(MinFreeDiskBytes, nameof(MinFreeDiskBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(FsyncInterval, TimeSpan.FromMilliseconds(1), nameof(FsyncInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(FsyncBytes, 1, nameof(FsyncBytes));
        if (!Enum.IsDefined(Fsync)) throw new ArgumentOutOfRangeException(nameof(Fsync), Fsync, "Unknown fsync policy.");
    }
}
