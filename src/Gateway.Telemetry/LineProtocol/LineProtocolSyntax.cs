using System.Buffers;
using System.Globalization;
using System.Text.Unicode;

namespace Gateway.Telemetry.LineProtocol;

/// <summary>Which part of a line a name or value belongs to; each part escapes a different set of characters.</summary>
internal enum TokenKind : byte
{
    Measurement,
    TagKey,
    TagValue,
    FieldKey,
    StringValue,
}

/// <summary>
/// Escaping and number formatting shared by <see cref="LineProtocolWriter"/> and the reading encoder, written straight
/// into caller-provided spans so that nothing is allocated on the success path.
/// </summary>
/// <remarks>
/// The escape sets are those of the InfluxDB line-protocol reference ("Special characters"): measurement names escape
/// comma and space; tag keys, tag values and field keys escape comma, equals sign and space; string field values escape
/// double quote and backslash. The reference also says two contiguous backslashes read as one ("Escaping
/// backslashes"), so a backslash in a name is doubled exactly when it would otherwise be read as an escape (before a
/// special character, another backslash or the end of the name); any other backslash is written as is, which keeps
/// names such as <c>C:\data</c> unchanged for InfluxDB 1.x, whose parser does not unescape <c>\\</c> in names.
/// Newlines end a line and no escape can carry them, so they are refused everywhere.
/// </remarks>
internal static class LineProtocolSyntax
{
    /// <summary>UTF-8 bytes one UTF-16 char can need once escaped: 3 for a BMP char, 2 for an escaped ASCII char.</summary>
    public const int MaxBytesPerChar = 3;

    /// <summary>Longest shortest-round-trip double ("-1.2345678901234567E-308" is 24) or long, with room to spare.</summary>
    public const int MaxNumberBytes = 32;

    private static readonly SearchValues<char> MeasurementStops = SearchValues.Create(", \\\r\n");
    private static readonly SearchValues<char> KeyStops = SearchValues.Create(",= \\\r\n");
    private static readonly SearchValues<char> StringStops = SearchValues.Create("\"\\\r\n");

    public static bool IsSpecial(TokenKind kind, int c) => kind switch
    {
        TokenKind.Measurement => c is ',' or ' ',
        TokenKind.StringValue => c is '"' or '\\',
        _ => c is ',' or '=' or ' ',
    };

    public static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.Measurement => "Measurement name",
        TokenKind.TagKey => "Tag key",
        TokenKind.TagValue => "Value of tag",
        TokenKind.FieldKey => "Field key",
        _ => "Value of string field",
    };

    /// <summary>
    /// Escapes <paramref name="value"/> into <paramref name="destination"/> as UTF-8 and returns the bytes written.
    /// <paramref name="destination"/> must hold <see cref="MaxBytesPerChar"/> bytes per char. Throws
    /// <see cref="ArgumentException"/> naming <paramref name="owner"/> for newlines and unpaired surrogates.
    /// </summary>
    public static int Escape(ReadOnlySpan<char> value, Span<byte> destination, TokenKind kind, ReadOnlySpan<char> owner)
    {
        var stops = kind switch
        {
            TokenKind.Measurement => MeasurementStops,
            TokenKind.StringValue => StringStops,
            _ => KeyStops,
        };
        int written = 0;
        int index = 0;
        while (index < value.Length)
        {
            int stop = value[index..].IndexOfAny(stops);
            var run = stop < 0 ? value[index..] : value.Slice(index, stop);
            if (!run.IsEmpty)
            {
                if (Utf8.FromUtf16(run, destination[written..], out _, out int runBytes, replaceInvalidSequences: false) != OperationStatus.Done)
                    throw Invalid(kind, owner, "contains an unpaired UTF-16 surrogate, which UTF-8 cannot encode; fix the string at its source");
                written += runBytes;
            }
            if (stop < 0) break;
            index += stop;
            char c = value[index];
            if (c is '\r' or '\n')
                throw Invalid(kind, owner, "contains a line break; line protocol ends a line there and has no escape for it, so remove it");
            if (c != '\\' || kind == TokenKind.StringValue || BackslashNeedsEscape(value, index, kind))
                destination[written++] = (byte)'\\';
            destination[written++] = (byte)c;
            index++;
        }
        return written;
    }

    private static bool BackslashNeedsEscape(ReadOnlySpan<char> value, int index, TokenKind kind) =>
        index + 1 == value.Length || value[index + 1] == '\\' || IsSpecial(kind, value[index + 1]);

    public static ArgumentException Invalid(TokenKind kind, ReadOnlySpan<char> owner, string problem)
    {
        return new ArgumentException($"{Describe(kind)} '{owner.ToString()}' {problem}.", kind switch
        {
            TokenKind.Measurement => "name",
            TokenKind.TagValue or TokenKind.StringValue => "value",
            _ => "key",
        });
    }

    /// <summary>Shortest round-trip text, e.g. <c>1</c>, <c>0.1</c>, <c>-1.5E-07</c>, <c>1E+20</c>; all valid floats in line protocol.</summary>
    public static int FormatDouble(double value, Span<byte> destination)
    {
        if (!value.TryFormat(destination, out int written, "R", CultureInfo.InvariantCulture))
            throw new InvalidOperationException("A double did not fit in its formatting buffer; this is a bug.");
        return written;
    }

    public static int FormatInt64(long value, Span<byte> destination)
    {
        if (!value.TryFormat(destination, out int written, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("A long did not fit in its formatting buffer; this is a bug.");
        return written;
    }

    public static int FormatUInt64(ulong value, Span<byte> destination)
    {
        if (!value.TryFormat(destination, out int written, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("A ulong did not fit in its formatting buffer; this is a bug.");
        return written;
    }
}
