namespace Gateway.DiskQueue.Disk;

/// <summary>
/// A lane's acknowledgement cursor: the id of the last record the broker acknowledged, in a 16-byte
/// <see cref="CheckedRecordFile"/> (id: 8 bytes LE, CRC-32C of the id: 4, magic "GWC1": 4), replaced through
/// <c>cursor.tmp</c>, which recovery removes. A crash leaves the old or the new cursor, never a mix; an older cursor
/// only re-sends records the store already has (harmless duplicates).
/// </summary>
internal static class CursorFile
{
    private const uint Magic = 0x31435747;
    private const string Name = "cursor";

    /// <summary>Reads the cursor; 0 when absent. <paramref name="damaged"/> when it exists but fails its check.</summary>
    public static long Read(string directory, out bool damaged)
    {
        Span<long> id = stackalloc long[1];
        var found = CheckedRecordFile.Read(Path.Combine(directory, Name), Magic, id);
        damaged = found == CheckedRecord.Damaged || (found == CheckedRecord.Valid && id[0] < 0);
        return found == CheckedRecord.Valid && !damaged ? id[0] : 0;
    }

    public static void Write(string directory, long id) => CheckedRecordFile.Write(Path.Combine(directory, Name), Magic, [id]);
}
