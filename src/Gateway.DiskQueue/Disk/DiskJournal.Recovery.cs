using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Gateway.Core.Files;

namespace Gateway.DiskQueue.Disk;

public sealed partial class DiskJournal
{
    /// <summary>
    /// Start-up recovery of one lane (DESIGN §5): read the cursor, delete segments wholly behind it, verify every
    /// record after it, and repair what a crash or a power cut left: a torn tail of the newest segment is truncated;
    /// any other damage sends a copy of the segment to quarantine/ and keeps its valid records. After a clean stop
    /// (<paramref name="cleanLastId"/>: the last id appended before it) there is no torn tail: a short or missing end
    /// is damage, and the ids missing up to that last id are counted as lost. Never throws for damaged data.
    /// </summary>
    private void Recover(DiskLane l, long? cleanLastId)
    {
        Directory.CreateDirectory(l.Directory);
        File.Delete(Path.Combine(l.Directory, "cursor.tmp"));
        l.AckedId = CursorFile.Read(l.Directory, out var cursorDamaged);
        if (cursorDamaged) LogCursorDamaged(_logger, l.Directory);
        l.PersistedAckedId = l.AckedId;

        var files = new List<(long FirstId, string Path)>();
        foreach (var path in Directory.EnumerateFiles(l.Directory))
        {
            var name = Path.GetFileName(path);
            if (name is "cursor") continue;
            if (Segment.TryParseFileName(name, out var firstId)) files.Add((firstId, path));
            else LogForeignFile(_logger, path, Quarantine(l, path, move: true));
        }
        files.Sort((a, b) => a.FirstId.CompareTo(b.FirstId));

        long previousLastId = l.AckedId;
        for (var i = 0; i < files.Count; i++)
        {
            var isLast = i == files.Count - 1;
            if (!isLast && files[i + 1].FirstId - 1 <= l.AckedId)
            {
                File.Delete(files[i].Path); // acknowledged before the crash; only its deletion was pending
                continue;
            }
            Segment segment;
            try
            {
                segment = Scan(l, files[i].FirstId, files[i].Path, isLast, isLast ? long.MaxValue : files[i + 1].FirstId, isLast ? cleanLastId : null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Unreadable (a bad sector: EIO; wrong permissions: EACCES): it must not stop new data. Its ids that are
                // known (up to the next segment's first, or the clean stop's last) are counted as lost.
                var known = isLast ? cleanLastId ?? 0 : files[i + 1].FirstId - 1;
                var lost = Math.Max(0, known - Math.Max(files[i].FirstId - 1, l.AckedId));
                var target = Quarantine(l, files[i].Path, move: true);
                Statistics.OnCorrupt(lost);
                LogUnreadable(_logger, files[i].Path, ex.Message, lost, target);
                previousLastId = Math.Max(previousLastId, known);
                continue;
            }
            if (segment.Records > 0)
            {
                var firstValid = FirstValidId(segment, previousLastId);
                if (firstValid > previousLastId + 1 && l.Segments.Count > 0)
                {
                    // A segment between two others is missing (deleted by hand?): its ids are known to be lost.
                    Statistics.OnCorrupt(firstValid - previousLastId - 1);
                    LogGap(_logger, l.Directory, previousLastId + 1, firstValid - 1);
                }
            }
            // Scan accounted for every id of a sealed segment, up to the next segment's first.
            previousLastId = Math.Max(previousLastId, isLast ? segment.LastId : files[i + 1].FirstId - 1);
            l.Segments.Add(segment);
            _bytes += segment.Length;
        }

        if (l.Segments.Count == 0 && cleanLastId > l.AckedId)
        {
            // Every segment file is gone although the clean stop left records after the cursor.
            Statistics.OnCorrupt(cleanLastId.Value - l.AckedId);
            LogGap(_logger, l.Directory, l.AckedId + 1, cleanLastId.Value);
        }
        // Ids never repeat, not even those of records lost after a clean stop.
        var lastId = Math.Max(l.AckedId, cleanLastId ?? 0);
        if (l.Segments.Count == 0)
        {
            l.NextId = lastId + 1;
            Roll(l);
        }
        else
        {
            l.NextId = Math.Max(l.Active.LastId, lastId) + 1;
            l.ActiveHandle = File.OpenHandle(l.Active.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        }
        l.ReadSegment ??= l.Active;
        if (l.ReadSegment == l.Active && l.Active.LastId <= l.AckedId) l.ReadOffset = l.Active.Length;
    }

    private static long FirstValidId(Segment segment, long previousLastId) =>
        segment.FirstId > previousLastId ? segment.FirstId : previousLastId + 1;

    /// <summary>Verifies one segment and repairs it in place if needed; sets the reader's start if it lies here.</summary>
    private Segment Scan(DiskLane l, long firstId, string path, bool isLast, long nextFirstId, long? cleanLastId)
    {
        var bytes = File.ReadAllBytes(path);
        var segment = new Segment(path, firstId);
        var valid = new List<(int Offset, int Length)>();
        long lost = 0;
        var tornTail = false;
        var damaged = false;
        var damageAt = -1L;
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = RecordFrame.Check(bytes.AsSpan(offset), out var h);
            if (status == FrameStatus.Valid && h.Id > segment.LastId && h.Id >= firstId)
            {
                // Offsets as they will be once the segment holds only its valid records (the same when undamaged).
                Accept(l, segment, h, segment.Length);
                valid.Add((offset, h.FrameLength));
                offset += h.FrameLength;
                continue;
            }
            var resync = FindNextValid(bytes, offset + 1, Math.Max(segment.LastId, firstId - 1));
            if (resync < 0)
            {
                if (isLast && status == FrameStatus.Incomplete && cleanLastId is null)
                {
                    tornTail = true; // a record cut short by a power cut before it was complete: never accepted as whole
                }
                else
                {
                    damaged = true;
                    damageAt = offset;
                    // A complete record failed its check; a sealed segment's tail, or a tail after a clean stop, is counted below.
                    if (isLast && cleanLastId is null) lost++;
                }
                break;
            }
            damaged = true;
            if (damageAt < 0) damageAt = offset;
            var next = RecordFrame.ReadHeader(bytes.AsSpan(resync)).Id;
            lost += Math.Max(0, next - 1 - Math.Max(Math.Max(segment.LastId, firstId - 1), l.AckedId));
            offset = resync;
        }

        // A sealed segment holds every id up to the next segment's first, and after a clean stop the last segment every
        // id up to the last one appended: whatever is missing at the end is lost.
        var lastExpected = isLast ? cleanLastId ?? 0 : nextFirstId - 1;
        var missing = lastExpected - Math.Max(Math.Max(segment.LastId, firstId - 1), l.AckedId);
        if (missing > 0)
        {
            lost += missing;
            damaged = true;
            if (damageAt < 0) damageAt = segment.Length; // the file ends early: the damage is where the valid records end
        }
        if (damaged)
        {
            Quarantine(l, path, move: false);
            Rewrite(path, bytes, valid);
            Statistics.OnCorrupt(lost);
            LogQuarantined(_logger, path, damageAt, lost, _quarantine);
        }
        else if (tornTail)
        {
            using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite))
            {
                RandomAccess.SetLength(handle, segment.Length);
                RandomAccess.FlushToDisk(handle);
            }
            Statistics.OnTornTail();
            LogTornTail(_logger, path, segment.Length, bytes.Length - segment.Length);
        }
        return segment;
    }

    private static void Accept(DiskLane l, Segment segment, FrameHeader h, long offset)
    {
        segment.LastId = h.Id;
        segment.Records++;
        segment.Items += h.Items;
        segment.LastRecordOffset = offset;
        segment.Length = offset + h.FrameLength;
        if (h.Id <= l.AckedId)
        {
            segment.ReadRecords++;
            segment.ReadItems += h.Items;
        }
        else if (l.ReadSegment is null)
        {
            l.ReadSegment = segment;
            l.ReadOffset = offset;
        }
    }

    /// <summary>The offset of the next intact record after damage (its magic, length and CRC check, its id is newer), or -1.</summary>
    private static int FindNextValid(byte[] bytes, int from, long afterId)
    {
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(magic, RecordFrame.Magic);
        var offset = from;
        while (offset < bytes.Length)
        {
            var hit = bytes.AsSpan(offset).IndexOf(magic);
            if (hit < 0) return -1;
            offset += hit;
            if (RecordFrame.Check(bytes.AsSpan(offset), out var h) == FrameStatus.Valid && h.Id > afterId) return offset;
            offset++;
        }
        return -1;
    }

    /// <summary>Replaces the segment with only its valid records, crash-atomically (<see cref="AtomicFile"/>).</summary>
    private static void Rewrite(string path, byte[] bytes, List<(int Offset, int Length)> valid)
    {
        // Recovery of a damaged segment is rare: one copy of its valid records is fine.
        var kept = new byte[valid.Sum(v => v.Length)];
        var position = 0;
        foreach (var (offset, length) in valid)
        {
            bytes.AsSpan(offset, length).CopyTo(kept.AsSpan(position));
            position += length;
        }
        AtomicFile.WriteAllBytes(path, kept, AtomicFile.Readable);
    }

    /// <summary>Moves (or copies) <paramref name="path"/> into quarantine/ and returns where it went.</summary>
    private string Quarantine(DiskLane l, string path, bool move)
    {
        Directory.CreateDirectory(_quarantine);
        var target = Path.Combine(_quarantine, $"{l.Lane.ToString().ToLowerInvariant()}-{Path.GetFileName(path)}-{_time.GetUtcNow().ToUnixTimeMilliseconds()}");
        if (move) File.Move(path, target, overwrite: true);
        else File.Copy(path, target, overwrite: true);
        Statistics.OnQuarantined();
        return target;
    }

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Journal segment {Path} is damaged at offset {Offset}: {Records} records lost; a copy is in {Quarantine}/ and the intact records are kept. Nothing needs doing; if it recurs, check the SD card (dmesg, badblocks)")]
    private static partial void LogQuarantined(ILogger logger, string path, long offset, long records, string quarantine);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Journal segment {Path}: truncated a torn tail at offset {Offset} ({Bytes} bytes of a record cut short by a power loss)")]
    private static partial void LogTornTail(ILogger logger, string path, long offset, long bytes);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Journal cursor in {Directory} is damaged; re-sending everything still in the journal (the store ignores duplicates)")]
    private static partial void LogCursorDamaged(ILogger logger, string directory);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Journal {Directory}: records {First} to {Last} are missing (a segment file was removed); counted as corrupt")]
    private static partial void LogGap(ILogger logger, string directory, long first, long last);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Journal segment {Path} cannot be read ({Reason}); {Records} records lost, the file was moved to {Target} and start-up goes on. If it recurs, check the SD card (dmesg, badblocks) and the state directory's ownership")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason, long records, string target);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "Journal file {Path} is not a segment; moved to {Target}")]
    private static partial void LogForeignFile(ILogger logger, string path, string target);
}
