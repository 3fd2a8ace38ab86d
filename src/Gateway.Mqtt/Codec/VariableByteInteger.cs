namespace Gateway.Mqtt.Codec;

/// <summary>
/// The Remaining Length encoding (section 2.2.3): 7 bits per byte, least significant group first, the high bit set
/// while more bytes follow; at most 4 bytes, so at most 268,435,455.
/// </summary>
internal static class VariableByteInteger
{
    public const int MaxValue = 268_435_455;
    public const int MaxBytes = 4;

    public static int Size(int value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    public static int Write(Span<byte> destination, int value)
    {
        var i = 0;
        do
        {
            var b = (byte)(value % 128);
            value /= 128;
            if (value > 0) b |= 0x80;
            destination[i++] = b;
        }
        while (value > 0);
        return i;
    }
}
