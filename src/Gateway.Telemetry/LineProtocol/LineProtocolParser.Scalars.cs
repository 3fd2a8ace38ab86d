using System.Globalization;

namespace Gateway.Telemetry.LineProtocol;

public static partial class LineProtocolParser
{
    // Only what the grammar allows: no leading '+', no white space, no "NaN"/"Infinity" (which .NET would accept).
    private const NumberStyles FloatStyles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Parses an unquoted field value by its suffix or spelling; <paramref name="problem"/> says why it is not one.</summary>
    private static bool TryParseScalar(ReadOnlySpan<byte> raw, out LineFieldValue value, out string? problem)
    {
        value = default;
        problem = null;
        switch (raw[^1])
        {
            case (byte)'i':
                if (IsInteger(raw[..^1], allowSign: true) && long.TryParse(raw[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
                {
                    value = LineFieldValue.FromInteger(integer);
                    return true;
                }
                problem = "ends in 'i' but is not a signed 64-bit integer";
                return false;
            case (byte)'u':
                if (IsInteger(raw[..^1], allowSign: false) && ulong.TryParse(raw[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong unsigned))
                {
                    value = LineFieldValue.FromUInteger(unsigned);
                    return true;
                }
                problem = "ends in 'u' but is not an unsigned 64-bit integer";
                return false;
        }
        if (TryParseBoolean(raw, out bool boolean))
        {
            value = LineFieldValue.FromBoolean(boolean);
            return true;
        }
        if (IsFloat(raw) && double.TryParse(raw, FloatStyles, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number))
        {
            value = LineFieldValue.FromFloat(number);
            return true;
        }
        problem = "is not a number, boolean or quoted string (or the float is out of range)";
        return false;
    }

    private static bool TryParseBoolean(ReadOnlySpan<byte> raw, out bool value)
    {
        value = raw.SequenceEqual("t"u8) || raw.SequenceEqual("T"u8) || raw.SequenceEqual("true"u8) || raw.SequenceEqual("True"u8) || raw.SequenceEqual("TRUE"u8);
        return value || raw.SequenceEqual("f"u8) || raw.SequenceEqual("F"u8) || raw.SequenceEqual("false"u8) || raw.SequenceEqual("False"u8) || raw.SequenceEqual("FALSE"u8);
    }

    /// <summary><c>["-"] 1*DIGIT</c>.</summary>
    private static bool IsInteger(ReadOnlySpan<byte> text, bool allowSign)
    {
        if (allowSign && !text.IsEmpty && text[0] == '-') text = text[1..];
        return !text.IsEmpty && !text.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    /// <summary><c>["-"] ( 1*DIGIT ["." *DIGIT] / "." 1*DIGIT ) [ ("e" / "E") ["+" / "-"] 1*DIGIT ]</c>.</summary>
    private static bool IsFloat(ReadOnlySpan<byte> text)
    {
        int i = 0;
        if (i < text.Length && text[i] == '-') i++;
        int digits = CountDigits(text, ref i);
        if (i < text.Length && text[i] == '.')
        {
            i++;
            digits += CountDigits(text, ref i);
        }
        if (digits == 0) return false;
        if (i < text.Length && text[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < text.Length && text[i] is (byte)'+' or (byte)'-') i++;
            if (CountDigits(text, ref i) == 0) return false;
        }
        return i == text.Length;
    }

    private static int CountDigits(ReadOnlySpan<byte> text, ref int i)
    {
        int start = i;
        while (i < text.Length && char.IsAsciiDigit((char)text[i])) i++;
        return i - start;
    }
}
