using System.Buffers.Binary;
using Gateway.Core.Files;

namespace Gateway.DiskQueue.Disk;

/// <summary>
/// The record of a clean stop: written by <see cref="DiskJournal"/>'s dispose after everything was synced, holding the
/// last id of each lane; taken (read and deleted) at the next open. With it, recovery knows that nothing was being
/// written when the journal closed, so a short last record, or records missing at the end, cannot be a power cut's torn
/// tail: they are damage, and every id up to the recorded last one that is not there is counted as lost.
/// 24 bytes: telemetry last id (8, LE), event last id (8), CRC-32C of both (4), magic "GWS1" (4). A partial or stale
/// file fails its check and counts as no clean stop, which only means the torn-tail rule applies.
/// </summary>
internal static class CleanStopFile
{
    private const uint Magic = 0x31535747;
    private const string Name = "clean-stop";

    public static void Write(string directory, long telemetryLastId, long eventLastId)
    {
        Span<byte> data = stackalloc byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(data, telemetryLastId);
        BinaryPrimitives.WriteInt64LittleEndian(data[8..], eventLastId);
        BinaryPrimitives.WriteUInt32LittleEndian(data[16..], Crc32C.Compute(data[..16]));
        BinaryPrimitives.WriteUInt32LittleEndian(data[20..], Magic);
        AtomicFile.WriteAllBytes(Path.Combine(directory, Name), data, AtomicFile.Readable);
    }

    /// <summary>
    /// Reads and deletes the record (durably, before anything is appended: a later crash must not look clean). Null
    /// when the last stop was not clean; else the last id per lane, indexed by <see cref="JournalLane"/>.
    /// </summary>
    public static long[]? Take(string directory)
    {
        var path = Path.Combine(directory, Name);
        if (!File.Exists(path)) return null;
        var data = File.ReadAllBytes(path);
        File.Delete(path);
        DirectorySync.Sync(directory);
        if (data.Length != 24 || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(20)) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(16)) != Crc32C.Compute(data.AsSpan(0, 16)))
            return null;
        return [BinaryPrimitives.ReadInt64LittleEndian(data), BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8))];
    }
}
