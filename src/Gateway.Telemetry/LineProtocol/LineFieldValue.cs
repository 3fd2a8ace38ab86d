using System.Globalization;

namespace Gateway.Telemetry.LineProtocol;

/// <summary>The five field value types of line protocol.</summary>
public enum LineFieldKind : byte
{
    /// <summary>64-bit float, written without suffix: <c>1.5</c>.</summary>
    Float,

    /// <summary>Signed 64-bit integer: <c>42i</c>.</summary>
    Integer,

    /// <summary>Unsigned 64-bit integer: <c>42u</c>.</summary>
    UInteger,

    /// <summary>Quoted UTF-8 string: <c>"text"</c>.</summary>
    String,

    /// <summary><c>true</c> / <c>false</c> (and the short and capitalised forms on input).</summary>
    Boolean,
}

/// <summary>One typed field value. The accessor for another kind throws <see cref="InvalidOperationException"/>.</summary>
public readonly struct LineFieldValue : IEquatable<LineFieldValue>
{
    // One 8-byte slot holds the number of any numeric kind (a double by its bits), so the struct stays small.
    private readonly long _bits;
    private readonly string? _string;

    private LineFieldValue(LineFieldKind kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _string = text;
    }

    /// <summary>Which accessor may be read; the others throw.</summary>
    public LineFieldKind Kind { get; }

    /// <summary>The value of a <see cref="LineFieldKind.Float"/> field (always finite).</summary>
    public double Float => Kind == LineFieldKind.Float ? BitConverter.Int64BitsToDouble(_bits) : throw WrongKind(LineFieldKind.Float);

    /// <summary>The value of a <see cref="LineFieldKind.Integer"/> field (<c>42i</c>).</summary>
    public long Integer => Kind == LineFieldKind.Integer ? _bits : throw WrongKind(LineFieldKind.Integer);

    /// <summary>The value of a <see cref="LineFieldKind.UInteger"/> field (<c>42u</c>).</summary>
    public ulong UInteger => Kind == LineFieldKind.UInteger ? unchecked((ulong)_bits) : throw WrongKind(LineFieldKind.UInteger);

    /// <summary>The unescaped text of a <see cref="LineFieldKind.String"/> field.</summary>
    public string String => Kind == LineFieldKind.String ? _string! : throw WrongKind(LineFieldKind.String);

    /// <summary>The value of a <see cref="LineFieldKind.Boolean"/> field.</summary>
    public bool Boolean => Kind == LineFieldKind.Boolean ? _bits != 0 : throw WrongKind(LineFieldKind.Boolean);

    /// <summary>A float; NaN and infinities are refused because line protocol cannot carry them.</summary>
    public static LineFieldValue FromFloat(double value) => double.IsFinite(value)
        ? new(LineFieldKind.Float, BitConverter.DoubleToInt64Bits(value), null)
        : throw new ArgumentException($"Line protocol cannot carry the float {value}.", nameof(value));

    /// <summary>A signed integer, written <c>42i</c>.</summary>
    public static LineFieldValue FromInteger(long value) => new(LineFieldKind.Integer, value, null);

    /// <summary>An unsigned 64-bit integer, written <c>42u</c>.</summary>
    public static LineFieldValue FromUInteger(ulong value) => new(LineFieldKind.UInteger, unchecked((long)value), null);

    /// <summary>A string; the writer escapes quotes and backslashes (DESIGN §4.4).</summary>
    public static LineFieldValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(LineFieldKind.String, 0, value);
    }

    /// <summary>A boolean, written <c>true</c> or <c>false</c>.</summary>
    public static LineFieldValue FromBoolean(bool value) => new(LineFieldKind.Boolean, value ? 1 : 0, null);

    /// <summary>Writes this value as field <paramref name="key"/>.</summary>
    public void WriteTo(LineProtocolWriter writer, ReadOnlySpan<char> key)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (Kind)
        {
            case LineFieldKind.Float: writer.WriteField(key, Float); break;
            case LineFieldKind.Integer: writer.WriteField(key, _bits); break;
            case LineFieldKind.UInteger: writer.WriteUnsignedField(key, UInteger); break;
            case LineFieldKind.String: writer.WriteStringField(key, _string); break;
            default: writer.WriteField(key, _bits != 0); break;
        }
    }

    /// <summary>Exact equality: floats compare by bits, so 0 and -0 differ and a round trip must keep the sign.</summary>
    public bool Equals(LineFieldValue other) => Kind == other.Kind && _bits == other._bits && string.Equals(_string, other._string, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LineFieldValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _string);

    /// <summary>Exact equality, as <see cref="Equals(LineFieldValue)"/>.</summary>
    public static bool operator ==(LineFieldValue left, LineFieldValue right) => left.Equals(right);

    /// <summary>Not <see cref="op_Equality"/>.</summary>
    public static bool operator !=(LineFieldValue left, LineFieldValue right) => !left.Equals(right);

    /// <summary>The value as line protocol writes it, with its suffix (<c>42i</c>); strings quoted but not escaped
    /// (for messages and tests, not for the wire).</summary>
    public override string ToString() => Kind switch
    {
        LineFieldKind.Float => Float.ToString("R", CultureInfo.InvariantCulture),
        LineFieldKind.Integer => _bits.ToString(CultureInfo.InvariantCulture) + "i",
        LineFieldKind.UInteger => UInteger.ToString(CultureInfo.InvariantCulture) + "u",
        LineFieldKind.String => "\"" + _string + "\"",
        _ => _bits != 0 ? "true" : "false",
    };

    private InvalidOperationException WrongKind(LineFieldKind wanted) =>
        new($"The field value is {Kind}, not {wanted}; check Kind before reading it.");
}

/// <summary>One field of a point: key and typed value.</summary>
public readonly record struct LineField(string Key, LineFieldValue Value);
