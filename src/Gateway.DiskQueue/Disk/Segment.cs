using System.Globalization;

namespace Gateway.DiskQueue.Disk;

/// <summary>
/// One segment file of a lane, named after the id of its first record (<c>00000000000000000042.seg</c>), so that
/// sorting names sorts records. The counters say how much of it the reader has taken, so a quota drop can count
/// exactly the items that never reached the publisher.
/// </summary>
internal sealed class Segment
{
    public const string Extension = ".seg";

    public Segment(string path, long firstId)
    {
        Path = path;
        FirstId = firstId;
        LastId = firstId - 1;
    }

    public string Path { get; }
    public long FirstId { get; }

    /// <summary>Id of the last record; <see cref="FirstId"/> - 1 while empty.</summary>
    public long LastId { get; set; }

    public long Length { get; set; }

    /// <summary>Byte offset of the last record (valid when <see cref="Records"/> &gt; 0).</summary>
    public long LastRecordOffset { get; set; }
    public long Records { get; set; }
    public long Items { get; set; }
    public long ReadRecords { get; set; }
    public long ReadItems { get; set; }
    public bool Deleted { get; set; }

    public static string FileName(long firstId) => firstId.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseFileName(string fileName, out long firstId)
    {
        firstId = 0;
        return fileName.EndsWith(Extension, StringComparison.Ordinal) && fileName.Length == 20 + Extension.Length
            && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out firstId) && firstId > 0;
    }
}
