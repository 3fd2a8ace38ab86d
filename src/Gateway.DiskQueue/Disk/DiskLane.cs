using Microsoft.Win32.SafeHandles;

namespace Gateway.DiskQueue.Disk;

/// <summary>The state of one lane of a <see cref="DiskJournal"/> (guarded by the journal's lock).</summary>
internal sealed class DiskLane : IDisposable
{
    public DiskLane(JournalLane lane, string directory)
    {
        Lane = lane;
        Directory = directory;
    }

    public JournalLane Lane { get; }
    public string Directory { get; }

    /// <summary>Segments oldest first; the last one is the active (append) segment.</summary>
    public List<Segment> Segments { get; } = [];

    public Segment Active => Segments[^1];
    public SafeFileHandle? ActiveHandle { get; set; }

    public long NextId { get; set; } = 1;
    public long AckedId { get; set; }
    public long PersistedAckedId { get; set; }

    /// <summary>Where the reader is: a segment and a byte offset in it.</summary>
    public Segment? ReadSegment { get; set; }
    public long ReadOffset { get; set; }

    /// <summary>A read handle on <see cref="ReadSegment"/> when that is not the active segment.</summary>
    public SafeFileHandle? ReadHandle { get; set; }
    public Segment? ReadHandleSegment { get; set; }

    /// <summary>Records handed to the reader and not yet acknowledged, in id order.</summary>
    public Queue<(long Id, long AppendedUnixMs)> Inflight { get; } = new();

    public long UnacknowledgedRecords
    {
        get
        {
            long n = 0;
            foreach (var s in Segments)
            {
                if (s.LastId <= AckedId) continue;
                // Ids are consecutive within a segment except across a quarantined gap; this is for metrics.
                n += s.FirstId > AckedId ? s.Records : s.LastId - AckedId;
            }
            return n;
        }
    }

    public void CloseReadHandle()
    {
        ReadHandle?.Dispose();
        ReadHandle = null;
        ReadHandleSegment = null;
    }

    public void Dispose()
    {
        CloseReadHandle();
        ActiveHandle?.Dispose();
        ActiveHandle = null;
    }
}
