using System.Buffers.Binary;

namespace Gateway.Devices.Bme280;

/// <summary>
/// The trimming parameters burnt into each part (§4.2.2, table 16). Parsed from the two blocks 0x88..0xA1 (26 bytes)
/// and 0xE1..0xE7 (7 bytes); words are little-endian, and dig_H4/dig_H5 are 12-bit values sharing 0xE5's nibbles.
/// </summary>
internal sealed record Bme280Calibration
{
    /// <summary>Length of the block at 0x88..0xA1.</summary>
    public const int LowBlockLength = 26;

    /// <summary>Length of the block at 0xE1..0xE7.</summary>
    public const int HighBlockLength = 7;

    public ushort T1 { get; init; }
    public short T2 { get; init; }
    public short T3 { get; init; }
    public ushort P1 { get; init; }
    public short P2 { get; init; }
    public short P3 { get; init; }
    public short P4 { get; init; }
    public short P5 { get; init; }
    public short P6 { get; init; }
    public short P7 { get; init; }
    public short P8 { get; init; }
    public short P9 { get; init; }
    public byte H1 { get; init; }
    public short H2 { get; init; }
    public byte H3 { get; init; }
    public short H4 { get; init; }
    public short H5 { get; init; }
    public sbyte H6 { get; init; }

    /// <summary>Parses the two calibration blocks as read from the device.</summary>
    public static Bme280Calibration Parse(ReadOnlySpan<byte> low, ReadOnlySpan<byte> high)
    {
        if (low.Length != LowBlockLength || high.Length != HighBlockLength)
        {
            throw new ArgumentException(
                $"BME280 calibration blocks are {LowBlockLength} and {HighBlockLength} bytes; got {low.Length} and {high.Length}.");
        }
        return new Bme280Calibration
        {
            T1 = BinaryPrimitives.ReadUInt16LittleEndian(low),
            T2 = BinaryPrimitives.ReadInt16LittleEndian(low[2..]),
            T3 = BinaryPrimitives.ReadInt16LittleEndian(low[4..]),
            P1 = BinaryPrimitives.ReadUInt16LittleEndian(low[6..]),
            P2 = BinaryPrimitives.ReadInt16LittleEndian(low[8..]),
            P3 = BinaryPrimitives.ReadInt16LittleEndian(low[10..]),
            P4 = BinaryPrimitives.ReadInt16LittleEndian(low[12..]),
            P5 = BinaryPrimitives.ReadInt16LittleEndian(low[14..]),
            P6 = BinaryPrimitives.ReadInt16LittleEndian(low[16..]),
            P7 = BinaryPrimitives.ReadInt16LittleEndian(low[18..]),
            P8 = BinaryPrimitives.ReadInt16LittleEndian(low[20..]),
            P9 = BinaryPrimitives.ReadInt16LittleEndian(low[22..]),
            // low[24] is 0xA0, unused.
            H1 = low[25],
            H2 = BinaryPrimitives.ReadInt16LittleEndian(high),
            H3 = high[2],
            // 0xE4 holds dig_H4[11:4] and 0xE6 dig_H5[11:4], both signed (Bosch's reference driver casts them to
            // int8_t); 0xE5[3:0] is dig_H4[3:0] and 0xE5[7:4] is dig_H5[3:0].
            H4 = (short)(((sbyte)high[3] * 16) | (high[4] & 0x0F)),
            H5 = (short)(((sbyte)high[5] * 16) | (high[4] >> 4)),
            H6 = (sbyte)high[6],
        };
    }
}
