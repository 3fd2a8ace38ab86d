using System.Runtime.CompilerServices;
using System.Buffers.Text;

namespace Gateway.Devices.NmeaGps;

/// <summary>
/// Field parsers shared by the sentence decoders. Each returns true for an empty field (value null: the talker left it
/// empty, which NMEA allows for any unknown value) and false only for a field that is present but invalid.
/// </summary>
internal static class NmeaParse
{
    /// <summary>
    /// Powers of ten that a double holds exactly (10^22 is the last), for the exact fast path of <see cref="Double"/>.
    /// </summary>
    private static ReadOnlySpan<double> PowersOfTen =>
        [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>Digits a fast-path mantissa may have: 10^15 is below 2^53, so every such integer is an exact double.</summary>
    private const int MaxFastDigits = 15;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Double(ReadOnlySpan<byte> field, out double? value)
    {
        value = null;
        if (field.IsEmpty) return true;
        if (TryDecimal(field, out var fast))
        {
            value = fast;
            return true;
        }
        if (!Utf8Parser.TryParse(field, out double parsed, out var consumed) || consumed != field.Length || !double.IsFinite(parsed))
            return false;
        value = parsed;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Int(ReadOnlySpan<byte> field, out int? value)
    {
        value = null;
        if (field.IsEmpty) return true;
        // [-]d{1,9}, what NMEA integer fields hold, by hand; anything else as Utf8Parser reads it.
        var negative = field[0] == (byte)'-';
        var digits = negative ? field[1..] : field;
        if (digits.Length is >= 1 and <= 9)
        {
            var n = 0;
            var i = 0;
            for (; i < digits.Length && (uint)(digits[i] - '0') <= 9; i++) n = (n * 10) + (digits[i] - '0');
            if (i == digits.Length)
            {
                value = negative ? -n : n;
                return true;
            }
        }
        if (!Utf8Parser.TryParse(field, out int parsed, out var consumed) || consumed != field.Length) return false;
        value = parsed;
        return true;
    }

    /// <summary>
    /// <c>[-]d+[.d+]</c> with at most <see cref="MaxFastDigits"/> digits: the digits as an integer divided by a power of
    /// ten. Both are exact doubles and IEEE division rounds correctly, so this is the correctly rounded value, the same
    /// one Utf8Parser returns (Clinger's fast path); false for any other form, left to Utf8Parser.
    /// </summary>
    private static bool TryDecimal(ReadOnlySpan<byte> field, out double value)
    {
        value = 0;
        var negative = field[0] == (byte)'-';
        var i = negative ? 1 : 0;
        long mantissa = 0;
        var digits = 0;
        var decimals = 0;
        var point = false;
        for (; i < field.Length; i++)
        {
            var d = (uint)(field[i] - '0');
            if (d <= 9)
            {
                mantissa = (mantissa * 10) + d;
                digits++;
                if (point) decimals++;
            }
            else if (field[i] == (byte)'.' && !point && digits > 0)
            {
                point = true;
            }
            else
            {
                return false;
            }
        }
        if (digits is 0 or > MaxFastDigits || (point && decimals == 0) || (negative && mantissa == 0)) return false;
        value = mantissa / PowersOfTen[decimals];
        if (negative) value = -value;
        return true;
    }

    /// <summary><c>hhmmss[.s+]</c> UTC time of day; seconds may read 60 in a leap second.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Time(ReadOnlySpan<byte> field, out TimeSpan? value)
    {
        value = null;
        if (field.IsEmpty) return true;
        if (field.Length < 6 || !TwoDigits(field, 0, out var h) || !TwoDigits(field, 2, out var m) || !TwoDigits(field, 4, out var s))
            return false;
        if (h > 23 || m > 59 || s > 60) return false;
        double fraction = 0;
        if (field.Length > 6)
        {
            if (field[6] != (byte)'.' || !Double(field[6..], out var f) || f is null) return false;
            fraction = f.Value;
        }
        value = new TimeSpan(0, h, m, s) + TimeSpan.FromTicks((long)Math.Round(fraction * TimeSpan.TicksPerSecond));
        return true;
    }

    /// <summary>
    /// <c>ddmmyy</c> as its parts, the year left as two digits for <see cref="NmeaDateResolver"/> to place in a
    /// century (only the day and month are range-checked here; the day against the longest month).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool DateParts(ReadOnlySpan<byte> field, out NmeaDateParts? value)
    {
        value = null;
        if (field.IsEmpty) return true;
        if (field.Length != 6 || !TwoDigits(field, 0, out var d) || !TwoDigits(field, 2, out var mo) || !TwoDigits(field, 4, out var y))
            return false;
        if (mo is < 1 or > 12 || d < 1 || d > 31) return false;
        value = new NmeaDateParts(d, mo, y, TwoDigitYear: true);
        return true;
    }

    /// <summary>A one-character field (status, mode indicator, unit); 0 when empty; false when longer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Char(ReadOnlySpan<byte> field, out byte value)
    {
        value = field.Length == 1 ? field[0] : (byte)0;
        return field.Length <= 1;
    }

    /// <summary>
    /// <c>ddmm.mmmm</c> (latitude) or <c>dddmm.mmmm</c> (longitude) with an N/S or E/W hemisphere field, to signed
    /// degrees. Both fields empty means "no position".
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Coordinate(ReadOnlySpan<byte> field, ReadOnlySpan<byte> hemisphere, bool longitude, out double? value)
    {
        value = null;
        if (field.IsEmpty && hemisphere.IsEmpty) return true;
        if (!Double(field, out var raw) || raw is null || raw < 0 || hemisphere.Length != 1) return false;
        var degrees = Math.Floor(raw.Value / 100);
        var minutes = raw.Value - (degrees * 100);
        if (minutes >= 60) return false;
        var result = degrees + (minutes / 60);
        if (result > (longitude ? 180 : 90)) return false;
        var sign = (hemisphere[0], longitude) switch
        {
            ((byte)'N', false) or ((byte)'E', true) => 1,
            ((byte)'S', false) or ((byte)'W', true) => -1,
            _ => 0,
        };
        if (sign == 0) return false;
        value = sign * result;
        return true;
    }

    private static bool TwoDigits(ReadOnlySpan<byte> s, int at, out int value)
    {
        var a = s[at] - '0';
        var b = s[at + 1] - '0';
        value = (a * 10) + b;
        return a is >= 0 and <= 9 && b is >= 0 and <= 9;
    }
}
