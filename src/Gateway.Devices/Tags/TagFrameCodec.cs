using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Gateway.Devices.Tags;

/// <summary>
/// Reads and writes asset tag frames, version 1. All integers are big-endian:
/// <code>
/// offset  size  field
///  0      1     version = 0x01
///  1      4     tag id (u32)
///  5      4     frame counter (u32), strictly increasing per tag
///  9      1     flags: bit0 moving, bit1 alarm button, bit2 low battery, bit3 position present, bits 4-7 reserved
/// 10      2     battery (u16, mV)
/// 12      4     latitude (i32, 1e-7 degrees)   \ only when bit3 is set
/// 16      4     longitude (i32, 1e-7 degrees)  /
/// n-4     4     MIC: the first 4 bytes of AES-128-CMAC (RFC 4493) over bytes 0..n-5 with the tag's key
/// </code>
/// so a frame is 16 bytes, or 24 with a position. Parser contract (STYLE.md habit 5): <see cref="TryRead"/> returns
/// false and consumes nothing while bytes are missing and throws <see cref="TagFrameException"/> for malformed input.
/// </summary>
public static class TagFrameCodec
{
    /// <summary>Byte 0 of every frame this codec reads; another value is <see cref="TagFrameError.UnknownVersion"/>.</summary>
    public const byte Version1 = 0x01;

    /// <summary>The MIC is the CMAC truncated to 4 bytes: a forgery succeeds with odds of 2^-32 per frame, and the
    /// counter check stops any one forged frame from being replayed.</summary>
    public const int MicLength = 4;

    /// <summary>Version, tag id, counter, flags and battery: bytes 0..11.</summary>
    public const int HeaderLength = 12;

    /// <summary>Latitude and longitude, two big-endian i32 in 1e-7 degrees, present when <see cref="TagFlags.Position"/> is set.</summary>
    public const int PositionLength = 8;

    /// <summary>A frame without a position: 16 bytes.</summary>
    public const int ShortLength = HeaderLength + MicLength;

    /// <summary>A frame with a position, the longest there is: 24 bytes.</summary>
    public const int MaxLength = HeaderLength + PositionLength + MicLength;

    /// <summary>The wire length a frame with these flags has.</summary>
    public static int LengthFor(TagFlags flags) => (flags & TagFlags.Position) != 0 ? MaxLength : ShortLength;

    /// <summary>Reads one frame (without checking its MIC, which needs the tag's key).</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out TagFrame frame)
    {
        frame = default;
        if (reader.Remaining < 1) return false;
        reader.TryPeek(out var version);
        if (version != Version1)
            throw new TagFrameException(TagFrameError.UnknownVersion, $"unknown frame version 0x{version:X2}; this gateway reads version 0x01");
        if (reader.Remaining < 10) return false;
        Span<byte> bytes = stackalloc byte[MaxLength];
        reader.TryCopyTo(bytes[..10]);
        var length = LengthFor((TagFlags)bytes[9]);
        if (reader.Remaining < length) return false;
        reader.TryCopyTo(bytes[..length]);
        frame = Parse(bytes[..length]);
        reader.Advance(length);
        return true;
    }

    /// <summary>
    /// Decodes one radio packet that must hold exactly one frame (a radio packet has no room for anything else).
    /// Throws <see cref="TagFrameException"/> with the reason for a packet that does not.
    /// </summary>
    public static TagFrame Decode(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
            throw new TagFrameException(TagFrameError.WrongLength, "empty packet; a frame is 16 or 24 bytes");
        if (packet[0] != Version1)
            throw new TagFrameException(TagFrameError.UnknownVersion, $"unknown frame version 0x{packet[0]:X2}; this gateway reads version 0x01");
        if (packet.Length < 10)
            throw new TagFrameException(TagFrameError.WrongLength, $"packet is {packet.Length} bytes; a frame is 16 or 24 bytes");
        var expected = LengthFor((TagFlags)packet[9]);
        if (packet.Length != expected)
        {
            throw new TagFrameException(TagFrameError.WrongLength,
                $"packet is {packet.Length} bytes but its flags (0x{packet[9]:X2}) say {expected}; a frame is 16 bytes, or 24 with a position");
        }
        return Parse(packet);
    }

    /// <summary>True when the packet's last 4 bytes are the CMAC of the rest under <paramref name="cmac"/>'s key (constant time).</summary>
    public static bool VerifyMic(ReadOnlySpan<byte> packet, AesCmac cmac)
    {
        ArgumentNullException.ThrowIfNull(cmac);
        if (packet.Length < MicLength + 1) return false;
        Span<byte> mac = stackalloc byte[AesCmac.BlockSize];
        cmac.Compute(packet[..^MicLength], mac);
        return CryptographicOperations.FixedTimeEquals(mac[..MicLength], packet[^MicLength..]);
    }

    /// <summary>
    /// Writes <paramref name="frame"/> (its <see cref="TagFrame.Mic"/> is ignored) with a MIC computed under
    /// <paramref name="cmac"/>'s key; returns the number of bytes written.
    /// </summary>
    public static int Encode(in TagFrame frame, AesCmac cmac, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(cmac);
        var length = frame.WireLength;
        if (destination.Length < length) throw new ArgumentException($"The frame needs {length} bytes.", nameof(destination));
        destination[0] = Version1;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], frame.TagId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], frame.Counter);
        destination[9] = (byte)frame.Flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], frame.BatteryMillivolts);
        if (frame.HasPosition)
        {
            BinaryPrimitives.WriteInt32BigEndian(destination[12..], frame.Latitude1e7);
            BinaryPrimitives.WriteInt32BigEndian(destination[16..], frame.Longitude1e7);
        }
        Span<byte> mac = stackalloc byte[AesCmac.BlockSize];
        cmac.Compute(destination[..(length - MicLength)], mac);
        mac[..MicLength].CopyTo(destination[(length - MicLength)..]);
        return length;
    }

    private static TagFrame Parse(ReadOnlySpan<byte> bytes)
    {
        var flags = (TagFlags)bytes[9];
        int lat = 0, lon = 0;
        if ((flags & TagFlags.Position) != 0)
        {
            lat = BinaryPrimitives.ReadInt32BigEndian(bytes[12..]);
            lon = BinaryPrimitives.ReadInt32BigEndian(bytes[16..]);
            if (lat is < -900_000_000 or > 900_000_000 || lon is < -1_800_000_000 or > 1_800_000_000)
                throw new TagFrameException(TagFrameError.BadPosition, $"position {lat / 1e7}, {lon / 1e7} is outside ±90°/±180°");
        }
        return new TagFrame(
            BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[5..]),
            flags,
            BinaryPrimitives.ReadUInt16BigEndian(bytes[10..]),
            lat,
            lon,
            BinaryPrimitives.ReadUInt32BigEndian(bytes[^MicLength..]));
    }
}
