using Microsoft.Extensions.Logging;

namespace Gateway.DiskQueue.Disk;

public sealed partial class DiskJournal
{
    private long _diskFreeBytes = long.MaxValue;

    /// <summary>Free bytes on the journal's file system at the last check (start-up, every segment roll, every interval).</summary>
    public long DiskFreeBytes => Interlocked.Read(ref _diskFreeBytes);

    /// <inheritdoc/>
    private protected override bool BelowHalfQuota()
    {
        lock (_gate) return _bytes < _options.QuotaBytes / 2 && DiskFreeBytes >= _options.MinFreeDiskBytes && !_noSpaceEpisode;
    }

    /// <summary>
    /// Makes room for a frame: drops the oldest telemetry segment, then (for an event only) the oldest event segment,
    /// until the frame fits. With free disk below the floor the journal must not grow at all, so the limit becomes
    /// its current size: each new record then displaces old ones, instead of failing writes the kernel would refuse.
    /// </summary>
    private bool EnsureRoom(JournalLane lane, long frameLength)
    {
        var limit = _options.QuotaBytes;
        if (DiskFreeBytes < _options.MinFreeDiskBytes) limit = Math.Min(limit, Math.Max(_bytes, 2 * _options.SegmentBytes));
        while (_bytes + frameLength > limit)
        {
            if (DropOldest(_lanes[(int)JournalLane.Telemetry])) continue;
            if (lane == JournalLane.Event && DropOldest(_lanes[(int)JournalLane.Event])) continue;
            return false;
        }
        return true;
    }

    /// <summary>
    /// Deletes the lane's oldest segment (sealing it first if it is the active one), counting as dropped the records
    /// the reader had not taken yet; records already handed to the publisher are in the MQTT client's hands.
    /// </summary>
    private bool DropOldest(DiskLane l)
    {
        var oldest = l.Segments[0];
        if (oldest == l.Active)
        {
            if (oldest.Records == 0) return false;
            Roll(l);
        }
        var records = Math.Max(0, oldest.Records - oldest.ReadRecords);
        var items = Math.Max(0, oldest.Items - oldest.ReadItems);
        Statistics.OnDropped(records, items);
        // The cursor moves past the dropped ids, so that a restart neither looks for them nor counts them again.
        if (oldest.LastId > l.AckedId) l.AckedId = oldest.LastId;
        while (l.Inflight.TryPeek(out var f) && f.Id <= l.AckedId) l.Inflight.Dequeue();
        LogDropped(_logger, oldest.Path, records, items);
        DeleteSegment(l, oldest);
        return true;
    }

    private void RefreshDiskFree()
    {
        try
        {
            Interlocked.Exchange(ref _diskFreeBytes, new DriveInfo(_options.Directory).AvailableFreeSpace);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Unknown free space must not stop the journal; the quota still bounds it.
            Interlocked.Exchange(ref _diskFreeBytes, long.MaxValue);
        }
    }

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Journal quota: dropped segment {Path} ({Records} unsent records, {Items} readings)")]
    private static partial void LogDropped(ILogger logger, string path, long records, long items);
}
