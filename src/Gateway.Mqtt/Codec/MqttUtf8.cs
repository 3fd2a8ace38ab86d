using System.Buffers;
using System.Text;

namespace Gateway.Mqtt.Codec;

/// <summary>
/// UTF-8 encoded strings (MQTT 3.1.1 section 1.5.3): a 2-byte big-endian length then at most 65,535 bytes of
/// well-formed UTF-8 without surrogate code points ([MQTT-1.5.3-1]) and without U+0000 ([MQTT-1.5.3-2]).
/// </summary>
internal static class MqttUtf8
{
    public const int MaxBytes = ushort.MaxValue;

    // throwOnInvalidBytes: ill-formed UTF-8 (including encoded surrogates, overlongs) must close the connection
    // [MQTT-1.5.3-1] rather than be replaced with U+FFFD. No BOM is emitted or stripped ([MQTT-1.5.3-3]).
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Why <paramref name="value"/> cannot be sent as an MQTT string, or null when it can.</summary>
    public static string? Error(string? value)
    {
        if (value is null) return "is null";
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0') return "contains U+0000, which MQTT forbids [MQTT-1.5.3-2]";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return $"contains an unpaired surrogate at index {i}, which is not valid UTF-8 [MQTT-1.5.3-1]";
        }
        if (value.Length > MaxBytes / 3 && Strict.GetByteCount(value) > MaxBytes)
            return "is longer than 65535 UTF-8 bytes [MQTT-1.5.3]";
        return null;
    }

    public static int ByteCount(string value) => Strict.GetByteCount(value);

    /// <summary>Writes the 2-byte length and the bytes; the string must have passed <see cref="Error"/>.</summary>
    public static int Write(Span<byte> destination, string value)
    {
        var n = Strict.GetBytes(value, destination[2..]);
        destination[0] = (byte)(n >> 8);
        destination[1] = (byte)n;
        return n + 2;
    }

    /// <summary>Decodes <paramref name="bytes"/> strictly; throws <see cref="MqttProtocolException"/> naming <paramref name="field"/>.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string field)
    {
        string value;
        try { value = Strict.GetString(bytes); }
        catch (DecoderFallbackException ex)
        {
            throw new MqttProtocolException($"The {field} is not well-formed UTF-8 [MQTT-1.5.3-1].", ex);
        }
        if (value.Contains('\0', StringComparison.Ordinal))
            throw new MqttProtocolException($"The {field} contains U+0000 [MQTT-1.5.3-2].");
        return value;
    }

    public static string Decode(in ReadOnlySequence<byte> bytes, string field)
    {
        if (bytes.IsSingleSegment) return Decode(bytes.FirstSpan, field);
        var copy = ArrayPool<byte>.Shared.Rent((int)bytes.Length);
        try
        {
            bytes.CopyTo(copy);
            return Decode(copy.AsSpan(0, (int)bytes.Length), field);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}
