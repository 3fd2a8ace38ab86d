using System.Text;
using Gateway.Hardware.Simulation.Nmea;
using Gateway.TestKit.Time;

namespace Gateway.Hardware.Simulation.Tests.Nmea;

public sealed class SimulatedGpsReceiverTests
{
    private static readonly SimulatedSite Site = new(52.52, 13.405, 34);

    private static async Task<string> ReadEpochAsync(SimulatedGpsReceiver receiver)
    {
        var buffer = new byte[4096];
        var n = await receiver.ReadAsync(buffer, CancellationToken.None);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    [Fact]
    public async Task FirstEpoch_GgaGsaRmcWithValidChecksumsAndCrLf()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 5, 4, 10, 20, 30, TimeSpan.Zero));
        await using var receiver = new SimulatedGpsReceiver(Site, time);
        var text = await ReadEpochAsync(receiver);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["$GPGGA", "$GPGSA", "$GPRMC"], lines.Select(l => l[..6]));
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        foreach (var line in lines)
        {
            var star = line.IndexOf('*', StringComparison.Ordinal);
            var sum = line[1..star].Aggregate(0, (x, c) => x ^ c);
            Assert.Equal(sum.ToString("X2", System.Globalization.CultureInfo.InvariantCulture), line[(star + 1)..]);
            Assert.True(line.Length <= 82, line);
        }
        Assert.StartsWith("$GPGGA,102030.00,", lines[0], StringComparison.Ordinal);
        Assert.Contains(",040526,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NextEpochWaitsForTheInterval()
    {
        var time = new ManualTimeProvider();
        await using var receiver = new SimulatedGpsReceiver(Site, time);
        await ReadEpochAsync(receiver);
        var next = ReadEpochAsync(receiver);
        await Task.Delay(20);
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("$GPRMC", await next.WaitAsync(TimeSpan.FromSeconds(5)), StringComparison.Ordinal);
        Assert.Equal(2, receiver.EpochCount);
    }

    [Fact]
    public async Task LowBaudRate_EpochsSpacedSoTheLineRateIsNotExceeded()
    {
        var time = new ManualTimeProvider();
        await using var receiver = new SimulatedGpsReceiver(Site, time, new SimulatedGpsOptions { BaudRate = 1200 });
        var first = await ReadEpochAsync(receiver);
        var next = ReadEpochAsync(receiver);
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(20);
        // 1200 baud carries 120 bytes/s; an epoch of ~200 bytes needs more than the 1 s interval.
        Assert.True(first.Length > 120);
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(first.Length / 120.0));
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task StartWithoutFix_FirstEpochsReportNoFix()
    {
        var time = new ManualTimeProvider();
        await using var receiver = new SimulatedGpsReceiver(Site, time, new SimulatedGpsOptions { StartWithoutFix = true, EpochsWithoutFix = 1 });
        Assert.Contains("$GPRMC,000000.00,V,", await ReadEpochAsync(receiver), StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains(",A,", await ReadEpochAsync(receiver), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_AreRecorded_AndDisposeEndsReads()
    {
        var receiver = new SimulatedGpsReceiver(Site, new ManualTimeProvider());
        await receiver.WriteAsync(Encoding.ASCII.GetBytes("$PMTK220,1000*1F\r\n"), CancellationToken.None);
        Assert.Equal(["$PMTK220,1000*1F\r\n"], receiver.ReceivedCommands);
        await receiver.DisposeAsync();
        Assert.Equal(0, await receiver.ReadAsync(new byte[16], CancellationToken.None));
    }

    [Fact]
    public async Task SmallBuffer_EpochDeliveredInPieces()
    {
        await using var receiver = new SimulatedGpsReceiver(Site, new ManualTimeProvider());
        var buffer = new byte[10];
        Assert.Equal(10, await receiver.ReadAsync(buffer, CancellationToken.None));
        Assert.Equal("$GPGGA,000", Encoding.ASCII.GetString(buffer));
    }
    [Fact]
    public async Task OutputLatency_EpochsFallOnWholeSeconds_SentThatLongAfter_StampedWithTheirSecond()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 5, 4, 10, 20, 30, 400, TimeSpan.Zero));
        var options = new SimulatedGpsOptions { OutputLatency = TimeSpan.FromMilliseconds(150) };
        await using var receiver = new SimulatedGpsReceiver(Site, time, options);
        long start = time.GetTimestamp();

        var first = ReadEpochAsync(receiver);
        time.Advance(TimeSpan.FromMilliseconds(749)); // 30.400 -> 31.149: not yet
        await Task.Delay(20);
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.StartsWith("$GPGGA,102031.00,", await first.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
        Assert.Equal(750 * TimeSpan.TicksPerMillisecond, time.GetTimestamp() - start);

        var second = ReadEpochAsync(receiver);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.StartsWith("$GPGGA,102032.00,", await second.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputLatency_ReaderFallsBehind_GetsTheLatestEpochNotAStaleOne()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 5, 4, 10, 20, 30, TimeSpan.Zero));
        await using var receiver = new SimulatedGpsReceiver(Site, time, new SimulatedGpsOptions { OutputLatency = TimeSpan.FromMilliseconds(150) });
        time.Advance(TimeSpan.FromSeconds(3.5)); // nobody read the epochs of :30, :31 and :32
        Assert.StartsWith("$GPGGA,102033.00,", await ReadEpochAsync(receiver), StringComparison.Ordinal);
        Assert.Equal(1, receiver.EpochCount);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1000)]
    public void OutputLatency_OutsideTheInterval_IsRefused(int milliseconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new SimulatedGpsReceiver(Site, new ManualTimeProvider(), new SimulatedGpsOptions { OutputLatency = TimeSpan.FromMilliseconds(milliseconds) }));
    }
}
