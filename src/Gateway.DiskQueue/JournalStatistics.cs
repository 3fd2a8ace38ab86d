using Gateway.Core.Counters;

namespace Gateway.DiskQueue;

/// <summary>
/// Counters of a <see cref="Journal"/>, safe to read from any thread; they cover this process's lifetime (start-up
/// recovery included), and feed the agent's <c>gateway</c> self-metrics. Items are readings; records are batches.
/// </summary>
public sealed class JournalStatistics
{
    private readonly AtomicCounter _appendedRecords = new();
    private readonly AtomicCounter _appendedItems = new();
    private readonly AtomicCounter _droppedRecords = new();
    private readonly AtomicCounter _droppedItems = new();
    private readonly AtomicCounter _corruptRecords = new();
    private readonly AtomicCounter _quarantinedSegments = new();
    private readonly AtomicCounter _tornTails = new();
    private readonly AtomicCounter _fsyncs = new();
    private readonly AtomicCounter _fsyncTicks = new();
    private readonly AtomicMaximum _fsyncMaxTicks = new();

    /// <summary>Records accepted by <see cref="Journal.Append"/> since start.</summary>
    public long AppendedRecords => _appendedRecords.Value;

    /// <summary>Items (readings) in the accepted records.</summary>
    public long AppendedItems => _appendedItems.Value;

    /// <summary>Records dropped by the quota or the free-disk floor (including refused appends).</summary>
    public long DroppedRecords => _droppedRecords.Value;

    /// <summary>Items (readings) in the dropped records.</summary>
    public long DroppedItems => _droppedItems.Value;

    /// <summary>Records lost to corruption found at start-up or while reading (their bytes are in quarantine/).</summary>
    public long CorruptRecords => _corruptRecords.Value;

    /// <summary>Files put in quarantine/ at start-up: a damaged segment (copied before it is rewritten with its valid
    /// records), an unreadable one (moved), or a file that is not a segment (moved).</summary>
    public long QuarantinedSegments => _quarantinedSegments.Value;

    /// <summary>Torn tails truncated at start-up: a record cut short by a power loss before it was ever complete.</summary>
    public long TornTails => _tornTails.Value;

    /// <summary>fsync(2) calls on segment files (see <see cref="Disk.FsyncPolicy"/>): the SD card's write count.</summary>
    public long Fsyncs => _fsyncs.Value;

    /// <summary>Total time spent in fsync, in <see cref="TimeSpan"/> ticks.</summary>
    public TimeSpan FsyncTime => TimeSpan.FromTicks(_fsyncTicks.Value);

    /// <summary>The longest fsync since the last <see cref="TakeFsyncMax"/>.</summary>
    public TimeSpan TakeFsyncMax() => TimeSpan.FromTicks(_fsyncMaxTicks.Take());

    internal void OnAppended(int items)
    {
        _appendedRecords.Increment();
        _appendedItems.Add(items);
    }

    internal void OnDropped(long records, long items)
    {
        _droppedRecords.Add(records);
        _droppedItems.Add(items);
    }

    internal void OnCorrupt(long records) => _corruptRecords.Add(records);

    internal void OnQuarantined() => _quarantinedSegments.Increment();

    internal void OnTornTail() => _tornTails.Increment();

    internal void OnFsync(TimeSpan elapsed)
    {
        _fsyncs.Increment();
        _fsyncTicks.Add(elapsed.Ticks);
        _fsyncMaxTicks.Observe(elapsed.Ticks);
    }
}
