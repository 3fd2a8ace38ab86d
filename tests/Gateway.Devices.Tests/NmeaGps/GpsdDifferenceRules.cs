using System.Text.Json;
using Gateway.Devices.NmeaGps;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>
/// Where gpsd's output and ours differ by design, field by field: each rule names the difference, says why, and checks
/// that the reason really holds for the report at hand (a rule that does not hold leaves the difference unexplained).
/// Most are gpsd publishing values from an older cycle, which the issue asks us never to do.
/// </summary>
public static class GpsdDifferenceRules
{
    /// <summary>
    /// What a rule may look at: gpsd's report and the one before it, our fix and our earlier fixes, and gpsd's output
    /// file with the report's line in it (what gpsd had read when it wrote the report, <see cref="GpsdCycleRules"/>).
    /// </summary>
    public sealed record Context(
        JsonElement Gpsd, JsonElement? GpsdPrevious, NmeaFix Ours, IReadOnlyList<NmeaFix> OursBefore, GpsdCheckFile? Check = null, int Line = -1);

    public sealed record Rule(string Name, string Reason, string[] Fields, Func<Context, string, bool> Holds);

    public static readonly Rule[] All =
    [
        new("gpsd-older-dop",
            "gpsd's DOP store is cleared at a new cycle only when its first sentence carries no DOP; GGA carries HDOP, so "
            + "its VDOP/PDOP/XDOP/YDOP stay those of an older cycle (X/Y from the first sky view, often for the whole log) "
            + "and so do its estimates from them; ours use this cycle's DOPs, and gpsd's value is ours of an earlier cycle",
            ["eph", "epv", "sep", "epx", "epy"],
            (c, field) => c.Gpsd.TryGetProperty(field, out var v)
                && c.OursBefore.Any(f => Value(f, field) is { } earlier && Math.Abs(earlier - v.GetDouble()) <= 0.0015)),
        new("gpsd-older-inputs",
            "gpsd's speed and track errors follow from its position errors (this and the previous cycle's epx/epy), which "
            + "are from an older cycle (gpsd-older-dop); recomputed from gpsd's own epx/epy they are gpsd's value",
            ["eps", "epd"],
            (c, field) => FromGpsdInputs(c, field) is var expected
                && (c.Gpsd.TryGetProperty(field, out var v) ? expected is { } e && Math.Abs(e - v.GetDouble()) <= 0.01 : expected is null)),
        new("gpsd-magnetic-model",
            "the receiver sent no magnetic variation (or 0.0, which gpsd also ignores): gpsd takes one from its world "
            + "magnetic table, which we do not carry, so we publish no magnetic track",
            ["magtrack"],
            (c, _) => c.Ours.MagneticVariation is null && c.Gpsd.TryGetProperty("magvar", out var mv) && Math.Abs(mv.GetDouble()) <= 180
                && c.Gpsd.TryGetProperty("track", out var t) && c.Gpsd.TryGetProperty("magtrack", out var mt)
                && Math.Abs(Normalize(t.GetDouble() + mv.GetDouble()) - mt.GetDouble()) <= 0.06),
        new("receiver-variation-invalid",
            "the receiver's variation is beyond 180 degrees (the Caterpillar MS352 sends 999.9 for 'unknown'): gpsd adds it "
            + "to the track anyway (a magtrack of 686 degrees); we drop it",
            ["magtrack"],
            (c, _) => c.Gpsd.TryGetProperty("magvar", out var mv) && Math.Abs(mv.GetDouble()) > 180 && c.Ours.MagneticTrackDegrees is null),
    ];

    public static double? Value(NmeaFix f, string field) => field switch
    {
        "eph" => f.Estimates.Eph,
        "epv" => f.Estimates.Epv,
        "sep" => f.Estimates.Sep,
        "epx" => f.Estimates.Epx,
        "epy" => f.Estimates.Epy,
        "eps" => f.Estimates.Eps,
        "epd" => f.Estimates.Epd,
        _ => null,
    };

    /// <summary>gpsd_error_model()'s eps/epd formulas applied to gpsd's own reports.</summary>
    private static double? FromGpsdInputs(Context c, string field)
    {
        if (c.GpsdPrevious is not { } prev || Get(c.Gpsd, "time") is null) return null;
        var dt = (DateTimeOffset.Parse(c.Gpsd.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(prev.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).TotalSeconds;
        if (dt <= 0) return null;
        var error = Max(Get(c.Gpsd, "epx"), Get(c.Gpsd, "epy"));
        if (field == "eps") return Max(Get(prev, "epx"), Get(prev, "epy")) is { } old && error is { } e ? (old + e) / dt : null;
        var distance = Geodesy.Distance(Get(prev, "lat")!.Value, Get(prev, "lon")!.Value, Get(c.Gpsd, "lat")!.Value, Get(c.Gpsd, "lon")!.Value);
        if (error is not { } opp || !(distance > opp)) return null;
        return 2 * Math.Asin(opp / Math.Sqrt((distance * distance) + (opp * opp))) * (180 / Math.PI);
    }

    private static double? Get(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0 : null;

    private static double? Max(double? a, double? b) => a is { } x && b is { } y ? Math.Max(x, y) : null;

    private static double Normalize(double d) => d < 0 ? d + 360 : d >= 360 ? d - 360 : d;
}
