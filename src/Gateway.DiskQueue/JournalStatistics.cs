namespace Gateway.DiskQueue;

/// <summary>
/// Counters of a <see cref="Journal"/>, safe to read from any thread; they cover this process's lifetime (start-up
/// recovery included), and feed the agent's <c>gateway</c> self-metrics. Items are readings; records are batches.
/// </summary>
public sealed class JournalStatistics
{
    private long _appendedRecords;
    private long _appendedItems;
    private long _droppedRecords;
    private long _droppedItems;
    private long _corruptRecords;
    private long _quarantinedSegments;
    private long _tornTails;
    private long _fsyncs;
    private long _fsyncTicks;
    private long _fsyncMaxTicks;

    public long AppendedRecords => Interlocked.Read(ref _appendedRecords);
    public long AppendedItems => Interlocked.Read(ref _appendedItems);

    /// <summary>Records dropped by the quota or the free-disk floor (including refused appends).</summary>
    public long DroppedRecords => Interlocked.Read(ref _droppedRecords);

    /// <summary>Items (readings) in the dropped records.</summary>
    public long DroppedItems => Interlocked.Read(ref _droppedItems);

    /// <summary>Records lost to corruption found at start-up or while reading (their bytes are in quarantine/).</summary>
    public long CorruptRecords => Interlocked.Read(ref _corruptRecords);

    public long QuarantinedSegments => Interlocked.Read(ref _quarantinedSegments);

    /// <summary>Torn tails truncated at start-up: a record cut short by a power loss before it was ever complete.</summary>
    public long TornTails => Interlocked.Read(ref _tornTails);

    public long Fsyncs => Interlocked.Read(ref _fsyncs);

    /// <summary>Total time spent in fsync, in <see cref="TimeSpan"/> ticks.</summary>
    public TimeSpan FsyncTime => TimeSpan.FromTicks(Interlocked.Read(ref _fsyncTicks));

    /// <summary>The longest fsync since the last <see cref="TakeFsyncMax"/>.</summary>
    public TimeSpan TakeFsyncMax() => TimeSpan.FromTicks(Interlocked.Exchange(ref _fsyncMaxTicks, 0));

    internal void OnAppended(int items)
    {
        Interlocked.Increment(ref _appendedRecords);
        Interlocked.Add(ref _appendedItems, items);
    }

    internal void OnDropped(long records, long items)
    {
        Interlocked.Add(ref _droppedRecords, records);
        Interlocked.Add(ref _droppedItems, items);
    }

    internal void OnCorrupt(long records) => Interlocked.Add(ref _corruptRecords, records);

    internal void OnQuarantined() => Interlocked.Increment(ref _quarantinedSegments);

    internal void OnTornTail() => Interlocked.Increment(ref _tornTails);

    internal void OnFsync(TimeSpan elapsed)
    {
        Interlocked.Increment(ref _fsyncs);
        Interlocked.Add(ref _fsyncTicks, elapsed.Ticks);
        long seen;
        while ((seen = Interlocked.Read(ref _fsyncMaxTicks)) < elapsed.Ticks
            && Interlocked.CompareExchange(ref _fsyncMaxTicks, elapsed.Ticks, seen) != seen)
        {
        }
    }
}
