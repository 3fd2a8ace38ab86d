using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Gateway.Hardware.Simulation.Tags;

/// <summary>
/// What a tag's firmware transmits: the version-1 asset tag frame (big-endian; version, tag id, counter, flags,
/// battery mV, optional latitude/longitude in 1e-7°, then the first 4 bytes of AES-128-CMAC over the rest). Written
/// here from the frame specification, with its own CMAC (RFC 4493), on purpose instead of sharing the gateway's code:
/// like the BME280 model, the simulation is an independent reading of the spec, so a bug on one side shows up.
/// </summary>
public static class SimulatedTagFrame
{
    /// <summary>Flags bit 0 (byte 9): the tag's accelerometer saw movement since the previous frame.</summary>
    public const byte FlagMoving = 1;

    /// <summary>Flags bit 1: the alarm button is pressed (or was, since the previous frame).</summary>
    public const byte FlagAlarm = 2;

    /// <summary>Flags bit 2: the battery is below the tag's own threshold.</summary>
    public const byte FlagLowBattery = 4;

    /// <summary>Flags bit 3: latitude and longitude follow at bytes 12..19.</summary>
    public const byte FlagPosition = 8;

    /// <summary>Builds a frame; <paramref name="latitude"/>/<paramref name="longitude"/> are written only when not null.</summary>
    public static byte[] Encode(byte[] key, uint tagId, uint counter, byte flags, ushort batteryMillivolts, double? latitude, double? longitude)
    {
        ArgumentNullException.ThrowIfNull(key);
        var position = latitude is not null && longitude is not null;
        flags = position ? (byte)(flags | FlagPosition) : (byte)(flags & ~FlagPosition);
        var frame = new byte[position ? 24 : 16];
        frame[0] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), tagId);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), counter);
        frame[9] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(10), batteryMillivolts);
        if (position)
        {
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(12), (int)Math.Round(latitude!.Value * 1e7));
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(16), (int)Math.Round(longitude!.Value * 1e7));
        }
        var mac = Cmac(key, frame.AsSpan(0, frame.Length - 4));
        mac.AsSpan(0, 4).CopyTo(frame.AsSpan(frame.Length - 4));
        return frame;
    }

    /// <summary>RFC 4493 AES-CMAC, straight from §2.3/§2.4 with byte arrays (speed does not matter for a tag).</summary>
    public static byte[] Cmac(byte[] key, ReadOnlySpan<byte> message)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        byte[] Enc(byte[] block) => aes.EncryptEcb(block, PaddingMode.None);
        static byte[] Shift(byte[] b)
        {
            var r = new byte[16];
            for (var i = 0; i < 16; i++) r[i] = (byte)((b[i] << 1) | (i < 15 ? b[i + 1] >> 7 : 0));
            if ((b[0] & 0x80) != 0) r[15] ^= 0x87;
            return r;
        }
        var k1 = Shift(Enc(new byte[16]));
        var k2 = Shift(k1);
        var blocks = message.Length == 0 ? 1 : (message.Length + 15) / 16;
        var complete = message.Length > 0 && message.Length % 16 == 0;
        var x = new byte[16];
        for (var b = 0; b < blocks; b++)
        {
            var block = new byte[16];
            var chunk = message.Slice(b * 16, Math.Min(16, message.Length - (b * 16)));
            chunk.CopyTo(block);
            if (b == blocks - 1)
            {
                if (!complete) block[chunk.Length] = 0x80;
                var k = complete ? k1 : k2;
                for (var i = 0; i < 16; i++) block[i] ^= k[i];
            }
            for (var i = 0; i < 16; i++) block[i] ^= x[i];
            x = Enc(block);
        }
        return x;
    }
}
