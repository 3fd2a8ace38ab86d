using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Gateway.Telemetry.LineProtocol;

/// <summary>
/// Reads InfluxDB line protocol (DESIGN §4.4), following the InfluxDB line-protocol reference:
/// <code>
/// line        = *SP ( point / comment / "" ) [CR] LF
/// comment     = "#" *any-byte-but-LF
/// point       = measurement *( "," tag-key "=" tag-value ) SP field *( "," field ) [ SP [timestamp] *SP ]
/// field       = field-key "=" ( float / integer "i" / uinteger "u" / boolean / DQUOTE string DQUOTE )
/// float       = ["-"] ( 1*DIGIT ["." *DIGIT] / "." 1*DIGIT ) [ ("e" / "E") ["+" / "-"] 1*DIGIT ]   ; finite
/// integer     = ["-"] 1*DIGIT      ; fits a long       uinteger = 1*DIGIT   ; fits a ulong
/// boolean     = t / T / true / True / TRUE / f / F / false / False / FALSE
/// timestamp   = ["-"] 1*DIGIT      ; fits a long, in the writer's precision
/// </code>
/// Names are non-empty. Escapes: <c>\,</c> and <c>\ </c> in a measurement; <c>\,</c> <c>\=</c> <c>\ </c> in tag keys,
/// tag values and field keys; <c>\"</c> in strings; <c>\\</c> everywhere reads as one backslash, and any other
/// backslash is literal. The whole line must be valid UTF-8 and at most <see cref="MaxLineLength"/> bytes.
/// </summary>
public static partial class LineProtocolParser
{
    /// <summary>
    /// Longest accepted line in bytes, excluding the LF. Our points are under 300 bytes; 64 KiB bounds what a hostile
    /// or broken producer can make a reader buffer, while leaving room for long string fields.
    /// </summary>
    public const int MaxLineLength = 64 * 1024;

    /// <summary>
    /// Reads the next point: one line up to and including LF (CRLF accepted), skipping blank and <c>#</c> comment lines.
    /// Returns false and consumes nothing when no complete line is buffered yet. On a malformed line it consumes that
    /// line, then throws <see cref="LineProtocolException"/> so the caller can log it and go on with the next line;
    /// if no LF appears within <see cref="MaxLineLength"/> bytes it throws with <see cref="LineProtocolException.LineSkipped"/>
    /// false and consumes nothing, because the stream cannot be resynchronised.
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, [NotNullWhen(true)] out LinePoint? point)
    {
        long start = reader.Consumed;
        while (true)
        {
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n', advancePastDelimiter: true))
            {
                bool tooLong = reader.Remaining > MaxLineLength;
                reader.Rewind(reader.Consumed - start);
                if (tooLong)
                    throw new LineProtocolException($"no line feed within {MaxLineLength} bytes", 0, MaxLineLength + 1, lineSkipped: false);
                point = null;
                return false;
            }
            point = ParseLine(line, lineNumber: 0);
            if (point is not null) return true;
        }
    }

    /// <summary>
    /// Parses a whole payload (an MQTT message; its last line may lack the LF). Every valid point is added to
    /// <paramref name="points"/>, every invalid line to <paramref name="errors"/> with its line number; never throws
    /// for bad input, so one bad line costs only that line.
    /// </summary>
    public static void ParsePayload(ReadOnlySpan<byte> payload, ICollection<LinePoint> points, ICollection<LineProtocolException> errors)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(errors);
        int lineNumber = 0;
        while (!payload.IsEmpty)
        {
            lineNumber++;
            int end = payload.IndexOf((byte)'\n');
            var line = end < 0 ? payload : payload[..end];
            payload = end < 0 ? default : payload[(end + 1)..];
            try
            {
                if (ParseLine(line, lineNumber) is { } point) points.Add(point);
            }
            catch (LineProtocolException e)
            {
                errors.Add(e);
            }
        }
    }

    private static LinePoint? ParseLine(ReadOnlySequence<byte> line, int lineNumber)
    {
        if (line.IsSingleSegment) return ParseLine(line.FirstSpan, lineNumber);
        if (line.Length > MaxLineLength) throw TooLong(line.Length, lineNumber);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)line.Length);
        try
        {
            line.CopyTo(buffer);
            return ParseLine(buffer.AsSpan(0, (int)line.Length), lineNumber);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses one line without its LF; null for a blank or comment line.</summary>
    private static LinePoint? ParseLine(ReadOnlySpan<byte> line, int lineNumber)
    {
        if (line.Length > MaxLineLength) throw TooLong(line.Length, lineNumber);
        if (!line.IsEmpty && line[^1] == '\r') line = line[..^1];
        int start = 0;
        while (start < line.Length && line[start] == ' ') start++;
        if (start == line.Length || line[start] == '#') return null;
        return new LineReader(line, start, lineNumber).ReadPoint();
    }

    private static LineProtocolException TooLong(long length, int lineNumber) =>
        new($"the line is {length} bytes, longer than the limit of {MaxLineLength}", lineNumber, MaxLineLength + 1);
}
