using System.Buffers.Binary;
using System.Numerics;

namespace Gateway.DiskQueue.Disk;

/// <summary>
/// CRC-32C (Castagnoli, RFC 3720 §12.1 / B.4), the checksum of every journal record. Castagnoli rather than the zlib
/// CRC-32 because ARMv8 (Raspberry Pi 3/4/5) and SSE 4.2 compute it in hardware, which
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> uses when present; it also detects more error patterns in short
/// records (Castagnoli 1993).
/// </summary>
internal static class Crc32C
{
    /// <summary>The CRC of <paramref name="data"/> (initial value all ones, final complement, as iSCSI and ext4 use).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    /// <summary>Continues a running CRC state (not complemented) over more bytes.</summary>
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            // Little-endian 8-byte words feed the reflected CRC in byte order, the same as eight single-byte steps.
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data) state = BitOperations.Crc32C(state, b);
        return state;
    }
}
