using System.Diagnostics.CodeAnalysis;

namespace Gateway.DiskQueue;

/// <summary>
/// The store-and-forward queue between the batcher and the publisher (DESIGN §5): records are appended, read in order
/// per lane, and acknowledged once the broker has them. Two implementations share this contract and one test suite:
/// <see cref="Disk.DiskJournal"/> (segment files on the SD card, crash-safe) and <see cref="Memory.MemoryJournal"/>
/// (same semantics, lost on a power cut; for bench rigs and as the executable specification).
/// </summary>
/// <remarks>
/// Thread-safety: any member may be called from any thread. The intended use is one appender (the batcher) and one
/// reader (the publisher).
/// Delivery: a record is returned by <see cref="TryRead"/> once per process lifetime; after a restart every record not
/// acknowledged is returned again, oldest first, so delivery is at least once. Ids never repeat within a lane.
/// Bounds: appending beyond the quota drops the oldest telemetry first (whole records, or whole segments on disk),
/// then the oldest events; every dropped item is counted in <see cref="Statistics"/> and reported by
/// <see cref="DropEpisodeStarted"/> once per episode.
/// </remarks>
public abstract class Journal : IDisposable
{
    private readonly AsyncSignal _appended = new();
    private readonly TaskCompletionSource<JournalFailedException> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _dropping;

    /// <summary>Only this assembly's two implementations derive from it: they share one test suite, and the lock
    /// discipline of <see cref="AppendCore"/> is theirs.</summary>
    private protected Journal()
    {
    }

    /// <summary>Counters of appends, drops, corruption and fsyncs since start, for self-metrics (DESIGN §5).</summary>
    public JournalStatistics Statistics { get; } = new();

    /// <summary>
    /// Raised (on the appending thread, outside the journal's lock) when drops start after a period without drops, with
    /// the total items dropped so far: the agent logs one line per episode, not one per drop.
    /// </summary>
    public event Action<long>? DropEpisodeStarted;

    /// <summary>
    /// Appends a copy of <paramref name="payload"/> holding <paramref name="itemCount"/> items (readings). Returns false
    /// when the record was refused (it alone exceeds the quota, or only events are left and it is telemetry); the
    /// refusal is counted as a drop. Once this returns true the record survives the process being killed; surviving a
    /// power cut depends on the fsync policy (see <see cref="Disk.FsyncPolicy"/>).
    /// </summary>
    /// <exception cref="JournalFailedException">The journal can no longer write (see <see cref="Failed"/>).</exception>
    public bool Append(JournalLane lane, ReadOnlySpan<byte> payload, int itemCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(itemCount);
        if (_failed.Task.IsCompleted) throw _failed.Task.Result;
        var droppedBefore = Statistics.DroppedItems;
        var accepted = AppendCore(lane, payload, itemCount);
        var droppedAfter = Statistics.DroppedItems;
        if (droppedAfter != droppedBefore)
        {
            if (!_dropping)
            {
                _dropping = true;
                DropEpisodeStarted?.Invoke(droppedAfter);
            }
        }
        else if (accepted && _dropping && BelowHalfQuota())
        {
            // Room again: the next drop is a new episode worth one log line.
            _dropping = false;
        }
        if (accepted) _appended.Set();
        return accepted;
    }

    /// <summary>
    /// Completes, with the cause, when the journal failed for good: a write failed for a reason other than a full disk
    /// (read-only remount, I/O error). The owner must stop: nothing more can be made durable.
    /// </summary>
    public Task<JournalFailedException> Failed => _failed.Task;

    /// <summary>Marks the journal failed (the first cause wins) and returns the exception to throw.</summary>
    protected JournalFailedException Fail(JournalFailedException failure)
    {
        _failed.TrySetResult(failure);
        return _failed.Task.Result;
    }

    /// <summary>
    /// Takes the next unread record of <paramref name="lane"/>, oldest first; false when there is none now. The caller
    /// owns the record and disposes it.
    /// </summary>
    public abstract bool TryRead(JournalLane lane, [NotNullWhen(true)] out JournalRecord? record);

    /// <summary>
    /// The newest record still in the lane, acknowledged or not, without moving the reader (start-up uses it to learn
    /// what was appended last before a crash). The caller owns and disposes it.
    /// </summary>
    public abstract bool TryReadLast(JournalLane lane, [NotNullWhen(true)] out JournalRecord? record);

    /// <summary>Completes when a record has been appended since the last call, or at once if one was.</summary>
    public ValueTask WaitForAppendAsync(CancellationToken cancellationToken) => _appended.WaitAsync(cancellationToken);

    /// <summary>
    /// Everything up to and including <paramref name="id"/> in <paramref name="lane"/> was delivered: the cursor moves
    /// (persisted lazily, crash-atomically) and segments wholly behind it are deleted. Ids at or below the cursor are ignored.
    /// </summary>
    public abstract void Acknowledge(JournalLane lane, long id);

    /// <summary>Makes everything appended so far and the cursor durable now (fsync), whatever the policy.</summary>
    public abstract void Flush();

    /// <summary>Records appended and not yet acknowledged, over both lanes.</summary>
    public abstract long UnacknowledgedRecords { get; }

    /// <summary>Bytes the journal occupies (on disk: segment files; in memory: payloads and headers).</summary>
    public abstract long Bytes { get; }

    /// <summary>Append time (Unix ms) of the oldest record not yet acknowledged, or null when everything is acknowledged.</summary>
    public abstract long? OldestUnacknowledgedUnixMs { get; }

    /// <summary>Stores a copy of the payload, dropping the oldest records as the quota requires (counting each);
    /// false when the record itself is refused.</summary>
    private protected abstract bool AppendCore(JournalLane lane, ReadOnlySpan<byte> payload, int itemCount);

    /// <summary>Whether usage fell below half the quota (and the disk has room): a drop after that is a new episode.</summary>
    private protected abstract bool BelowHalfQuota();

    /// <summary>Closes the journal: the disk journal makes everything durable and persists its cursors first, so a
    /// clean stop re-sends nothing that was acknowledged.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Where an implementation releases its files; <paramref name="disposing"/> is false only from a finalizer.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
