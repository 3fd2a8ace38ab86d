using System.Buffers;
using System.Buffers.Text;

namespace Gateway.Ingest.Payloads;

/// <summary>
/// The ingest's fast path: checks one line of line protocol against the grammar (<see cref="Gateway.Telemetry.LineProtocol.LineProtocolParser"/>'s,
/// DESIGN §4.4) at the byte level and writes it with its tags sorted and the <c>gateway</c> tag set to the topic's,
/// without allocating. A line it cannot handle simply (escaped tag keys, more than <see cref="MaxTags"/> tags, no
/// timestamp, a timestamp outside the plausible window, a field named like a tag we own, anything malformed) is
/// declined and goes through the full parser, which also counts it and produces the error message; so the fast path
/// decides nothing on its own, it only saves the common case the parser's objects.
/// The usual line from our agents already has sorted tags and the right gateway and is copied as it is.
/// </summary>
public static class LineRewriter
{
    public const int MaxTags = 16;

    /// <summary>
    /// Writes <paramref name="line"/> (without its LF; valid UTF-8, checked by the caller) to <paramref name="output"/>
    /// with a trailing LF and returns true, or returns false and writes nothing.
    /// </summary>
    public static bool TryRewrite(ReadOnlySpan<byte> line, ReadOnlySpan<byte> gateway, PlausibleTime window, IBufferWriter<byte> output)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        if (line.IsEmpty || line.Length > Gateway.Telemetry.LineProtocol.LineProtocolParser.MaxLineLength || line[0] is (byte)'#' or (byte)' ') return false;
        Span<Range> tags = stackalloc Range[MaxTags];
        var i = ScanName(line, 0, tagSyntax: false);
        if (i <= 0) return false;
        var measurementEnd = i;
        var tagCount = 0;
        var sorted = true;
        var gatewayOk = false;
        while (i < line.Length && line[i] == (byte)',')
        {
            var keyStart = i + 1;
            var eq = ScanName(line, keyStart, tagSyntax: true);
            if (eq <= keyStart || eq >= line.Length || line[eq] != (byte)'=') return false;
            var valueEnd = ScanName(line, eq + 1, tagSyntax: true);
            if (valueEnd <= eq + 1 || (valueEnd < line.Length && line[valueEnd] == (byte)'=')) return false;
            var key = line[keyStart..eq];
            if (key.IndexOf((byte)'\\') >= 0 || tagCount == MaxTags) return false;
            if (tagCount > 0 && line[tags[tagCount - 1]][..KeyLength(line[tags[tagCount - 1]])].SequenceCompareTo(key) >= 0) sorted = false;
            if (key.SequenceEqual("gateway"u8)) gatewayOk = line[(eq + 1)..valueEnd].SequenceEqual(gateway);
            tags[tagCount++] = keyStart..valueEnd;
            i = valueEnd;
        }
        if (i >= line.Length || line[i] != (byte)' ') return false;
        var fieldsStart = i + 1;
        var fieldsEnd = ScanFields(line, fieldsStart);
        if (fieldsEnd < 0 || fieldsEnd >= line.Length || line[fieldsEnd] != (byte)' ') return false;
        var rest = line[(fieldsEnd + 1)..].TrimEnd((byte)' ');
        if (rest.IsEmpty || !Utf8Parser.TryParse(rest, out long timestamp, out var used) || used != rest.Length || rest[0] == (byte)'+') return false;
        if (!window.Contains(timestamp)) return false;
        if (sorted && gatewayOk)
        {
            Write(output, line);
            Write(output, "\n"u8);
            return true;
        }
        WriteNormalised(line, measurementEnd, tags[..tagCount], gateway, output);
        return true;
    }

    private static void WriteNormalised(ReadOnlySpan<byte> line, int measurementEnd, Span<Range> tags, ReadOnlySpan<byte> gateway, IBufferWriter<byte> output)
    {
        // Insertion sort by key (a handful of tags), then write them with gateway=<topic id> in its sorted place.
        for (var a = 1; a < tags.Length; a++)
            for (var b = a; b > 0 && Key(line, tags[b - 1]).SequenceCompareTo(Key(line, tags[b])) > 0; b--)
                (tags[b - 1], tags[b]) = (tags[b], tags[b - 1]);
        Write(output, line[..measurementEnd]);
        var gatewayWritten = false;
        foreach (var t in tags)
        {
            var key = Key(line, t);
            if (key.SequenceEqual("gateway"u8)) continue;
            if (!gatewayWritten && key.SequenceCompareTo("gateway"u8) > 0)
            {
                WriteGateway(output, gateway);
                gatewayWritten = true;
            }
            Write(output, ","u8);
            Write(output, line[t]);
        }
        if (!gatewayWritten) WriteGateway(output, gateway);
        // Everything from the space before the fields to the end of the line is kept byte for byte.
        Write(output, line[FieldSpace(line, measurementEnd)..]);
        Write(output, "\n"u8);
    }

    private static int FieldSpace(ReadOnlySpan<byte> line, int from)
    {
        for (var i = from; i < line.Length; i++)
        {
            if (line[i] == (byte)'\\') { i++; continue; }
            if (line[i] == (byte)' ') return i;
        }
        return line.Length;
    }

    private static void WriteGateway(IBufferWriter<byte> output, ReadOnlySpan<byte> gateway)
    {
        Write(output, ",gateway="u8);
        Write(output, gateway);
    }

    private static ReadOnlySpan<byte> Key(ReadOnlySpan<byte> line, Range tag)
    {
        var t = line[tag];
        return t[..KeyLength(t)];
    }

    private static int KeyLength(ReadOnlySpan<byte> tag) => tag.IndexOf((byte)'=');

    /// <summary>Scans a measurement, tag key or tag value from <paramref name="i"/>; returns the index of the first unescaped delimiter.</summary>
    private static int ScanName(ReadOnlySpan<byte> line, int i, bool tagSyntax)
    {
        for (; i < line.Length; i++)
        {
            var b = line[i];
            if (b == (byte)'\\')
            {
                if (i + 1 >= line.Length) return -1;
                i++;
                continue;
            }
            if (b is (byte)',' or (byte)' ' || (tagSyntax && b == (byte)'=')) return i;
            if (b is (byte)'\r' or (byte)'\n') return -1;
        }
        return i;
    }

    /// <summary>Scans the field set; returns the index of the space after it, or -1 when it is not valid.</summary>
    private static int ScanFields(ReadOnlySpan<byte> line, int i)
    {
        while (true)
        {
            var eq = ScanName(line, i, tagSyntax: true);
            if (eq <= i || eq >= line.Length || line[eq] != (byte)'=' || OwnedTags.Contains(line[i..eq])) return -1;
            i = eq + 1;
            if (i >= line.Length) return -1;
            if (line[i] == (byte)'"')
            {
                i++;
                // A CR inside a string is legal line protocol but our writer refuses line breaks: leave it to the parser path.
                while (i < line.Length && line[i] != (byte)'"')
                {
                    if (line[i] == (byte)'\r' || (line[i] == (byte)'\\' && i + 1 < line.Length && line[i + 1] == (byte)'\r')) return -1;
                    i += line[i] == (byte)'\\' ? 2 : 1;
                }
                if (i >= line.Length) return -1;
                i++;
            }
            else
            {
                var end = i;
                while (end < line.Length && line[end] is not ((byte)',' or (byte)' ')) end++;
                if (!IsScalar(line[i..end])) return -1;
                i = end;
            }
            if (i >= line.Length) return i;
            if (line[i] == (byte)' ') return i;
            if (line[i] != (byte)',') return -1;
            i++;
        }
    }

    /// <summary>A float, integer (<c>i</c>), unsigned (<c>u</c>) or boolean as the grammar has them; floats must be finite.</summary>
    private static bool IsScalar(ReadOnlySpan<byte> v)
    {
        if (v.IsEmpty) return false;
        switch (v[0])
        {
            case (byte)'t' or (byte)'T' or (byte)'f' or (byte)'F':
                return v.SequenceEqual("t"u8) || v.SequenceEqual("T"u8) || v.SequenceEqual("true"u8) || v.SequenceEqual("True"u8) || v.SequenceEqual("TRUE"u8)
                    || v.SequenceEqual("f"u8) || v.SequenceEqual("F"u8) || v.SequenceEqual("false"u8) || v.SequenceEqual("False"u8) || v.SequenceEqual("FALSE"u8);
            case (byte)'-' or (byte)'.' or (>= (byte)'0' and <= (byte)'9'):
                break;
            default:
                return false;
        }
        var last = v[^1];
        if (last == (byte)'i') return Utf8Parser.TryParse(v[..^1], out long _, out var n) && n == v.Length - 1 && Digits(v[..^1], allowSign: true);
        if (last == (byte)'u') return Utf8Parser.TryParse(v[..^1], out ulong _, out var n) && n == v.Length - 1 && Digits(v[..^1], allowSign: false);
        return Utf8Parser.TryParse(v, out double d, out var used) && used == v.Length && double.IsFinite(d) && FloatChars(v);
    }

    private static bool Digits(ReadOnlySpan<byte> v, bool allowSign)
    {
        if (allowSign && v.Length > 1 && v[0] == (byte)'-') v = v[1..];
        return !v.IsEmpty && v.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
    }

    private static bool FloatChars(ReadOnlySpan<byte> v) =>
        v.IndexOfAnyExcept("0123456789.-+eE"u8) < 0 && v.IndexOfAny("0123456789"u8) >= 0;

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
