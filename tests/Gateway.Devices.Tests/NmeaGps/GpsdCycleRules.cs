using System.Globalization;
using System.Text.Json;
using Gateway.Devices.NmeaGps;
using static Gateway.Devices.Tests.NmeaGps.GpsdDifferenceRules;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>
/// Differences that come from gpsd running its merge and <c>gpsd_error_model()</c> after every sentence
/// (libgpsd_core.c <c>gpsd_poll()</c>), so that a report holds what gpsd had read up to that sentence and its "old
/// fix" is whatever it held when the time last moved. Each rule checks its reason in gpsd's own output file (the
/// sentences it echoed before and after the report, <see cref="GpsdCheckFile"/>) and recomputes gpsd's value from it.
/// </summary>
public static class GpsdCycleRules
{
    // gpsd's UERE constants for the vertical error (gpsd_error_model(): V_UERE_NO_DGPS, V_UERE_WITH_DGPS).
    private const double VerticalUere = 23.0, VerticalUereDgps = 5.75;

    public static readonly Rule[] All =
    [
        new("gpsd-zda-ahead",
            "gpsd's old fix is the state it held when the time last moved (gpsd_error_model(): `if (0.0099 < "
            + "fabs(deltatime)) *oldfix = *lastfix`); the Ashtech AC12 sends ZDA with the time of the coming second, 2 s "
            + "ahead, just before the cycle's GGA, so gpsd's old fix is later than the cycle, deltatime is negative and "
            + "`if (0 < deltatime)` derives nothing: no speed, climb, eps or epd; ours derive them from the previous cycle",
            ["speed", "climb", "eps", "epd"],
            (c, field) => !c.Gpsd.TryGetProperty(field, out _) && c.Check is { } chk && Time(c.Gpsd) is { } time
                && chk.CycleStart(c.Line, time.TimeOfDay) is >= 0 and var start
                && chk.ZdaTime(chk.PreviousTimed(start)) is { } oldFix && oldFix > time),
        new("gpsd-report-before-cycle-end",
            "in the receiver's first cycle gpsd has not yet learned which sentence ends a cycle (driver_nmea0183.c tags a "
            + "cycle ender only when the time moves on), so its last report of that cycle comes from an earlier sentence; "
            + "the cycle's GBS arrives after it, and gpsd's epv is still VDOP x UERE where ours is the receiver's GBS "
            + "altitude error",
            ["epv"],
            (c, _) => c.Check is { } chk && Time(c.Gpsd) is { } time && Get(c.Gpsd, "epv") is { } epv
                && c.Ours.Vdop is { } vdop && Math.Abs((vdop * (c.Ours.Status == NmeaStatus.Dgps ? VerticalUereDgps : VerticalUere)) - epv) <= 0.0015
                && ReadAfterLastReport(chk, c.Line, time.TimeOfDay).Contains("GBS")),
        new("gpsd-dops-cleared-at-cycle-start",
            "gpsd clears its DOPs when a sentence opens a new time, unless that sentence carries DOPs itself (gpsd_poll(): "
            + "on CLEAR_IS, `if (0 == (set & DOP_SET)) gps_clear_dop()`); the GSA that came before the cycle's first timed "
            + "sentence (an RMC) is lost, and nothing after it set a DOP before the report, so gpsd has no eph/epv/sep; "
            + "ours keep that GSA, which belongs to the cycle",
            ["eph", "epv", "sep", "epx", "epy"],
            (c, field) => !c.Gpsd.TryGetProperty(field, out _) && c.Check is { } chk && Time(c.Gpsd) is { } time
                && chk.CycleStart(c.Line, time.TimeOfDay) is >= 0 and var start && !CarriesDops(chk.Type(start))
                && !Enumerable.Range(start, c.Line - start).Any(i => chk.IsSentence(i) && CarriesDops(chk.Type(i)))
                && Enumerable.Range(chk.PreviousTimed(start) + 1, start - chk.PreviousTimed(start) - 1)
                    .Any(i => chk.IsSentence(i) && chk.Type(i) == "GSA" && IsOurs(chk.Fields(i), c.Ours))),
        new("gpsd-climb-from-receiver-velocity",
            "gpsd takes climb from the receiver's vertical velocity when it has no older 3D fix to derive it from "
            + "(gpsd_error_model(): `climb = -NED.velD`); the Skytraq sends it in the proprietary $PSTI,030, which we do "
            + "not decode, and our first fix has no previous one to derive a climb from",
            ["climb"],
            (c, _) => c.Ours.ClimbMetersPerSecond is null && !c.OursBefore.Any(f => f.HasFix && f.Mode == 3)
                && Get(c.Gpsd, "climb") is { } climb && Get(c.Gpsd, "velD") is { } down && Math.Abs(climb + down) <= 0.0015
                && c.Check is { } chk && Time(c.Gpsd) is { } time && chk.CycleStart(c.Line, time.TimeOfDay) is >= 0 and var start
                && Enumerable.Range(start, c.Line - start).Any(i => chk.IsSentence(i) && chk.Type(i) == "PSTI"
                    && chk.Fields(i) is { Length: > 11 } f && f[1] == "030"
                    && Math.Abs(double.Parse(f[11], CultureInfo.InvariantCulture) - climb) <= 0.0015)),
    ];

    /// <summary>Sentence types gpsd read of this cycle after <paramref name="report"/>, when no later report of it exists.</summary>
    private static List<string> ReadAfterLastReport(GpsdCheckFile chk, int report, TimeSpan timeOfDay)
    {
        var types = new List<string>();
        for (var i = report + 1; i < chk.Count; i++)
        {
            if (!chk.IsSentence(i))
            {
                if (chk.Report(i) is { } r && r.GetProperty("class").GetString() == "TPV") return []; // a later report
                continue;
            }
            if (chk.TimeOfDay(i) is { } t && Math.Abs((t - timeOfDay).TotalSeconds) > 0.0099) break; // the next cycle
            types.Add(chk.Type(i));
        }
        return types;
    }

    /// <summary>Sentences that set gpsd's DOPs (DOP_SET) or its sky view, from which fill_dop() computes them.</summary>
    private static bool CarriesDops(string type) => type is "GGA" or "GNS" or "GSA" or "GSV";

    /// <summary>The GSA's PDOP/HDOP/VDOP (fields 15-17) are our fix's.</summary>
    private static bool IsOurs(string[] gsa, NmeaFix fix) =>
        gsa.Length > 17 && Same(gsa[15], fix.Pdop) && Same(gsa[16], fix.Hdop) && Same(gsa[17], fix.Vdop);

    private static bool Same(string field, double? value) =>
        value is { } v && double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && Math.Abs(f - v) < 1e-9;

    private static double? Get(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static DateTimeOffset? Time(JsonElement report) =>
        report.TryGetProperty("time", out var t) ? DateTimeOffset.Parse(t.GetString()!, CultureInfo.InvariantCulture) : null;
}
