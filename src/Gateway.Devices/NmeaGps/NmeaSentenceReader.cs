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
/// <para>Ownership: a returned <see cref="NmeaSentence"/> points into the reader's buffer when the line (and the
/// two bytes after it) lie in one segment, or into a per-thread scratch buffer otherwise; either way it is valid until the next read on
/// the same thread and until the caller releases the buffer. Copy what you keep.</para>
/// </remarks>
public static class NmeaSentenceReader
{
    /// <summary>
    /// NMEA allows 82 bytes including CR LF; real receivers exceed it (high-precision coordinates, 4.x fields), so we
    /// allow a margin and still bound the scan, so that a line that never ends cannot hold the buffer.
    /// </summary>
    public const int MaxSentenceLength = 120;

    /// <summary>
    /// What one step looks at: the longest line, the stop byte after it and the LF after a CR. Lines read in place when
    /// the reader's segment holds this much (or all there is); a line that spans segments is copied first.
    /// </summary>
    private const int WindowLength = MaxSentenceLength + 2;

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

        var window = Window(reader);
        var commas = default(CommaPositions);
        var length = Scan(window, ref commas, out var commaCount, out var xor, out var stars);
        if (length < 0)
        {
            if (reader.Remaining > MaxSentenceLength) return Skip(ref reader, MaxSentenceLength, NmeaReadResult.Malformed, out skippedBytes);
            return NmeaReadResult.NeedMoreData;
        }
        if (length > MaxSentenceLength) return Skip(ref reader, MaxSentenceLength, NmeaReadResult.Malformed, out skippedBytes);

        var stop = window[length];
        int terminatorLength;
        if (stop == (byte)'\n')
        {
            terminatorLength = 1;
        }
        else if (stop == (byte)'\r')
        {
            // CR LF is the standard ending; a lone CR followed by something else still ends the line.
            if (length + 1 >= window.Length) return NmeaReadResult.NeedMoreData;
            terminatorLength = window[length + 1] == (byte)'\n' ? 2 : 1;
        }
        else
        {
            // A second '$' (two lines spliced by an overrun) or a control/non-ASCII byte: drop the line up to it; the
            // stop byte itself is handled by the next step (a new sentence, or garbage).
            return Skip(ref reader, length, NmeaReadResult.Malformed, out skippedBytes);
        }

        var line = window[..length];
        var result = Validate(line, xor, stars, commaCount == 0 ? -1 : commas[0]);
        if (result != NmeaReadResult.Sentence)
            return Skip(ref reader, length + terminatorLength, result, out skippedBytes);
        sentence = new NmeaSentence(line[1..^3], commas, commaCount);
        reader.Advance(length + terminatorLength);
        return NmeaReadResult.Sentence;
    }

    /// <summary>
    /// The buffered bytes from the <c>$</c> on, up to <see cref="WindowLength"/>: in place when the reader's current
    /// segment holds them, else copied into the per-thread scratch buffer (a line that spans segments).
    /// </summary>
    private static ReadOnlySpan<byte> Window(in SequenceReader<byte> reader)
    {
        var unread = reader.UnreadSpan;
        if (unread.Length >= WindowLength || unread.Length == reader.Remaining) return unread;
        var scratch = t_scratch ??= new byte[WindowLength];
        var copy = scratch.AsSpan(0, (int)Math.Min(reader.Remaining, WindowLength));
        reader.TryCopyTo(copy);
        return copy;
    }

    /// <summary>
    /// One pass over the line after its <c>$</c>: returns the index of the first stop byte (line end, a new <c>$</c>,
    /// anything outside printable ASCII; NMEA 0183 v4.11 §5.1), or -1 when the window has none within
    /// <see cref="MaxSentenceLength"/> + 1 bytes. On the way it XORs every byte before the stop, counts the <c>*</c>s
    /// and notes where the commas are (as positions in the body, which starts after the <c>$</c>): a sentence's bytes
    /// are read once, not once for the line end, once for the checksum and once for the fields.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scan(ReadOnlySpan<byte> window, ref CommaPositions commas, out int commaCount, out byte xor, out int stars)
    {
        commaCount = 0;
        xor = 0;
        stars = 0;
        if (window.Length > MaxSentenceLength + 2) window = window[..(MaxSentenceLength + 2)];
        for (var i = 1; i < window.Length; i++)
        {
            var b = window[i];
            if ((uint)(b - 0x20) >= 0x7F - 0x20 || b == (byte)'$') return i;
            xor ^= b;
            if (b == (byte)',')
            {
                if (commaCount < NmeaSentence.IndexedCommas) commas[commaCount] = (byte)(i - 1);
                commaCount++;
            }
            else if (b == (byte)'*')
            {
                stars++;
            }
        }
        return -1;
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

    /// <summary>
    /// Checks <c>$body*hh</c> from what <see cref="Scan"/> found: the XOR of every byte after the <c>$</c>, the number
    /// of <c>*</c>s, and the body position of the first comma (-1 when none), which ends the address.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static NmeaReadResult Validate(ReadOnlySpan<byte> line, byte xor, int stars, int firstComma)
    {
        // Shortest useful line: "$" + 2-letter talker + 1 letter + "*hh".
        if (line.Length < 7 || line[^3] != (byte)'*') return NmeaReadResult.Malformed;
        if (!TryHex(line[^2], out var high) || !TryHex(line[^1], out var low)) return NmeaReadResult.Malformed;
        if (stars != 1) return NmeaReadResult.Malformed; // a '*' inside the body
        var checksum = xor ^ (byte)'*' ^ line[^2] ^ line[^1]; // the XOR of the body alone
        if (checksum != ((high << 4) | low)) return NmeaReadResult.ChecksumError;
        // A comma after the '*' would have failed the hex check: the first comma, if any, lies in the body.
        var address = firstComma < 0 ? line[1..^3] : line[1..(firstComma + 1)];
        if (address.Length < 2) return NmeaReadResult.Malformed;
        foreach (var b in address)
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'Z'))) return NmeaReadResult.Malformed;
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
