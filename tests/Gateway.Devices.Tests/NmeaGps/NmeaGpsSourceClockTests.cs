using Gateway.Devices.NmeaGps;
using Gateway.Devices.Tests.Support;
using Gateway.Telemetry.Time;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>A receiver that loses its fix keeps talking, with its own clock's guess: only fix times reach the clock (DESIGN §4.2).</summary>
public sealed class NmeaGpsSourceClockTests
{
    [Fact]
    public async Task ReceiverThatLosesItsFix_OnlyTheFixTimeSynchronizesTheClock()
    {
        byte[][] chunks =
        [
            NmeaCommand.Frame("GPGGA,120000.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
            NmeaCommand.Frame("GPRMC,120000.00,A,4807.038,N,01131.000,E,0.0,0.0,010326,,,A"),
            // The fix is lost: status V, the time runs on the receiver's oscillator.
            NmeaCommand.Frame("GPGGA,120001.00,,,,,0,00,99.99,,M,,M,,"),
            NmeaCommand.Frame("GPRMC,120001.00,V,,,,,,,010326,,,N"),
            // A brown-out reset its RTC: 1980-01-06, GPS epoch. A discipline taking this would jump 46 years.
            NmeaCommand.Frame("GPGGA,000005.00,,,,,0,00,99.99,,M,,M,,"),
            NmeaCommand.Frame("GPRMC,000005.00,V,,,,,,,060180,,,N"),
        ];
        var source = new NmeaGpsSource("gps", new ScriptedDevice("/dev/ttyAMA0", chunks));
        var clock = new ClockDiscipline(TimeProvider.System, new ClockDisciplineOptions { Sources = TimeSourcePolicy.Gps });
        source.FixTimeReceived += fix => clock.Synchronize(fix.Utc, fix.MonotonicTimestamp, ClockSource.Gps);
        var sink = new RecordingSink();

        await Assert.ThrowsAsync<IOException>(() => source.RunAsync(SourceRunner.Context(sink, TimeProvider.System), CancellationToken.None));

        Assert.Equal(1, clock.Synchronizations);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), source.LastFixUtc!.Value.Utc);
        long fixMs = clock.ToUnixMilliseconds(source.LastFixUtc!.Value.MonotonicTimestamp);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), fixMs);
        Assert.Single(sink.Snapshot());
    }
}
