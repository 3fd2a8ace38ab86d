using System.Buffers.Binary;
using Gateway.Core.Files;

namespace Gateway.DiskQueue.Disk;

/// <summary>What <see cref="CheckedRecordFile.Read"/> found.</summary>
internal enum CheckedRecord
{
    Absent,
    Damaged,
    Valid,
}

/// <summary>
/// The journal's small state files (<see cref="CursorFile"/>, <see cref="CleanStopFile"/>): N little-endian 64-bit
/// values, the CRC-32C of those bytes (4, LE) and a 4-byte magic that names the file's kind and version. Replaced
/// crash-atomically by <see cref="AtomicFile"/>, so a crash leaves the old or the new record; a file of another length,
/// magic or CRC (a disk that lies, a hand edit, another version) reads as damaged, never as a value.
/// </summary>
internal static class CheckedRecordFile
{
    /// <summary>The most values a record holds (the clean-stop record has two: one per lane).</summary>
    private const int MaxValues = 4;

    public static void Write(string path, uint magic, ReadOnlySpan<long> values)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(values.Length, MaxValues);
        Span<byte> data = stackalloc byte[Length(values.Length)];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(data[(i * 8)..], values[i]);
        var end = values.Length * 8;
        BinaryPrimitives.WriteUInt32LittleEndian(data[end..], Crc32C.Compute(data[..end]));
        BinaryPrimitives.WriteUInt32LittleEndian(data[(end + 4)..], magic);
        AtomicFile.WriteAllBytes(path, data, AtomicFile.Readable);
    }

    /// <summary>Reads <paramref name="values"/>.Length values; they are set only when the result is <see cref="CheckedRecord.Valid"/>.</summary>
    public static CheckedRecord Read(string path, uint magic, Span<long> values)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(values.Length, MaxValues);
        if (!File.Exists(path)) return CheckedRecord.Absent;
        Span<byte> data = stackalloc byte[Length(values.Length)];
        using (var handle = File.OpenHandle(path))
        {
            if (RandomAccess.GetLength(handle) != data.Length || RandomAccess.Read(handle, data, 0) != data.Length) return CheckedRecord.Damaged;
        }
        var end = values.Length * 8;
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[(end + 4)..]) != magic
            || BinaryPrimitives.ReadUInt32LittleEndian(data[end..]) != Crc32C.Compute(data[..end]))
            return CheckedRecord.Damaged;
        for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(data[(i * 8)..]);
        return CheckedRecord.Valid;
    }

    private static int Length(int values) => (values * 8) + 8;
}
