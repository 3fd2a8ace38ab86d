using System.Diagnostics.CodeAnalysis;

namespace Gateway.DiskQueue.Memory;

/// <summary>
/// The <see cref="Journal"/> contract in memory, bounded by a byte quota: the same order, ids, acknowledgement and
/// priority rules as the disk journal, but a power cut or a crash loses everything. For bench rigs without an SD card
/// and as the simplest statement of the contract that both implementations pass.
/// </summary>
/// <remarks>Drops are per record here (the disk journal drops whole segments).</remarks>
public sealed class MemoryJournal : Journal
{
    /// <summary>Bytes counted per record besides its payload, matching the disk frame header.</summary>
    public const int RecordOverhead = Disk.RecordFrame.HeaderSize;

    private readonly Lock _gate = new();
    private readonly long _quotaBytes;
    private readonly TimeProvider _time;
    private readonly Lane[] _lanes = [new(), new()];
    private long _bytes;

    /// <param name="quotaBytes">Most bytes (payloads plus <see cref="RecordOverhead"/> each) kept; beyond it the oldest
    /// telemetry is dropped, as on disk.</param>
    /// <param name="time">The clock for append times; the system clock when null.</param>
    public MemoryJournal(long quotaBytes, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quotaBytes, RecordOverhead + 1);
        _quotaBytes = quotaBytes;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public override long UnacknowledgedRecords
    {
        get { lock (_gate) return _lanes.Sum(l => l.Records.Count); }
    }

    /// <inheritdoc/>
    public override long Bytes
    {
        get { lock (_gate) return _bytes; }
    }

    /// <inheritdoc/>
    public override long? OldestUnacknowledgedUnixMs
    {
        get
        {
            lock (_gate)
            {
                long? oldest = null;
                foreach (var lane in _lanes)
                    if (lane.Records.Count > 0 && (oldest is null || lane.Records.First!.Value.AppendedUnixMs < oldest))
                        oldest = lane.Records.First!.Value.AppendedUnixMs;
                return oldest;
            }
        }
    }

    /// <inheritdoc/>
    private protected override bool AppendCore(JournalLane lane, ReadOnlySpan<byte> payload, int itemCount)
    {
        long size = payload.Length + RecordOverhead;
        lock (_gate)
        {
            while (_bytes + size > _quotaBytes)
            {
                if (DropOldest(JournalLane.Telemetry)) continue;
                if (lane == JournalLane.Event && DropOldest(JournalLane.Event)) continue;
                Statistics.OnDropped(1, itemCount);
                return false;
            }
            var l = _lanes[(int)lane];
            var record = new Entry(l.NextId++, payload.ToArray(), itemCount, _time.GetUtcNow().ToUnixTimeMilliseconds());
            var node = l.Records.AddLast(record);
            l.Unread ??= node;
            _bytes += size;
            Statistics.OnAppended(itemCount);
            return true;
        }
    }

    /// <inheritdoc/>
    private protected override bool BelowHalfQuota()
    {
        lock (_gate) return _bytes < _quotaBytes / 2;
    }

    /// <inheritdoc/>
    public override bool TryRead(JournalLane lane, [NotNullWhen(true)] out JournalRecord? record)
    {
        lock (_gate)
        {
            var l = _lanes[(int)lane];
            if (l.Unread is not { } node)
            {
                record = null;
                return false;
            }
            l.Unread = node.Next;
            var e = node.Value;
            record = JournalRecord.Copy(lane, e.Id, e.Items, e.AppendedUnixMs, e.Payload);
            return true;
        }
    }

    /// <inheritdoc/>
    public override bool TryReadLast(JournalLane lane, [NotNullWhen(true)] out JournalRecord? record)
    {
        lock (_gate)
        {
            record = _lanes[(int)lane].Records.Last is { } last
                ? JournalRecord.Copy(lane, last.Value.Id, last.Value.Items, last.Value.AppendedUnixMs, last.Value.Payload)
                : null;
            return record is not null;
        }
    }

    /// <inheritdoc/>
    public override void Acknowledge(JournalLane lane, long id)
    {
        lock (_gate)
        {
            var l = _lanes[(int)lane];
            while (l.Records.First is { } first && first.Value.Id <= id)
            {
                if (l.Unread == first) l.Unread = first.Next;
                _bytes -= first.Value.Payload.Length + RecordOverhead;
                l.Records.RemoveFirst();
            }
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <summary>Drops the oldest record of <paramref name="lane"/>, counting it unless it was already handed to the reader.</summary>
    private bool DropOldest(JournalLane lane)
    {
        var l = _lanes[(int)lane];
        if (l.Records.First is not { } first) return false;
        // A record already read is in the publisher's hands (in flight); it is not lost by removing it here.
        var unread = l.Unread is not null && (l.Unread == first || IsAfter(first, l.Unread));
        if (l.Unread == first) l.Unread = first.Next;
        _bytes -= first.Value.Payload.Length + RecordOverhead;
        l.Records.RemoveFirst();
        if (unread) Statistics.OnDropped(1, first.Value.Items);
        return true;
    }

    private static bool IsAfter(LinkedListNode<Entry> node, LinkedListNode<Entry> unread) => node.Value.Id >= unread.Value.Id;

    private sealed class Lane
    {
        public readonly LinkedList<Entry> Records = new();
        public LinkedListNode<Entry>? Unread;
        public long NextId = 1;
    }

    private readonly record struct Entry(long Id, byte[] Payload, int Items, long AppendedUnixMs);
}
