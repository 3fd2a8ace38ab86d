using System.Globalization;
using System.Text;
using Gateway.Devices.NmeaGps;
using Gateway.Devices.Tests.Support;
using Gateway.TestKit.Time;
using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>
/// Freshness through the whole source: a receiver whose cycles are RMC, GGA, then GSA (com-1289.log's order) sends its
/// DOPs after the cycle's last timed sentence; that GSA belongs to its own cycle (gpsd merges it there), so every
/// posted reading carries the HDOP of its own cycle's GSA, never the previous cycle's, whether the cycles come back to
/// back or with the quiet period between them, and from the first cycle on. The assembler's rule is tested in
/// NmeaCycleInputsTests; these hold it end to end (reads cut anywhere, the quiet timer, the final flush).
/// </summary>
public sealed class NmeaGpsSourceCycleTests
{
    /// <summary>Index of hdop in a gps reading (Measurements.Gps).</summary>
    private const int HdopIndex = 5;

    [Fact]
    public async Task CyclesBackToBack_EveryReadingHasItsOwnCyclesGsaHdop()
    {
        // Six cycles with no pause at all, cut into 64-byte reads (sentences split across reads). The clock never
        // moves, so no quiet period ever ends: cycles complete by the next cycle's time, the last when the device goes.
        var bytes = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 6).Select(Cycle)));
        var chunks = bytes.Chunk(64).ToList();
        var source = new NmeaGpsSource("gps", new ScriptedDevice("/dev/ttyS0", chunks));
        var sink = new RecordingSink();

        await Assert.ThrowsAsync<IOException>(() => source.RunAsync(SourceRunner.Context(sink, new ManualTimeProvider()), CancellationToken.None));

        AssertOwnHdop(sink, 6);
    }

    [Fact]
    public async Task CyclesWithTheQuietPeriodBetween_EveryReadingHasItsOwnCyclesGsaHdop()
    {
        // Cycle 1 alone, then cycles 2 and 3 in one read (a gap shorter than the quiet period: a long GSV burst at
        // 4800 baud leaves less), where the end of cycle is learned, then cycles 4 and 5 alone again.
        string[] bursts = [Cycle(1), Cycle(2) + Cycle(3), Cycle(4), Cycle(5)];
        var time = new ManualTimeProvider();
        var device = new ScriptedDevice("/dev/ttyS0", [.. bursts.Select(Encoding.ASCII.GetBytes)], paced: true);
        var source = new NmeaGpsSource("gps", device);
        var sink = new RecordingSink();
        var running = source.RunAsync(SourceRunner.Context(sink, time), CancellationToken.None);

        var posted = 0;
        await device.WaitForReadAsync();
        foreach (var burst in bursts)
        {
            device.Release();
            await device.WaitForReadAsync(); // the burst is processed and the quiet timer re-armed
            posted += burst.Split("GPRMC").Length - 1;
            // The burst's last cycle is still open: its GSA came after its GGA, more may follow until the line is quiet.
            Assert.Equal(posted - 1, sink.Count);
            time.Advance(NmeaGpsSource.QuietPeriod);
            Assert.Equal(posted, sink.Count);
        }
        device.Release();
        await Assert.ThrowsAsync<IOException>(() => running);

        AssertOwnHdop(sink, 5);
    }

    [Fact]
    public async Task FirstCycle_BeforeTheEndOfCycleIsLearned_HasItsOwnGsaHdop_AndSoHasTheNext()
    {
        // The source's first two cycles back to back: the first completes by the second's time (nothing learned yet);
        // that teaches the end of cycle: GGA, followed by a GSA. The second must then wait for its GSA, not end at GGA.
        var time = new ManualTimeProvider();
        var device = new ScriptedDevice("/dev/ttyS0", [Encoding.ASCII.GetBytes(Cycle(1) + Cycle(2))], paced: true);
        var source = new NmeaGpsSource("gps", device);
        var sink = new RecordingSink();
        var running = source.RunAsync(SourceRunner.Context(sink, time), CancellationToken.None);

        await device.WaitForReadAsync();
        device.Release();
        await device.WaitForReadAsync();
        var first = Assert.Single(sink.Snapshot());
        Assert.Equal(1.5, first.Values[HdopIndex]);
        time.Advance(NmeaGpsSource.QuietPeriod);
        Assert.Equal(2, sink.Count);
        device.Release();
        await Assert.ThrowsAsync<IOException>(() => running);

        AssertOwnHdop(sink, 2);
    }

    /// <summary>
    /// Cycle <paramref name="k"/> (1..59): time 12:00:k, latitude 48°k' (so a reading names its cycle), HDOP k.5 in the
    /// GSA only. GGA's HDOP field is left empty so that the reading's HDOP can only come from a GSA: which GSA is what
    /// these tests check (a real receiver repeats the value in GGA, which would hide a stale GSA's VDOP and PDOP).
    /// </summary>
    private static string Cycle(int k) => string.Concat(
        Line($"GPRMC,1200{k:00}.00,A,48{k:00}.000,N,01131.000,E,0.5,84.4,010326,,,A"),
        Line($"GPGGA,1200{k:00}.00,48{k:00}.000,N,01131.000,E,1,05,,545.4,M,46.9,M,,"),
        Line($"GPGSA,A,3,04,05,09,12,24,,,,,,,,{k + 1}.5,{k}.5,{k}.9"));

    private static string Line(FormattableString body) =>
        Encoding.ASCII.GetString(NmeaCommand.Frame(body.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Readings for cycles 1..<paramref name="cycles"/> in order, each with the HDOP of its own cycle's GSA.</summary>
    private static void AssertOwnHdop(RecordingSink sink, int cycles)
    {
        var readings = sink.Snapshot();
        var seen = readings.Select(r => (Cycle: (int)Math.Round((r.Values[0] - 48) * 60), Hdop: r.Values[HdopIndex])).ToList();
        var expected = Enumerable.Range(1, cycles).Select(k => (Cycle: k, Hdop: k + 0.5)).ToList();
        Assert.Equal(expected, seen);
    }
}
