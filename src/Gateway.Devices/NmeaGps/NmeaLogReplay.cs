using System.Runtime.CompilerServices;
using System.Buffers;

namespace Gateway.Devices.NmeaGps;

/// <summary>
/// Decodes a captured NMEA log (a file or a pipe) into fixes, the way gpsd reads its regression logs: <c>#</c> comment
/// lines are skipped, and a <c># Date: yyyy-mm-dd</c> header sets the reference date for the century of two-digit
/// years and for the GPS week-rollover repair (see <see cref="NmeaDateResolver"/>). Used by <c>gatewayctl gps
/// replay</c>, its tests against gpsd, and the benchmark.
/// </summary>
public sealed class NmeaLogReplay
{
    /// <summary>Read size: large enough that the per-read cost vanishes, small enough for a Pi Zero's cache.</summary>
    private const int ChunkSize = 64 * 1024;

    /// <summary>A comment line longer than this is skipped without being read as a header.</summary>
    private const int MaxHeaderLength = 256;

    private readonly DateOnly? _fixedDate;

    /// <param name="date">A reference date that overrides the log's <c># Date:</c> headers; null to honour them.</param>
    public NmeaLogReplay(DateOnly? date = null)
    {
        _fixedDate = date;
        Assembler = new NmeaEpochAssembler(Statistics, new NmeaDateResolver(date));
    }

    /// <summary>What the replay read: sentences, checksum errors, garbage and fixes; <c>gatewayctl gps replay</c> prints it.</summary>
    public NmeaStatistics Statistics { get; } = new();

    /// <summary>The assembler, for its sky view (<see cref="NmeaEpochAssembler.Satellites"/>) inside the callback.</summary>
    public NmeaEpochAssembler Assembler { get; }

    /// <summary>
    /// Reads <paramref name="input"/> to its end and calls <paramref name="onFix"/> for every completed cycle, in order
    /// (the last one when the input ends). Returns the number of cycles.
    /// </summary>
    public long Run(Stream input, Action<NmeaFix> onFix)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(onFix);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize + MaxHeaderLength + NmeaSentenceReader.MaxSentenceLength);
        long cycles = 0;
        try
        {
            var filled = 0;
            while (true)
            {
                var read = input.Read(buffer, filled, ChunkSize);
                var end = read == 0;
                filled += read;
                var consumed = Process(buffer.AsSpan(0, filled), end, onFix, ref cycles);
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (end) break;
            }
            if (Assembler.Flush(out var last))
            {
                cycles++;
                onFix(last);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return cycles;
    }

    /// <summary>Decodes what is buffered; returns the bytes consumed (the rest is an incomplete line).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Process(ReadOnlySpan<byte> data, bool end, Action<NmeaFix> onFix, ref long cycles)
    {
        var position = 0;
        while (position < data.Length)
        {
            var rest = data[position..];
            if (rest[0] == (byte)'#')
            {
                var newline = rest.IndexOf((byte)'\n');
                if (newline < 0 && !end && rest.Length <= MaxHeaderLength) break; // the comment line is still arriving
                var line = newline < 0 ? rest : rest[..newline];
                if (_fixedDate is null && TryParseDateHeader(line, out var date))
                    Assembler.Dates = new NmeaDateResolver(date);
                position += newline < 0 ? line.Length : newline + 1;
                continue;
            }
            // Sentences up to the next comment line (a '#' that starts a line), so headers are seen in order.
            var span = rest;
            var comment = rest.IndexOf("\n#"u8);
            if (comment >= 0) span = rest[..(comment + 1)];
            var consumed = DecodeSentences(span, onFix, ref cycles);
            position += consumed;
            if (consumed < span.Length)
            {
                if (comment < 0 && !end) break; // an incomplete sentence at the end of the buffer
                // An unfinished line before a comment, or at the end of the input: skip it as garbage.
                Statistics.Count(NmeaReadResult.Malformed, 0);
                position += span.Length - consumed;
            }
        }
        return position;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int DecodeSentences(ReadOnlySpan<byte> span, Action<NmeaFix> onFix, ref long cycles)
    {
        var array = ArrayPool<byte>.Shared.Rent(span.Length);
        try
        {
            // SequenceReader needs memory, not a span: a copy per chunk (64 KiB), not per sentence.
            span.CopyTo(array);
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(array, 0, span.Length));
            while (NmeaSentenceReader.TryRead(ref reader, out var sentence, Statistics))
            {
                if (!Assembler.Add(sentence, 0, out var fix)) continue;
                cycles++;
                onFix(fix);
            }
            return (int)reader.Consumed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    /// <summary>
    /// <c># Date: yyyy-m-d</c> with anything after the day (gpsd's logs have <c>2022-11-23T</c> and <c>2019-3-14</c>).
    /// </summary>
    public static bool TryParseDateHeader(ReadOnlySpan<byte> line, out DateOnly date)
    {
        date = default;
        if (!line.StartsWith("# Date:"u8)) return false;
        var s = line["# Date:"u8.Length..].TrimStart((byte)' ');
        if (!Number(ref s, 4, out var year) || !Dash(ref s) || !Number(ref s, 2, out var month) || !Dash(ref s) || !Number(ref s, 2, out var day))
            return false;
        if (year is < 1980 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool Dash(ref ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty || s[0] != (byte)'-') return false;
        s = s[1..];
        return true;
    }

    private static bool Number(ref ReadOnlySpan<byte> s, int maxDigits, out int value)
    {
        value = 0;
        var n = 0;
        while (n < s.Length && n < maxDigits && s[n] is >= (byte)'0' and <= (byte)'9') value = (value * 10) + (s[n++] - '0');
        s = s[n..];
        return n > 0;
    }
}
