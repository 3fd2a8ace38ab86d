using System.Buffers.Binary;

namespace Gateway.DiskQueue.Disk;

/// <summary>
/// How one record sits in a segment file. All integers little-endian:
/// <code>
/// offset  size  field
///  0      4     magic "GWJ1" (0x314A5747): lets recovery find the next record after a damaged one
///  4      4     payload length in bytes
///  8      8     record id (per lane, strictly increasing)
/// 16      8     append time, Unix milliseconds (oldest-unsent age)
/// 24      4     item count (readings in the batch)
/// 28      4     CRC-32C over bytes 4..27 and the payload
/// 32      n     payload (line protocol)
/// </code>
/// The CRC covers the length, so a torn or flipped length is caught before it is trusted.
/// </summary>
internal static class RecordFrame
{
    public const int HeaderSize = 32;
    public const uint Magic = 0x314A5747;

    /// <summary>Largest payload accepted on read: a batch is at most 64 KiB by default; this leaves room and rejects wild lengths.</summary>
    public const int MaxPayload = 16 * 1024 * 1024;

    public static int Write(Span<byte> destination, long id, int items, long appendedUnixMs, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], id);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], appendedUnixMs);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], items);
        payload.CopyTo(destination[HeaderSize..]);
        var crc = ~Crc32C.Append(Crc32C.Append(~0u, destination[4..28]), payload);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], crc);
        return HeaderSize + payload.Length;
    }

    /// <summary>
    /// Checks the record at the start of <paramref name="data"/>. <see cref="FrameStatus.Incomplete"/> when the bytes
    /// end inside a record whose header is intact (a torn tail); <see cref="FrameStatus.Invalid"/> for a bad magic,
    /// length or CRC.
    /// </summary>
    public static FrameStatus Check(ReadOnlySpan<byte> data, out FrameHeader header)
    {
        header = default;
        if (data.Length < HeaderSize)
            return data.Length < 4 || BinaryPrimitives.ReadUInt32LittleEndian(data) == Magic ? FrameStatus.Incomplete : FrameStatus.Invalid;
        if (BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic) return FrameStatus.Invalid;
        var length = BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
        if (length is < 0 or > MaxPayload) return FrameStatus.Invalid;
        if (data.Length < HeaderSize + length) return FrameStatus.Incomplete;
        var crc = ~Crc32C.Append(Crc32C.Append(~0u, data[4..28]), data.Slice(HeaderSize, length));
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(data[28..])) return FrameStatus.Invalid;
        header = ReadHeader(data);
        return FrameStatus.Valid;
    }

    /// <summary>Reads the header fields without checking them (the caller checks the CRC with the payload).</summary>
    public static FrameHeader ReadHeader(ReadOnlySpan<byte> data) => new(
        BinaryPrimitives.ReadInt32LittleEndian(data[4..]),
        BinaryPrimitives.ReadInt64LittleEndian(data[8..]),
        BinaryPrimitives.ReadInt64LittleEndian(data[16..]),
        BinaryPrimitives.ReadInt32LittleEndian(data[24..]));
}

internal enum FrameStatus : byte
{
    Valid,
    Incomplete,
    Invalid,
}

internal readonly record struct FrameHeader(int PayloadLength, long Id, long AppendedUnixMs, int Items)
{
    public int FrameLength => RecordFrame.HeaderSize + PayloadLength;
}
