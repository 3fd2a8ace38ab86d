using System.Globalization;
using System.Text.Json;
using Gateway.Devices.NmeaGps;
using Xunit.Abstractions;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>
/// Every gpsd TPV with mode 2 or 3 in the reference logs must be matched by ours at the same time: equal mode, lat/lon
/// within 1e-6°, altMSL within 0.01 m, speed within 0.01 m/s, track within 0.01°. Two kinds of difference are allowed,
/// and each is explained here: gpsd's intermediate reports (it emits a TPV after several sentences of a cycle, before
/// the cycle's last sentence; the last TPV of that time is the one compared), and the cases in
/// <see cref="Explained"/>.
/// </summary>
public sealed class GpsdAgreementTests(ITestOutputHelper output)
{
    private static readonly string LogDirectory = Gateway.TestKit.Data.SharedTestData.Directory("gpsd");

    /// <summary>The only final gpsd reports we do not match, each with its reason (checked in detail below).</summary>
    public static readonly Dictionary<(string Log, string Time), string> Explained = new()
    {
        [("april6_2019.log", "1999-08-22T00:02:31.420Z")] =
            "GPS week rollover: the Telit HE910 says 22 Aug 1999 on 7 Apr 2019 (the log's note). gpsd's replay leaves it; we "
            + "repair it from the '# Date: 2019-3-14' reference and report 2019-04-07T00:02:31.420Z, 1024 weeks later",
        [("sl869.log", "2012-11-25T10:21:43.000Z")] =
            "first fix after no fix: gpsd reports 2D for this cycle although GGA gives an altitude; we apply the same rule as "
            + "for every later cycle of the log, where gpsd agrees: GGA with an altitude is 3D",
        [("triton400.log", "2013-04-01T03:01:30.000Z")] =
            "a cycle with only GLL: gpsd carries the previous cycle's 3D mode over and derives a speed from successive "
            + "positions; we report what the sentence says: a 2D position, no speed",
    };

    public static TheoryData<string> Logs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(LogDirectory, "*.log").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public void Log_EveryGpsdFixTpv_MatchedOrExplained(string log)
    {
        var row = Compare(log);
        output.WriteLine(row.ToString());
        Assert.True(row.Unexplained.Count == 0, $"{log}: unexplained differences:\n{string.Join("\n", row.Unexplained)}");
        var expected = Explained.Keys.Where(k => k.Log == log).Select(k => k.Time).Order().ToList();
        Assert.Equal(expected, row.ExplainedTimes.Distinct().Order().ToList());
    }

    [Fact]
    public void April6_RolloverRepaired_SamePositionOneEraLater()
    {
        var ours = Decode("april6_2019.log");
        var gpsd = GpsdFinalTpvs("april6_2019.log")["1999-08-22T00:02:31.420Z"];
        var repaired = DateTimeOffset.Parse("1999-08-22T00:02:31.420Z", CultureInfo.InvariantCulture) + NmeaDateResolver.RolloverPeriod;
        var fix = Assert.Single(ours, f => f.UtcTime == repaired);
        Assert.Equal(new DateTimeOffset(2019, 4, 7, 0, 2, 31, 420, TimeSpan.Zero), repaired);
        Assert.Equal(gpsd.GetProperty("lat").GetDouble(), fix.Latitude!.Value, 1e-6);
        Assert.Equal(gpsd.GetProperty("lon").GetDouble(), fix.Longitude!.Value, 1e-6);
        // With the date gpsd's replay effectively uses (no rollover reference before 1999), we agree exactly.
        var replay = new NmeaLogReplay(new DateOnly(1999, 1, 1));
        var fixes = new List<NmeaFix>();
        replay.Run(File.OpenRead(Path.Combine(LogDirectory, "april6_2019.log")), fixes.Add);
        Assert.Contains(fixes, f => f.UtcTime == repaired - NmeaDateResolver.RolloverPeriod && f.Mode == 2);
    }

    [Fact]
    public void Sl869_FirstFix_GpsdSays2DButGgaHasAltitude()
    {
        var fix = Decode("sl869.log").First(f => f.HasFix);
        Assert.Equal("2012-11-25T10:21:43.000Z", Iso(fix.UtcTime!.Value));
        Assert.Equal(3, fix.Mode);
        Assert.Equal(63.76, fix.AltitudeMsl!.Value, 0.01);
        var gpsd = GpsdFinalTpvs("sl869.log")["2012-11-25T10:21:43.000Z"];
        Assert.Equal(2, gpsd.GetProperty("mode").GetInt32());
        Assert.Equal(63.76, gpsd.GetProperty("altMSL").GetDouble(), 0.01); // gpsd has the altitude too
    }

    [Fact]
    public void Triton400_GllOnlyCycle_2DWithoutSpeed()
    {
        var fix = Decode("triton400.log").Single(f => f.UtcTime is { } t && Iso(t) == "2013-04-01T03:01:30.000Z");
        Assert.Equal(2, fix.Mode);
        Assert.Null(fix.SpeedMetersPerSecond);
        Assert.Null(fix.AltitudeMsl);
        var gpsd = GpsdFinalTpvs("triton400.log")["2013-04-01T03:01:30.000Z"];
        Assert.Equal(fix.Latitude!.Value, gpsd.GetProperty("lat").GetDouble(), 1e-6);
        Assert.False(gpsd.TryGetProperty("altMSL", out _)); // gpsd's "3D" has no altitude: it is carried over
    }

    /// <summary>One row of the agreement table.</summary>
    public sealed record Row(string Log, int GpsdTpvs, int Matched, int Superseded, List<string> ExplainedTimes, List<string> Unexplained, int OurFixes)
    {
        public override string ToString() =>
            $"| {Log} | {GpsdTpvs} | {Matched} | {Superseded} | {ExplainedTimes.Count} | {Unexplained.Count} | {OurFixes} |";
    }

    public static Row Compare(string log)
    {
        var ours = new Dictionary<string, NmeaFix>();
        var fixes = Decode(log);
        foreach (var f in fixes)
            if (f.UtcTime is { } t) ours.TryAdd(Iso(t), f);
        var gpsd = GpsdTpvs(log);
        int total = 0, matched = 0, superseded = 0;
        var explained = new List<string>();
        var unexplained = new List<string>();
        foreach (var (time, reports) in gpsd)
        {
            for (var i = 0; i < reports.Count; i++)
            {
                total++;
                var problem = ours.TryGetValue(time, out var fix) ? Difference(reports[i], fix) : "no fix of ours at this time";
                if (problem is null) matched++;
                else if (i < reports.Count - 1 && ours.TryGetValue(time, out var f2) && Difference(reports[^1], f2) is null) superseded++;
                else if (Explained.ContainsKey((log, time))) explained.Add(time);
                else unexplained.Add($"{time} report {i + 1}/{reports.Count}: {problem}");
            }
        }
        return new Row(log, total, matched, superseded, explained, unexplained, fixes.Count(f => f.HasFix));
    }

    private static string? Difference(JsonElement tpv, NmeaFix fix)
    {
        if (tpv.GetProperty("mode").GetInt32() != fix.Mode) return $"mode {fix.Mode}, gpsd {tpv.GetProperty("mode").GetInt32()}";
        return Field("lat", fix.Latitude, 1e-6) ?? Field("lon", fix.Longitude, 1e-6) ?? Field("altMSL", fix.AltitudeMsl, 0.01)
            ?? Field("speed", fix.SpeedMetersPerSecond, 0.01) ?? Field("track", fix.CourseDegrees, 0.01);

        string? Field(string name, double? ours, double tolerance)
        {
            if (!tpv.TryGetProperty(name, out var value)) return null; // compare what gpsd reports
            var theirs = value.GetDouble();
            if (ours is not { } v) return $"{name} missing, gpsd {theirs}";
            return Math.Abs(v - theirs) <= tolerance + 1e-12 ? null : $"{name} {v}, gpsd {theirs}";
        }
    }

    internal static List<NmeaFix> Decode(string log)
    {
        var fixes = new List<NmeaFix>();
        using var stream = File.OpenRead(Path.Combine(LogDirectory, log));
        new NmeaLogReplay().Run(stream, fixes.Add);
        return fixes;
    }

    /// <summary>gpsd's TPVs with mode 2/3 and a time, grouped by time in file order.</summary>
    private static Dictionary<string, List<JsonElement>> GpsdTpvs(string log)
    {
        var result = new Dictionary<string, List<JsonElement>>();
        foreach (var line in File.ReadLines(Path.Combine(LogDirectory, log + ".chk")))
        {
            if (!line.StartsWith("{\"class\":\"TPV\"", StringComparison.Ordinal)) continue;
            var tpv = JsonDocument.Parse(line).RootElement;
            if (tpv.GetProperty("mode").GetInt32() < 2 || !tpv.TryGetProperty("time", out var time)) continue;
            var key = time.GetString()!;
            if (!result.TryGetValue(key, out var list)) result[key] = list = [];
            list.Add(tpv);
        }
        return result;
    }

    private static Dictionary<string, JsonElement> GpsdFinalTpvs(string log) => GpsdTpvs(log).ToDictionary(p => p.Key, p => p.Value[^1]);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
