using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using Gateway.Core.Files;

namespace Gateway.DiskQueue.Disk;

/// <summary>
/// The durable journal (DESIGN §5): per lane, segment files of CRC-framed records (<see cref="RecordFrame"/>) and a
/// crash-atomic acknowledgement cursor (<see cref="CursorFile"/>); whole segments are deleted once acknowledged.
/// Split by concern: this file (open, append, acknowledge, flush), Read, Recovery, Quota.
/// </summary>
/// <remarks>
/// Layout: <c>{dir}/telemetry/*.seg</c>, <c>{dir}/events/*.seg</c>, a <c>cursor</c> in each, <c>{dir}/quarantine/</c>
/// for damaged segments, and <c>{dir}/lock</c>, held exclusively so that two agents never share a journal.
/// An append is one write(2) of the whole frame at the segment's end, so a kill leaves either the record or nothing
/// of it in the page cache; a power cut can leave a torn tail, which recovery truncates. Opening never fails on
/// damaged data: it truncates, quarantines and counts (<see cref="JournalStatistics"/>), and logs what it did.
/// </remarks>
public sealed partial class DiskJournal : Journal
{
    private readonly Lock _gate = new();
    private readonly DiskJournalOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DiskLane[] _lanes;
    private readonly string _quarantine;
    private readonly FileStream _lock;
    private readonly ITimer _timer;
    private byte[] _frame = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private long _bytes;
    private long _unsyncedBytes;
    private long _lastFsync;
    private bool _disposed;

    private DiskJournal(DiskJournalOptions options, ILogger logger)
    {
        _options = options;
        _time = options.TimeProvider;
        _logger = logger;
        var root = options.Directory;
        Directory.CreateDirectory(root);
        try
        {
            _lock = new FileStream(Path.Combine(root, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"The journal {root} is in use by another process (its 'lock' file is held); stop the other agent or give this one its own --state-dir.", ex);
        }
        _quarantine = Path.Combine(root, "quarantine");
        _lanes = [new DiskLane(JournalLane.Telemetry, Path.Combine(root, "telemetry")), new DiskLane(JournalLane.Event, Path.Combine(root, "events"))];
        _lastFsync = _time.GetTimestamp();
        _timer = _time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Opens (creating if needed) the journal in <see cref="DiskJournalOptions.Directory"/> and recovers it: scans
    /// from each cursor, verifies every record's CRC, truncates a torn tail and quarantines damaged segments.
    /// Throws only for what a human must fix (the directory is not writable, another process holds it).
    /// </summary>
    public static DiskJournal Open(DiskJournalOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var journal = new DiskJournal(options, logger ?? NullLogger.Instance);
        try
        {
            var cleanStop = CleanStopFile.Take(options.Directory);
            foreach (var lane in journal._lanes) journal.Recover(lane, cleanStop?[(int)lane.Lane]);
            journal.RefreshDiskFree();
            journal.EnsureReserve();
            journal._timer.Change(options.FsyncInterval, options.FsyncInterval);
            return journal;
        }
        catch
        {
            journal.Dispose();
            throw;
        }
    }

    /// <summary>The options the journal was opened with.</summary>
    public DiskJournalOptions Options => _options;

    /// <inheritdoc/>
    public override long UnacknowledgedRecords
    {
        get { lock (_gate) return _lanes[0].UnacknowledgedRecords + _lanes[1].UnacknowledgedRecords; }
    }

    /// <inheritdoc/>
    public override long Bytes
    {
        get { lock (_gate) return _bytes; }
    }

    /// <inheritdoc/>
    private protected override bool AppendCore(JournalLane lane, ReadOnlySpan<byte> payload, int itemCount)
    {
        var frameLength = RecordFrame.HeaderSize + payload.Length;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var l = _lanes[(int)lane];
            if (_frame.Length < frameLength)
            {
                ArrayPool<byte>.Shared.Return(_frame);
                _frame = ArrayPool<byte>.Shared.Rent(frameLength);
            }
            var id = l.NextId;
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            RecordFrame.Write(_frame, id, itemCount, now, payload);
            while (true)
            {
                try
                {
                    if (!EnsureRoom(lane, frameLength))
                    {
                        Statistics.OnDropped(1, itemCount);
                        return false;
                    }
                    if (l.Active.Records > 0 && l.Active.Length + frameLength > _options.SegmentBytes) Roll(l);
                    // A partial write past Length (ENOSPC midway) is overwritten by the next attempt.
                    RandomAccess.Write(l.ActiveHandle!, _frame.AsSpan(0, frameLength), l.Active.Length);
                    break;
                }
                catch (IOException ex) when (IsNoSpace(ex))
                {
                    if (FreeSpaceAfterNoSpace(lane, ex)) continue;
                    Statistics.OnDropped(1, itemCount);
                    return false;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw Fail(l.Active.Path, ex);
                }
            }
            var segment = l.Active;
            segment.LastRecordOffset = segment.Length;
            segment.Length += frameLength;
            segment.LastId = id;
            segment.Records++;
            segment.Items += itemCount;
            l.NextId = id + 1;
            _bytes += frameLength;
            _unsyncedBytes += frameLength;
            Statistics.OnAppended(itemCount);
            try
            {
                if (_options.Fsync == FsyncPolicy.Batch
                    || (_options.Fsync == FsyncPolicy.Bytes && _unsyncedBytes >= _options.FsyncBytes)
                    || (_options.Fsync == FsyncPolicy.Interval && _time.GetElapsedTime(_lastFsync) >= _options.FsyncInterval))
                    SyncSegments();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Fail(segment.Path, ex);
            }
            return true;
        }
    }

    /// <inheritdoc/>
    public override void Acknowledge(JournalLane lane, long id)
    {
        lock (_gate)
        {
            if (_disposed) return;
            var l = _lanes[(int)lane];
            if (id <= l.AckedId) return;
            l.AckedId = Math.Min(id, l.NextId - 1);
            while (l.Inflight.TryPeek(out var f) && f.Id <= l.AckedId) l.Inflight.Dequeue();
            // Whole segments behind the cursor go at once; the cursor itself is persisted by the timer (an older
            // cursor on disk only means re-sending records the store already has).
            try
            {
                while (l.Segments.Count > 1 && l.Segments[0].LastId <= l.AckedId)
                    DeleteSegment(l, l.Segments[0]);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Fail(l.Segments[0].Path, ex);
            }
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
        lock (_gate)
        {
            if (_disposed) return;
            SyncSegments();
            PersistCursors();
        }
    }

    private void OnTimer()
    {
        try
        {
            lock (_gate)
            {
                if (_disposed) return;
                if (_unsyncedBytes > 0) SyncSegments();
                PersistCursors();
                RefreshDiskFree();
                EndNoSpaceEpisodeIfRoom();
                EnsureReserve();
            }
        }
        catch (IOException ex) when (IsNoSpace(ex))
        {
            LogBackgroundFailed(_logger, _options.Directory, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An fsync or cursor write that fails for any other reason means nothing more is durable: say so now, even
            // while no batch is being appended (an idle agent would otherwise notice only at its next append).
            Fail(_options.Directory, ex);
        }
    }

    /// <summary>fsync of every active segment with unsynced data (sealed segments were synced when they were closed).</summary>
    private void SyncSegments()
    {
        var started = _time.GetTimestamp();
        foreach (var l in _lanes)
            if (l.ActiveHandle is { } handle) RandomAccess.FlushToDisk(handle);
        _unsyncedBytes = 0;
        _lastFsync = _time.GetTimestamp();
        Statistics.OnFsync(_time.GetElapsedTime(started, _lastFsync));
    }

    private void PersistCursors()
    {
        foreach (var l in _lanes)
        {
            if (l.AckedId == l.PersistedAckedId) continue;
            // The cursor never gets ahead of durable data: after a power cut, ids must not be reused below it.
            if (_unsyncedBytes > 0) SyncSegments();
            try
            {
                CursorFile.Write(l.Directory, l.AckedId);
            }
            catch (IOException ex) when (IsNoSpace(ex) && FreeSpaceAfterNoSpace(null, ex))
            {
                CursorFile.Write(l.Directory, l.AckedId);
            }
            l.PersistedAckedId = l.AckedId;
        }
    }

    /// <summary>
    /// Seals the active segment (fsync, so a sealed segment is always whole) and starts the next one. A failure (ENOSPC
    /// creating the file) leaves the lane as it was, so that the caller can free space and roll again.
    /// </summary>
    private void Roll(DiskLane l)
    {
        if (l.ActiveHandle is { } old) RandomAccess.FlushToDisk(old);
        var segment = new Segment(Path.Combine(l.Directory, Segment.FileName(l.NextId)), l.NextId);
        // FileMode.Create: a failed earlier attempt may have left the empty file behind.
        var handle = File.OpenHandle(segment.Path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        l.ActiveHandle?.Dispose();
        l.ActiveHandle = handle;
        l.Segments.Add(segment);
        DirectorySync.Sync(l.Directory);
        RefreshDiskFree();
    }

    private void DeleteSegment(DiskLane l, Segment segment)
    {
        if (l.ReadHandleSegment == segment) l.CloseReadHandle();
        if (l.ReadSegment == segment)
        {
            var next = l.Segments.IndexOf(segment) + 1;
            l.ReadSegment = next < l.Segments.Count ? l.Segments[next] : null;
            l.ReadOffset = 0;
        }
        File.Delete(segment.Path);
        segment.Deleted = true;
        l.Segments.Remove(segment);
        _bytes -= segment.Length;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        lock (_gate)
        {
            if (_disposed) return;
            try
            {
                if (_lanes.All(l => l.ActiveHandle is not null) && !Failed.IsCompleted)
                {
                    SyncSegments();
                    PersistCursors();
                    // Last: only a journal whose every record is on disk may say it stopped cleanly.
                    CleanStopFile.Write(_options.Directory, _lanes[0].NextId - 1, _lanes[1].NextId - 1);
                }
            }
            catch (IOException ex)
            {
                LogBackgroundFailed(_logger, _options.Directory, ex.Message);
            }
            _disposed = true;
            _timer.Dispose();
            foreach (var l in _lanes) l.Dispose();
            ArrayPool<byte>.Shared.Return(_frame);
            _frame = [];
            _lock.Dispose();
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Error, Message = "Journal {Directory}: background fsync or cursor update failed: {Reason}; retrying every interval")]
    private static partial void LogBackgroundFailed(ILogger logger, string directory, string reason);
}
