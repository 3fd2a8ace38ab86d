using System.Runtime.CompilerServices;
using System.Buffers;

namespace Gateway.Devices.NmeaGps;

/// <summary>
/// Finds checksum-verified NMEA 0183 sentences in a byte stream and resynchronises on anything else. Serial lines
/// deliver noise, NULs at power-up, lines cut by a buffer overrun and lines spliced together, so bad input is skipped
/// and reported, never thrown: a receiver that misbehaves must not stop the gateway.
/// </summary>
/// <remarks>
/// <para>Grammar: garbage* <c>$</c> address <c>{,field}</c> <c>*hh</c> (<c>\r\n</c> | <c>\n</c>), printable ASCII
/// only (NMEA 0183 v4.11 §5.1), at most <see cref="MaxSentenceLength"/> bytes from <c>$</c> to the checksum.
/// <c>hh</c> is the XOR of every byte between <c>$</c> and <c>*</c>, in either hex case.</para>
/// <para>Ownership: a returned <see cref="NmeaSentence"/> points into the reader's buffer when the line lies in one
/// segment, or into a per-thread scratch buffer when it spans segments; either way it is valid until the next read on
/// the same thread and until the caller releases the buffer. Copy what you keep.</para>
/// </remarks>
public static class NmeaSentenceReader
{
    /// <summary>
    /// NMEA allows 82 bytes including CR LF; real receivers exceed it (high-precision coordinates, 4.x fields), so we
    /// allow a margin and still bound the scan, so that a line that never ends cannot hold the buffer.
    /// </summary>
    public const int MaxSentenceLength = 120;

    // Bytes that end the scan of a sentence: line ends, a new '$', and anything outside printable ASCII.
    private static readonly SearchValues<byte> Stops = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'$', .. Enumerable.Range(0x7F, 0x81).Select(b => (byte)b)]);

    [ThreadStatic]
    private static byte[]? t_scratch;

    /// <summary>
    /// Reads the next sentence, skipping (and counting into <paramref name="statistics"/>) whatever is not one.
    /// Returns false when more bytes are needed; then nothing from the pending <c>$</c> on has been consumed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRead(ref SequenceReader<byte> reader, out NmeaSentence sentence, NmeaStatistics? statistics)
    {
        while (true)
        {
            var result = Read(ref reader, out sentence, out var skipped);
            statistics?.Count(result, skipped);
            if (result == NmeaReadResult.Sentence) return true;
            if (result == NmeaReadResult.NeedMoreData) return false;
        }
    }

    /// <summary>As the other overload, without counting what was skipped.</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out NmeaSentence sentence) =>
        TryRead(ref reader, out sentence, null);

    /// <summary>
    /// One step: returns a sentence, or says what was skipped and how many bytes that consumed
    /// (<paramref name="skippedBytes"/>), or that more bytes are needed (nothing consumed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NmeaReadResult Read(ref SequenceReader<byte> reader, out NmeaSentence sentence, out int skippedBytes)
    {
        sentence = default;
        skippedBytes = 0;
        if (!reader.TryPeek(out var first)) return NmeaReadResult.NeedMoreData;
        if (first != (byte)'$') return SkipGarbage(ref reader, out skippedBytes);

        // Scan from after '$' for the first stop byte, on a copy so that "need more" consumes nothing.
        var scan = reader;
        scan.Advance(1);
        if (!AdvanceToStop(ref scan))
        {
            if (reader.Remaining > MaxSentenceLength) return Skip(ref reader, MaxSentenceLength, NmeaReadResult.Malformed, out skippedBytes);
            return NmeaReadResult.NeedMoreData;
        }
        var length = (int)Math.Min(scan.Consumed - reader.Consumed, int.MaxValue);
        if (length > MaxSentenceLength) return Skip(ref reader, MaxSentenceLength, NmeaReadResult.Malformed, out skippedBytes);

        scan.TryPeek(out var stop);
        int terminatorLength;
        if (stop == (byte)'\n')
        {
            terminatorLength = 1;
        }
        else if (stop == (byte)'\r')
        {
            // CR LF is the standard ending; a lone CR followed by something else still ends the line.
            if (!scan.TryPeek(1, out var next)) return NmeaReadResult.NeedMoreData;
            terminatorLength = next == (byte)'\n' ? 2 : 1;
        }
        else
        {
            // A second '$' (two lines spliced by an overrun) or a control/non-ASCII byte: drop the line up to it; the
            // stop byte itself is handled by the next step (a new sentence, or garbage).
            return Skip(ref reader, length, NmeaReadResult.Malformed, out skippedBytes);
        }

        var line = Line(reader, length);
        var result = Validate(line, out var body);
        if (result != NmeaReadResult.Sentence)
            return Skip(ref reader, length + terminatorLength, result, out skippedBytes);
        sentence = new NmeaSentence(body);
        reader.Advance(length + terminatorLength);
        return NmeaReadResult.Sentence;
    }

    /// <summary>Moves to the first stop byte, looking at no more than one byte past the length bound.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AdvanceToStop(ref SequenceReader<byte> scan)
    {
        var budget = MaxSentenceLength + 1;
        while (budget > 0 && !scan.End)
        {
            var span = scan.UnreadSpan;
            if (span.Length > budget) span = span[..budget];
            var index = span.IndexOfAny(Stops);
            if (index >= 0)
            {
                scan.Advance(index);
                return true;
            }
            scan.Advance(span.Length);
            budget -= span.Length;
        }
        return false;
    }

    private static NmeaReadResult SkipGarbage(ref SequenceReader<byte> reader, out int skippedBytes)
    {
        var start = reader.Consumed;
        if (!reader.TryAdvanceTo((byte)'$', advancePastDelimiter: false)) reader.AdvanceToEnd();
        skippedBytes = (int)Math.Min(reader.Consumed - start, int.MaxValue);
        return NmeaReadResult.Garbage;
    }

    private static NmeaReadResult Skip(ref SequenceReader<byte> reader, int count, NmeaReadResult result, out int skippedBytes)
    {
        reader.Advance(count);
        skippedBytes = count;
        return result;
    }

    /// <summary>The line's bytes ('$' to the checksum) without copying when they lie in one segment.</summary>
    private static ReadOnlySpan<byte> Line(SequenceReader<byte> reader, int length)
    {
        var unread = reader.UnreadSpan;
        if (unread.Length >= length) return unread[..length];
        var scratch = t_scratch ??= new byte[MaxSentenceLength];
        var copy = scratch.AsSpan(0, length);
        reader.TryCopyTo(copy);
        return copy;
    }

    /// <summary>Checks <c>$body*hh</c>; returns the body between '$' and '*'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static NmeaReadResult Validate(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> body)
    {
        body = default;
        // Shortest useful line: "$" + 2-letter talker + 1 letter + "*hh".
        if (line.Length < 7 || line[^3] != (byte)'*') return NmeaReadResult.Malformed;
        if (!TryHex(line[^2], out var high) || !TryHex(line[^1], out var low)) return NmeaReadResult.Malformed;
        var candidate = line[1..^3];
        if (candidate.Contains((byte)'*')) return NmeaReadResult.Malformed;
        byte checksum = 0;
        foreach (var b in candidate) checksum ^= b;
        if (checksum != ((high << 4) | low)) return NmeaReadResult.ChecksumError;
        var addressEnd = candidate.IndexOf((byte)',');
        var address = addressEnd < 0 ? candidate : candidate[..addressEnd];
        if (address.Length < 2 || address.ContainsAnyExceptInRange((byte)'0', (byte)'Z') || address.ContainsAnyInRange((byte)':', (byte)'@'))
            return NmeaReadResult.Malformed;
        body = candidate;
        return NmeaReadResult.Sentence;
    }

    private static bool TryHex(byte c, out int value)
    {
        value = c switch
        {
            >= (byte)'0' and <= (byte)'9' => c - '0',
            >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
            >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
