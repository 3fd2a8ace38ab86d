namespace Gateway.Devices.NmeaGps;

/// <summary>A date as a sentence gave it: RMC's <c>ddmmyy</c> (two-digit year) or ZDA's day, month and four-digit year.</summary>
internal readonly record struct NmeaDateParts(int Day, int Month, int Year, bool TwoDigitYear);

/// <summary>
/// Turns sentence dates into calendar dates the way gpsd does (timebase.c): the century of a two-digit year comes
/// from a reference date, and a date more than half a GPS week-number era before the reference is moved forward by
/// whole eras of 1024 weeks.
/// </summary>
/// <remarks>
/// Why: GPS broadcasts the week number in 10 bits (IS-GPS-200 §20.3.3.3.1.1), so it wraps every 1024 weeks
/// (1999-08-22, 2019-04-07). A receiver whose firmware predates a wrap reports dates 19.6 years early; the Telit HE910
/// in gpsd's april6_2019.log said 1999-08-22 on 2019-04-07. A live gateway uses <see cref="SoftwareEpoch"/> as the
/// reference (no receiver can be right with a date before this software existed); a log replay uses the log's
/// <c># Date:</c> header, as gpsd's regression tests do.
/// </remarks>
internal sealed class NmeaDateResolver
{
    /// <summary>One GPS week-number era: 1024 weeks.</summary>
    public static readonly TimeSpan RolloverPeriod = TimeSpan.FromDays(1024 * 7);

    /// <summary>A date before this release of the software was written; the default reference.</summary>
    public static readonly DateOnly SoftwareEpoch = new(2025, 1, 1);

    private readonly DateOnly _reference;
    private readonly DateTimeOffset _rolloverLimit;

    public NmeaDateResolver(DateOnly? reference = null)
    {
        _reference = reference ?? SoftwareEpoch;
        _rolloverLimit = new DateTimeOffset(_reference.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - (RolloverPeriod / 2);
    }

    public DateOnly Reference => _reference;

    /// <summary>
    /// The calendar date of <paramref name="parts"/>, or null when it does not exist (31 February). A two-digit year
    /// goes into the reference's century, or the neighbouring one when that is more than 50 years off.
    /// </summary>
    public DateOnly? Resolve(NmeaDateParts parts)
    {
        var year = parts.Year;
        if (parts.TwoDigitYear)
        {
            year += _reference.Year / 100 * 100;
            if (year > _reference.Year + 50) year -= 100;
            else if (year < _reference.Year - 50) year += 100;
        }
        if (year is < 1 or > 9999 || parts.Month is < 1 or > 12 || parts.Day < 1 || parts.Day > DateTime.DaysInMonth(year, parts.Month))
            return null;
        return new DateOnly(year, parts.Month, parts.Day);
    }

    /// <summary>Moves a time that lies more than half an era before the reference forward by whole 1024-week eras.</summary>
    public DateTimeOffset RepairRollover(DateTimeOffset utc)
    {
        while (utc < _rolloverLimit) utc += RolloverPeriod;
        return utc;
    }

    /// <summary>Date and time of day to UTC, with the rollover repaired; null when the date does not exist.</summary>
    public DateTimeOffset? ToUtc(NmeaDateParts parts, TimeSpan timeOfDay) =>
        Resolve(parts) is { } date ? RepairRollover(new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + timeOfDay) : null;
}
