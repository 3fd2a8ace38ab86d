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
        [("triton400.log", "2013-04-01T03:01:30.000Z")] =
            "a cycle with only GLL: gpsd carries the previous cycle's 3D mode over (an older cycle's value); we report what "
            + "the sentence says, a 2D position; the speed both derive from the two positions (0.185 m/s)",
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
    public void Sl869_FirstFix_GpsdSays2DFromThreeSatellites_RuleExplainsIt()
    {
        var fix = Decode("sl869.log").First(f => f.HasFix);
        Assert.Equal("2012-11-25T10:21:43.000Z", Iso(fix.UtcTime!.Value));
        Assert.Equal(3, fix.Mode);
        Assert.Equal(3, fix.Satellites); // GGA counts 03, GSA lists 10, 17, 12
        Assert.Equal(63.76, fix.AltitudeMsl!.Value, 0.01);
        var gpsd = GpsdFinalTpvs("sl869.log")["2012-11-25T10:21:43.000Z"];
        Assert.Equal(2, gpsd.GetProperty("mode").GetInt32());
        Assert.Equal(63.76, gpsd.GetProperty("altMSL").GetDouble(), 0.01); // gpsd has the altitude too
        // gpsd's GGA gives 3D only from 4 satellites; the next cycle's climb follows (gpsd has no 3D fix to climb from).
        Assert.Equal(1, Compare("sl869.log").RuleHits["gpsd-gga-four-satellites"]);
        Assert.Equal(1, Compare("sl869.log", derived: true).RuleHits["gpsd-previous-2d"]);
    }

    [Fact]
    public void Triton400_GllOnlyCycle_2DWithSpeedFromPositions()
    {
        var fix = Decode("triton400.log").Single(f => f.UtcTime is { } t && Iso(t) == "2013-04-01T03:01:30.000Z");
        Assert.Equal(2, fix.Mode);
        Assert.Null(fix.AltitudeMsl);
        Assert.Null(fix.ClimbMetersPerSecond); // a 2D fix has no altitude to climb from
        var gpsd = GpsdFinalTpvs("triton400.log")["2013-04-01T03:01:30.000Z"];
        Assert.Equal(fix.Latitude!.Value, gpsd.GetProperty("lat").GetDouble(), 1e-6);
        Assert.Equal(gpsd.GetProperty("speed").GetDouble(), fix.SpeedMetersPerSecond!.Value, 0.001); // both derive it
        Assert.False(gpsd.TryGetProperty("altMSL", out _)); // gpsd's "3D" has no altitude: it is carried over
    }

    /// <summary>
    /// The values gpsd derives (<c>gpsd_error_model()</c>): climb, magnetic track, ept/eph/epv/eps/epd, and speed
    /// where the receiver sent none. Every difference must be explained by a rule that recomputes gpsd's value
    /// (<see cref="GpsdDifferenceRules"/>, <see cref="GpsdCycleRules"/>) or be an intermediate report superseded by the
    /// cycle's final one: none is open on any log.
    /// </summary>
    [Theory]
    [MemberData(nameof(Logs))]
    public void Log_DerivedFields_MatchedOrRuleExplained(string log)
    {
        var row = Compare(log, derived: true);
        output.WriteLine(row.ToString());
        foreach (var u in row.Unexplained) output.WriteLine(u);
        Assert.True(row.Unexplained.Count == 0,
            $"{log}: {row.Unexplained.Count} unexplained derived-field reports:\n" + string.Join("\n", row.Unexplained));
    }

    /// <summary>One row of the agreement table.</summary>
    public sealed record Row(
        string Log, int GpsdTpvs, int Matched, int ByRule, int Superseded, List<string> ExplainedTimes, List<string> Unexplained,
        int OurFixes, Dictionary<string, int> RuleHits)
    {
        public override string ToString() =>
            $"| {Log} | {GpsdTpvs} | {Matched} | {ByRule} | {Superseded} | {ExplainedTimes.Count} | {Unexplained.Count} | {OurFixes} | "
            + string.Join(" ", RuleHits.OrderBy(p => p.Key).Select(p => $"{p.Key}:{p.Value}")) + " |";
    }

    public static Row Compare(string log, bool derived = false)
    {
        var fixes = Decode(log).Where(f => f.UtcTime is not null).ToList();
        var ours = new Dictionary<string, int>();
        for (var i = 0; i < fixes.Count; i++) ours.TryAdd(Iso(fixes[i].UtcTime!.Value), i);
        var gpsd = GpsdTpvs(log);
        var check = new GpsdCheckFile(Path.Combine(LogDirectory, log + ".chk"));
        var rules = GpsdDifferenceRules.All.Concat(GpsdCycleRules.All).ToArray();
        int total = 0, matched = 0, byRule = 0, superseded = 0;
        var explained = new List<string>();
        var unexplained = new List<string>();
        var hits = new Dictionary<string, int>();
        JsonElement? previous = null;
        foreach (var (time, reports) in gpsd)
        {
            var index = ours.TryGetValue(time, out var at) ? at : -1;
            // A receiver-field difference explained above (and pinned by its own test) is not compared again in the
            // derived fields: the fix is ours at the repaired time (week rollover), and a carried-over mode is left out.
            var receiverExplained = derived && Explained.ContainsKey((log, time));
            if (receiverExplained && index < 0 && ours.TryGetValue(Iso(Parse(time) + NmeaDateResolver.RolloverPeriod), out var repaired))
                index = repaired;
            List<string>? Remaining((JsonElement Tpv, int Line) report, bool count)
            {
                if (index < 0) return ["no fix of ours at this time"];
                var context = new GpsdDifferenceRules.Context(report.Tpv, previous, fixes[index], fixes.GetRange(0, index), check, report.Line);
                var left = new List<string>();
                foreach (var (field, problem) in Differences(report.Tpv, fixes[index], derived, receiverExplained))
                {
                    var rule = rules.FirstOrDefault(r => r.Fields.Contains(field) && r.Holds(context, field));
                    if (rule is null) left.Add(problem);
                    else if (count) hits[rule.Name] = hits.GetValueOrDefault(rule.Name) + 1;
                }
                return left;
            }
            for (var i = 0; i < reports.Count; i++)
            {
                total++;
                var all = index < 0 ? 1 : Differences(reports[i].Tpv, fixes[index], derived, receiverExplained).Count;
                var left = Remaining(reports[i], count: i == reports.Count - 1)!;
                if (receiverExplained && left.Count == 0) explained.Add(time);
                else if (all == 0) matched++;
                else if (left.Count == 0) byRule++;
                else if (i < reports.Count - 1 && Remaining(reports[^1], count: false)!.Count == 0) superseded++;
                else if (!derived && Explained.ContainsKey((log, time))) explained.Add(time);
                else unexplained.Add($"{time} report {i + 1}/{reports.Count}: {string.Join("; ", left)}");
            }
            previous = reports[^1].Tpv;
        }
        return new Row(log, total, matched, byRule, superseded, explained, unexplained, fixes.Count(f => f.HasFix), hits);
    }

    /// <summary>
    /// The fields compared, with gpsd's printed precision as the tolerance: what the receiver sent, then what gpsd
    /// derives (<c>gpsd_error_model()</c>). A derived field must be absent where gpsd has none: a value gpsd did not
    /// publish is a value from nowhere (or from an older cycle).
    /// </summary>
    private static readonly (string Name, Func<NmeaFix, double?> Ours, double Tolerance, bool Derived)[] ReceiverFields =
    [
        ("lat", f => f.Latitude, 1e-6, false),
        ("lon", f => f.Longitude, 1e-6, false),
        ("altMSL", f => f.AltitudeMsl, 0.01, false),
        ("speed", f => f.SpeedMetersPerSecond, 0.01, false),
        ("track", f => f.CourseDegrees, 0.01, false),
    ];

    private static readonly (string Name, Func<NmeaFix, double?> Ours, double Tolerance, bool Derived)[] DerivedFields =
    [
        ("speed", f => f.SpeedMetersPerSecond, 0.01, true),
        ("climb", f => f.ClimbMetersPerSecond, 0.0015, true),
        ("magtrack", f => f.MagneticTrackDegrees, 0.01, true),
        ("ept", f => f.Estimates.Ept, 0.0005, true),
        ("eph", f => f.Estimates.Eph, 0.0015, true),
        ("epv", f => f.Estimates.Epv, 0.0015, true),
        ("eps", f => f.Estimates.Eps, 0.006, true),
        ("epd", f => f.Estimates.Epd, 0.0015, true),
    ];

    public static List<(string Field, string Problem)> Differences(JsonElement tpv, NmeaFix fix, bool derived, bool modeExplained = false)
    {
        if (!modeExplained && tpv.GetProperty("mode").GetInt32() != fix.Mode)
            return [("mode", $"mode {fix.Mode}, gpsd {tpv.GetProperty("mode").GetInt32()}")];
        var problems = new List<(string, string)>();
        foreach (var (name, ours, tolerance, mustBeAbsent) in derived ? DerivedFields : ReceiverFields)
        {
            var v = ours(fix);
            if (!tpv.TryGetProperty(name, out var value))
            {
                if (mustBeAbsent && v is not null) problems.Add((name, $"{name} {v}, gpsd none"));
                continue;
            }
            var theirs = value.GetDouble();
            if (v is not { } mine) problems.Add((name, $"{name} missing, gpsd {theirs}"));
            else if (Math.Abs(mine - theirs) > tolerance + 1e-9) problems.Add((name, $"{name} {mine}, gpsd {theirs}"));
        }
        return problems;
    }

    internal static List<NmeaFix> Decode(string log)
    {
        var fixes = new List<NmeaFix>();
        using var stream = File.OpenRead(Path.Combine(LogDirectory, log));
        new NmeaLogReplay().Run(stream, fixes.Add);
        return fixes;
    }

    /// <summary>gpsd's TPVs with mode 2/3 and a time, with their line in the .chk file, grouped by time in file order.</summary>
    private static Dictionary<string, List<(JsonElement Tpv, int Line)>> GpsdTpvs(string log)
    {
        var result = new Dictionary<string, List<(JsonElement, int)>>();
        var number = -1;
        foreach (var line in File.ReadLines(Path.Combine(LogDirectory, log + ".chk")))
        {
            number++;
            if (!line.StartsWith("{\"class\":\"TPV\"", StringComparison.Ordinal)) continue;
            var tpv = JsonDocument.Parse(line).RootElement;
            if (tpv.GetProperty("mode").GetInt32() < 2 || !tpv.TryGetProperty("time", out var time)) continue;
            var key = time.GetString()!;
            if (!result.TryGetValue(key, out var list)) result[key] = list = [];
            list.Add((tpv, number));
        }
        return result;
    }

    private static Dictionary<string, JsonElement> GpsdFinalTpvs(string log) => GpsdTpvs(log).ToDictionary(p => p.Key, p => p.Value[^1].Tpv);

    private static DateTimeOffset Parse(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
