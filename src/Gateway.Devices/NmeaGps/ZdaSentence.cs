using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// ZDA, time and date (NMEA 0183 v4.11 §6.3 ZDA). Fields: 1 UTC time, 2 day, 3 month, 4 four-digit year, 5-6 local
/// zone hours and minutes (ignored: we want UTC).
/// </summary>
internal readonly record struct ZdaSentence(TimeSpan? Time, NmeaDateParts? Date)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(NmeaSentence sentence, out ZdaSentence zda)
    {
        zda = default;
        if (sentence.IsProprietary || !sentence.Type.SequenceEqual("ZDA"u8)) return false;
        if (!NmeaParse.Time(sentence.Field(1), out var time)
            || !NmeaParse.Int(sentence.Field(2), out var day)
            || !NmeaParse.Int(sentence.Field(3), out var month)
            || !NmeaParse.Int(sentence.Field(4), out var year))
        {
            return false;
        }
        NmeaDateParts? date = null;
        if (day is { } d && month is { } m && year is { } y)
        {
            if (d is < 1 or > 31 || m is < 1 or > 12 || y is < 1980 or > 9999) return false;
            date = new NmeaDateParts(d, m, y, TwoDigitYear: false);
        }
        zda = new ZdaSentence(time, date);
        return true;
    }
}
