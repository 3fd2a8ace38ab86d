using System.Buffers.Binary;
using Gateway.Core.Files;

namespace Gateway.DiskQueue.Disk;

/// <summary>
/// A lane's acknowledgement cursor: the id of the last record the broker acknowledged, in a 16-byte file
/// (id: 8 bytes LE, CRC-32C of the id: 4, magic "GWC1": 4). Updated crash-atomically by <see cref="AtomicFile"/> (through <c>cursor.tmp</c>, which recovery removes). A crash leaves the old or the
/// new cursor, never a mix; an older cursor only re-sends records the store already has (harmless duplicates).
/// </summary>
internal static class CursorFile
{
    private const uint Magic = 0x31435747;
    private const string Name = "cursor";

    /// <summary>Reads the cursor; 0 when absent. <paramref name="damaged"/> when it exists but fails its check.</summary>
    public static long Read(string directory, out bool damaged)
    {
        damaged = false;
        var path = Path.Combine(directory, Name);
        if (!File.Exists(path)) return 0;
        Span<byte> data = stackalloc byte[16];
        using (var handle = File.OpenHandle(path))
        {
            if (RandomAccess.GetLength(handle) != 16 || RandomAccess.Read(handle, data, 0) != 16)
            {
                damaged = true;
                return 0;
            }
        }
        var id = BinaryPrimitives.ReadInt64LittleEndian(data);
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[12..]) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(data[8..]) != Crc32C.Compute(data[..8]) || id < 0)
        {
            damaged = true;
            return 0;
        }
        return id;
    }

    public static void Write(string directory, long id)
    {
        Span<byte> data = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(data, id);
        BinaryPrimitives.WriteUInt32LittleEndian(data[8..], Crc32C.Compute(data[..8]));
        BinaryPrimitives.WriteUInt32LittleEndian(data[12..], Magic);
        AtomicFile.WriteAllBytes(Path.Combine(directory, Name), data, AtomicFile.Readable);
    }
}
