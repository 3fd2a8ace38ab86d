using Gateway.Devices.NmeaGps;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>
/// The cycle rules (<see cref="GpsdCycleRules"/>) explain exactly the reports they were written for, in every shared
/// log: a rule whose evidence were missing from gpsd's output, or that held where gpsd and we agree, would show here.
/// </summary>
public sealed class GpsdCycleRulesTests
{
    /// <summary>Rule, and the fields it explains per log (final reports only); in any other log, none.</summary>
    public static TheoryData<string, string> Expected() => new()
    {
        { "gpsd-zda-ahead", "ac12.log:12" }, // climb and eps of the 6 cycles after the first
        { "gpsd-report-before-cycle-end", "gr8013-w.log:1 isync.log:1 ublox-neo-m9n-nmea.log:1" }, // the first cycle's epv
        { "gpsd-dops-cleared-at-cycle-start", "bu353-glonass.log:2" }, // eph and epv of the first cycle
        { "gpsd-climb-from-receiver-velocity", "skytraq-fixB.log:1" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Rule_ExplainsItsLogsAndNoOther(string rule, string perLog)
    {
        Assert.Contains(GpsdCycleRules.All, r => r.Name == rule);
        var expected = perLog.Split(' ').Select(p => p.Split(':')).ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        foreach (string log in GpsdAgreementTests.Logs())
        {
            var hits = GpsdAgreementTests.Compare(log, derived: true).RuleHits.GetValueOrDefault(rule);
            Assert.True(hits == expected.GetValueOrDefault(log), $"{rule} explains {hits} fields of {log}");
        }
    }

    [Fact]
    public void ZdaAhead_GpsdsOldFixIsTheZdaOfTheComingSecond()
    {
        // ac12.log, the cycle of 19:32:22: gpsd read ZDA 19:32:23 just before the cycle's GGA, so its old fix is later.
        var chk = new GpsdCheckFile(Path.Combine(Gateway.TestKit.Data.SharedTestData.Directory("gpsd"), "ac12.log.chk"));
        var report = Enumerable.Range(0, chk.Count).First(i => chk[i].Contains("\"time\":\"2007-12-23T19:32:22.000Z\"", StringComparison.Ordinal));
        var start = chk.CycleStart(report, new TimeSpan(19, 32, 22));
        Assert.Equal("GGA", chk.Type(start));
        Assert.Equal(new DateTimeOffset(2007, 12, 23, 19, 32, 23, TimeSpan.Zero), chk.ZdaTime(chk.PreviousTimed(start)));
        var ours = GpsdAgreementTests.Decode("ac12.log").Single(f => f.TimeOfDay == new TimeSpan(19, 32, 22));
        Assert.NotNull(ours.ClimbMetersPerSecond); // ours from the 19:32:21 fix: (-30.00 - -30.40) / 1 s
        Assert.Equal(0.4, ours.ClimbMetersPerSecond!.Value, 6);
    }
}
