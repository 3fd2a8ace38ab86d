using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Gateway.DiskQueue.Disk;

public sealed partial class DiskJournal
{
    /// <inheritdoc/>
    public override bool TryRead(JournalLane lane, [NotNullWhen(true)] out JournalRecord? record)
    {
        record = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var l = _lanes[(int)lane];
            Span<byte> header = stackalloc byte[RecordFrame.HeaderSize];
            while (true)
            {
                var segment = l.ReadSegment ??= l.Segments[0];
                if (l.ReadOffset >= segment.Length)
                {
                    var next = l.Segments.IndexOf(segment) + 1;
                    if (next >= l.Segments.Count) return false;
                    l.ReadSegment = l.Segments[next];
                    l.ReadOffset = 0;
                    continue;
                }
                var handle = ReadHandle(l, segment);
                if (RandomAccess.Read(handle, header, l.ReadOffset) == RecordFrame.HeaderSize)
                {
                    var h = RecordFrame.ReadHeader(header);
                    if (h.PayloadLength is >= 0 and <= RecordFrame.MaxPayload && l.ReadOffset + h.FrameLength <= segment.Length)
                    {
                        var rented = ArrayPool<byte>.Shared.Rent(h.FrameLength);
                        var frame = rented.AsSpan(0, h.FrameLength);
                        if (RandomAccess.Read(handle, frame, l.ReadOffset) == h.FrameLength && RecordFrame.Check(frame, out var checkedHeader) == FrameStatus.Valid)
                        {
                            l.ReadOffset += h.FrameLength;
                            segment.ReadRecords++;
                            segment.ReadItems += checkedHeader.Items;
                            // Skip records at or below the cursor (after a quota drop moved it past them).
                            if (checkedHeader.Id <= l.AckedId)
                            {
                                ArrayPool<byte>.Shared.Return(rented);
                                continue;
                            }
                            l.Inflight.Enqueue((checkedHeader.Id, checkedHeader.AppendedUnixMs));
                            // The payload moves to the front of its own rented array, owned by the record from here.
                            frame[RecordFrame.HeaderSize..].CopyTo(rented);
                            record = new JournalRecord(lane, checkedHeader.Id, checkedHeader.Items, checkedHeader.AppendedUnixMs, rented, checkedHeader.PayloadLength);
                            return true;
                        }
                        ArrayPool<byte>.Shared.Return(rented);
                    }
                }
                // The bytes changed under us since recovery checked them (SD card bit rot, or another writer): the
                // rest of this segment cannot be trusted. Count what it held and move on to the next segment.
                var lost = Math.Max(0, segment.Records - segment.ReadRecords);
                Statistics.OnCorrupt(lost);
                segment.ReadRecords = segment.Records;
                segment.ReadItems = segment.Items;
                LogCorruptOnRead(_logger, segment.Path, l.ReadOffset, lost);
                l.ReadOffset = segment.Length;
            }
        }
    }

    /// <inheritdoc/>
    public override bool TryReadLast(JournalLane lane, [NotNullWhen(true)] out JournalRecord? record)
    {
        record = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var l = _lanes[(int)lane];
            for (var i = l.Segments.Count - 1; i >= 0; i--)
            {
                var segment = l.Segments[i];
                if (segment.Records == 0) continue;
                var length = (int)(segment.Length - segment.LastRecordOffset);
                var frame = new byte[length];
                if (RandomAccess.Read(ReadHandle(l, segment), frame, segment.LastRecordOffset) != length
                    || RecordFrame.Check(frame, out var h) != FrameStatus.Valid)
                    return false;
                record = JournalRecord.Copy(lane, h.Id, h.Items, h.AppendedUnixMs, frame.AsSpan(RecordFrame.HeaderSize, h.PayloadLength));
                return true;
            }
            return false;
        }
    }

    /// <inheritdoc/>
    public override long? OldestUnacknowledgedUnixMs
    {
        get
        {
            lock (_gate)
            {
                long? oldest = null;
                foreach (var l in _lanes)
                {
                    var ms = l.Inflight.TryPeek(out var f) ? f.AppendedUnixMs : PeekUnreadAppendedMs(l);
                    if (ms is { } v && (oldest is null || v < oldest)) oldest = v;
                }
                return oldest;
            }
        }
    }

    private long? PeekUnreadAppendedMs(DiskLane l)
    {
        if (_disposed) return null;
        var segment = l.ReadSegment ?? l.Segments[0];
        var offset = l.ReadOffset;
        if (offset >= segment.Length)
        {
            var next = l.Segments.IndexOf(segment) + 1;
            if (next >= l.Segments.Count || l.Segments[next].Length == 0) return null;
            segment = l.Segments[next];
            offset = 0;
        }
        Span<byte> header = stackalloc byte[RecordFrame.HeaderSize];
        if (RandomAccess.Read(ReadHandle(l, segment), header, offset) != RecordFrame.HeaderSize) return null;
        return RecordFrame.ReadHeader(header).AppendedUnixMs;
    }

    private static SafeFileHandle ReadHandle(DiskLane l, Segment segment)
    {
        if (segment == l.Active && l.ActiveHandle is { } active) return active;
        if (l.ReadHandleSegment != segment)
        {
            l.CloseReadHandle();
            l.ReadHandle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            l.ReadHandleSegment = segment;
        }
        return l.ReadHandle!;
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Journal segment {Path} changed since start-up and fails its CRC at offset {Offset}; skipping the rest of it ({Records} records counted as corrupt)")]
    private static partial void LogCorruptOnRead(ILogger logger, string path, long offset, long records);
}
