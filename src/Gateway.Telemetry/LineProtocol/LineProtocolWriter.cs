using System.Buffers;
using static Gateway.Telemetry.LineProtocol.LineProtocolSyntax;

namespace Gateway.Telemetry.LineProtocol;

/// <summary>
/// Writes InfluxDB line protocol (DESIGN §4.4) as UTF-8 into an <see cref="IBufferWriter{T}"/>, one call per part of
/// a line, without allocating:
/// <c>measurement[,tag=value...] field=value[,field=value...][ timestamp]\n</c>.
/// </summary>
/// <remarks>
/// Calls must follow the grammar: <see cref="WriteMeasurement"/> (or <see cref="WriteRaw"/>), any tags, at least one
/// field, then <see cref="EndLine()"/>; anything else throws <see cref="InvalidOperationException"/>. Each call
/// validates all its input before it advances the output, so an <see cref="ArgumentException"/> leaves the output and
/// the writer's state as they were after the previous call (the line so far is still unfinished: end it or discard
/// the buffer). The writer is not thread-safe; use one per output.
/// </remarks>
public sealed class LineProtocolWriter
{
    private readonly IBufferWriter<byte> _output;
    private Part _part;

    /// <param name="output">Receives the UTF-8 lines; the caller owns it and reads it between lines.</param>
    public LineProtocolWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    private enum Part : byte
    {
        LineStart,
        Tags,
        Fields,
    }

    /// <summary>Starts a line. Escapes comma and space; an empty name, or one starting with <c>#</c> (a comment line), is refused.</summary>
    public void WriteMeasurement(ReadOnlySpan<char> name)
    {
        Expect(Part.LineStart, "a measurement starts a line; call EndLine first");
        if (name.IsEmpty) throw new ArgumentException("A measurement name cannot be empty.", nameof(name));
        // A line whose first character is '#' is a comment (line-protocol reference, "Comments"); no escape exists for it.
        if (name[0] == '#') throw Invalid(TokenKind.Measurement, name, "starts with '#', which would make the line a comment; rename the measurement");
        var span = _output.GetSpan(name.Length * MaxBytesPerChar);
        _output.Advance(Escape(name, span, TokenKind.Measurement, name));
        _part = Part.Tags;
    }

    /// <summary>Writes <c>,key=value</c>. Tags must come before fields; InfluxDB prefers them sorted by key.</summary>
    public void WriteTag(ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        Expect(Part.Tags, "tags follow the measurement and precede every field");
        if (key.IsEmpty) throw new ArgumentException("A tag key cannot be empty.", nameof(key));
        if (value.IsEmpty) throw Invalid(TokenKind.TagValue, key, "is empty; line protocol has no empty tag values, so leave the tag out");
        var span = _output.GetSpan(2 + (key.Length + value.Length) * MaxBytesPerChar);
        span[0] = (byte)',';
        int n = 1 + Escape(key, span[1..], TokenKind.TagKey, key);
        span[n++] = (byte)'=';
        n += Escape(value, span[n..], TokenKind.TagValue, key);
        _output.Advance(n);
    }

    /// <summary>Writes a float field in shortest round-trip form. NaN and infinities have no line-protocol form and are refused.</summary>
    public void WriteField(ReadOnlySpan<char> key, double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"Field '{key.ToString()}' is {value}; line protocol cannot carry NaN or infinity, so skip the field.", nameof(value));
        var span = BeginField(key, MaxNumberBytes, out int n);
        n += FormatDouble(value, span[n..]);
        EndField(n);
    }

    /// <summary>Writes a signed integer field: <c>key=123i</c>.</summary>
    public void WriteField(ReadOnlySpan<char> key, long value)
    {
        var span = BeginField(key, MaxNumberBytes, out int n);
        n += FormatInt64(value, span[n..]);
        span[n++] = (byte)'i';
        EndField(n);
    }

    /// <summary>Writes a boolean field as <c>true</c> or <c>false</c>.</summary>
    public void WriteField(ReadOnlySpan<char> key, bool value)
    {
        var span = BeginField(key, 5, out int n);
        var text = value ? "true"u8 : "false"u8;
        text.CopyTo(span[n..]);
        EndField(n + text.Length);
    }

    /// <summary>Writes an unsigned integer field: <c>key=123u</c> (InfluxDB 1.x needs it enabled; 2.x and 3.x accept it).</summary>
    public void WriteUnsignedField(ReadOnlySpan<char> key, ulong value)
    {
        var span = BeginField(key, MaxNumberBytes, out int n);
        n += FormatUInt64(value, span[n..]);
        span[n++] = (byte)'u';
        EndField(n);
    }

    /// <summary>Writes a string field: <c>key="value"</c>, escaping double quote and backslash.</summary>
    public void WriteStringField(ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        var span = BeginField(key, 2 + value.Length * MaxBytesPerChar, out int n);
        span[n++] = (byte)'"';
        n += Escape(value, span[n..], TokenKind.StringValue, key);
        span[n++] = (byte)'"';
        EndField(n);
    }

    /// <summary>
    /// Copies bytes that are already escaped and UTF-8 encoded, such as a precomputed
    /// <c>measurement,tag=value</c> prefix. Allowed where a measurement or a tag may be written; afterwards the writer
    /// is in the tag part of the line. The bytes are not checked: the caller vouches that they are valid there.
    /// </summary>
    public void WriteRaw(ReadOnlySpan<byte> alreadyEncoded)
    {
        if (_part == Part.Fields) throw Misuse("raw bytes (a measurement and tags) must precede every field");
        _output.Write(alreadyEncoded);
        _part = Part.Tags;
    }

    /// <summary>Ends the line with a timestamp: <c> 1735689600000\n</c>. The unit is the receiver's precision (we use ms).</summary>
    public void EndLine(long unixMilliseconds)
    {
        Expect(Part.Fields, "a line needs at least one field before it ends");
        var span = _output.GetSpan(2 + MaxNumberBytes);
        span[0] = (byte)' ';
        int n = 1 + FormatInt64(unixMilliseconds, span[1..]);
        span[n++] = (byte)'\n';
        _output.Advance(n);
        _part = Part.LineStart;
    }

    /// <summary>Ends the line without a timestamp; the receiver stamps it with its own clock.</summary>
    public void EndLine()
    {
        Expect(Part.Fields, "a line needs at least one field before it ends");
        _output.GetSpan(1)[0] = (byte)'\n';
        _output.Advance(1);
        _part = Part.LineStart;
    }

    private Span<byte> BeginField(ReadOnlySpan<char> key, int valueBytes, out int written)
    {
        if (_part == Part.LineStart) throw Misuse("fields follow the measurement; call WriteMeasurement first");
        if (key.IsEmpty) throw new ArgumentException("A field key cannot be empty.", nameof(key));
        var span = _output.GetSpan(2 + key.Length * MaxBytesPerChar + valueBytes);
        span[0] = _part == Part.Tags ? (byte)' ' : (byte)',';
        written = 1 + Escape(key, span[1..], TokenKind.FieldKey, key);
        span[written++] = (byte)'=';
        return span;
    }

    private void EndField(int written)
    {
        _output.Advance(written);
        _part = Part.Fields;
    }

    private void Expect(Part part, string rule)
    {
        if (_part != part) throw Misuse(rule);
    }

    private static InvalidOperationException Misuse(string rule) =>
        new($"Line protocol written out of order: {rule}.");
}
