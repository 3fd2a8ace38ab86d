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
        new("gpsd-gga-four-satellites",
            "gpsd's processGGA() gives 3D only when GGA counts 4 or more satellites (`if (4 <= satellites_visible) "
            + "newdata.mode = MODE_3D`), so a GGA with an altitude from 3 satellites is 2D in gpsd unless a later sentence "
            + "or an older cycle lifts it (its GLL and RMC handlers give 3D whenever the fix holds an altitude: ublox-lea-4h.log "
            + "03:08:58 is 3D from 3 satellites); ours takes the altitude the cycle reports as 3D, the same for every cycle",
            ["mode"],
            (c, _) => c.Gpsd.GetProperty("mode").GetInt32() == 2 && c.Ours.Mode == 3 && c.Ours.Satellites is < 4
                && Get(c.Gpsd, "altMSL") is { } alt && c.Ours.AltitudeMsl is { } ours && Math.Abs(alt - ours) <= 0.01
                && (c.GpsdPrevious is not { } p || Get(p, "altMSL") is null)),
        new("gpsd-previous-2d",
            "gpsd derives climb only between two 3D fixes (gpsd_error_model(): `MODE_3D <= oldfix->mode`); its previous "
            + "cycle was 2D (gpsd-gga-four-satellites) where ours was 3D, so gpsd has no climb where ours has one",
            ["climb"],
            (c, _) => Get(c.Gpsd, "climb") is null && c.Ours.ClimbMetersPerSecond is not null
                && c.GpsdPrevious is { } p && p.GetProperty("mode").GetInt32() == 2 && c.OursBefore.Count > 0 && c.OursBefore[^1].Mode == 3),
        new("gpsd-eps-from-held-dops",
            "gpsd recomputes eps at every sentence that carries none itself (gpsd_error_model(): `0 == isfinite(newfix->eps)`, "
            + "so a PSRFEPE's EHVE lasts only until the cycle's next sentence) from its old fix's epx/epy; the old fix is its "
            + "state after the previous cycle's last sentence, later than its last report there (GSV sentences fill the X/Y "
            + "DOPs without a report) or in a report without a time, and its X/Y DOPs stay from cycle to cycle (gpsd-older-dop): "
            + "so old and new epx/epy are this report's, and eps is 2 max(epx, epy) / dt",
            ["eps"],
            (c, _) => (c.GpsdPrevious is not { } p || Get(p, "epx") is null) && Get(c.Gpsd, "eps") is { } eps
                && Max(Get(c.Gpsd, "epx"), Get(c.Gpsd, "epy")) is { } e
                && (c.GpsdPrevious is { } q ? Seconds(c.Gpsd, q) : c.OursBefore.Count > 0 && c.Ours.UtcTime is { } now
                    && c.OursBefore[^1].UtcTime is { } then ? (now - then).TotalSeconds : 0) is > 0 and var dt
                && Math.Abs((2 * e / dt) - eps) <= 0.01),
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
        var dt = Seconds(c.Gpsd, prev);
        if (dt <= 0) return null;
        var error = Max(Get(c.Gpsd, "epx"), Get(c.Gpsd, "epy"));
        if (field == "eps") return Max(Get(prev, "epx"), Get(prev, "epy")) is { } old && error is { } e ? (old + e) / dt : null;
        var distance = Geodesy.Distance(Get(prev, "lat")!.Value, Get(prev, "lon")!.Value, Get(c.Gpsd, "lat")!.Value, Get(c.Gpsd, "lon")!.Value);
        if (error is not { } opp || !(distance > opp)) return null;
        return 2 * Math.Asin(opp / Math.Sqrt((distance * distance) + (opp * opp))) * (180 / Math.PI);
    }

    /// <summary>Seconds from gpsd's report <paramref name="before"/> to <paramref name="report"/>.</summary>
    private static double Seconds(JsonElement report, JsonElement before) =>
        (DateTimeOffset.Parse(report.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
         - DateTimeOffset.Parse(before.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).TotalSeconds;

    private static double? Get(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0 : null;

    private static double? Max(double? a, double? b) => a is { } x && b is { } y ? Math.Max(x, y) : null;

    private static double Normalize(double d) => d < 0 ? d + 360 : d >= 360 ? d - 360 : d;
}
