using Gateway.Devices.Pps;
using Gateway.Devices.Tests.Support;
using Gateway.Hardware.Gpio;
using Gateway.Hardware.Simulation.Gpio;
using Gateway.Telemetry.Time;
using Gateway.TestKit.Time;
using Microsoft.Extensions.Logging;

namespace Gateway.Devices.Tests.Pps;

public sealed class PpsEdgeReaderTests : IDisposable
{
    private const int Line = 18;
    private static readonly DateTimeOffset True = new(2026, 5, 4, 10, 20, 30, TimeSpan.Zero);
    private static readonly TimeSpan NmeaLatency = TimeSpan.FromMilliseconds(350);

    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)); // hours off: fake-hwclock
    private readonly SimulatedGpioChip _chip;
    private readonly ClockDiscipline _clock;
    private readonly PpsEdgeReader _reader;
    private readonly Logger _log = new();
    private readonly CancellationTokenSource _stop = new();

    public PpsEdgeReaderTests()
    {
        _chip = new SimulatedGpioChip("gpiochip0", 58, _time);
        _clock = new ClockDiscipline(_time, new ClockDisciplineOptions { Sources = TimeSourcePolicy.Gps });
        _reader = new PpsEdgeReader("gps.pps", _chip, new PpsOptions(Line, GpioEdge.Rising)) { EdgeSink = _clock.SynchronizeToPpsEdge };
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _chip.Dispose();
    }

    [Fact]
    public async Task EdgeBeforeAnyFix_IsRejected_EdgeAfterTheFix_SetsTheClockToTheSecond()
    {
        var running = await StartAsync();
        long firstEdge = _time.GetTimestamp();
        await PulseAsync(expectRead: 1, running);
        Assert.Equal((1L, 0L, 1L), Counts());
        Assert.Equal(ClockSource.None, _clock.Source);

        // The fix for the second that edge started arrives 350 ms later; the next edge starts the next second.
        _time.Advance(NmeaLatency);
        _clock.Synchronize(True, _time.GetTimestamp(), ClockSource.Gps);
        _time.Advance(TimeSpan.FromSeconds(1) - NmeaLatency);
        await PulseAsync(expectRead: 2, running);

        Assert.Equal((2L, 1L, 1L), Counts());
        Assert.Equal(ClockSource.GpsPps, _clock.Source);
        // The edge's instant converts to the whole second it started, not to the fix's late arrival.
        Assert.Equal(True.AddSeconds(1).ToUnixTimeMilliseconds(), _clock.ToUnixMilliseconds(firstEdge + TimeSpan.TicksPerSecond));
    }

    [Fact]
    public async Task EdgeMoreThanTwoSecondsFromTheLastFix_IsRejected()
    {
        var running = await StartAsync();
        _clock.Synchronize(True, _time.GetTimestamp(), ClockSource.Gps);
        _time.Advance(TimeSpan.FromSeconds(3)); // the receiver lost its fix: the fix no longer says which second this is
        await PulseAsync(expectRead: 1, running);
        Assert.Equal((1L, 0L, 1L), Counts());
        Assert.Equal(ClockSource.Gps, _clock.Source);
    }

    [Fact]
    public async Task WithoutASink_EdgesAreReadAndCountedRejected()
    {
        var reader = new PpsEdgeReader("gps.pps", _chip, new PpsOptions(Line, GpioEdge.Rising));
        var running = reader.RunAsync(_time, _log, _stop.Token);
        await SourceRunner.WaitForAsync(() => _chip.IsRequested(Line), running);
        Pulse();
        await SourceRunner.WaitForAsync(() => reader.Statistics.EdgesRead == 1, running);
        Assert.Equal((0L, 1L), (reader.Statistics.EdgesUsed, reader.Statistics.EdgesRejected));
    }

    [Fact]
    public async Task FallingEdgeConfigured_OnlyFallingEdgesCount()
    {
        var reader = new PpsEdgeReader("gps.pps", _chip, new PpsOptions(Line, GpioEdge.Falling));
        var running = reader.RunAsync(_time, _log, _stop.Token);
        await SourceRunner.WaitForAsync(() => _chip.IsRequested(Line), running);
        _chip.Drive(Line, true);
        _chip.Drive(Line, false);
        _chip.Drive(Line, true);
        await SourceRunner.WaitForAsync(() => reader.Statistics.EdgesRead == 1, running);
        await Task.Delay(50);
        Assert.Equal(1, reader.Statistics.EdgesRead);
    }

    [Fact]
    public async Task ReaderFallsBehind_LostEdgesAreCountedAsOverflowed_AndStayCountedAfterStop()
    {
        using var entered = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        var reader = new PpsEdgeReader("gps.pps", _chip, new PpsOptions(Line, GpioEdge.Rising))
        {
            EdgeSink = _ =>
            {
                entered.Release();
                release.Wait(TimeSpan.FromSeconds(30)); // a reader stuck elsewhere while edges keep coming
                return true;
            },
        };
        var running = reader.RunAsync(_time, _log, _stop.Token);
        await SourceRunner.WaitForAsync(() => _chip.IsRequested(Line), running);
        Pulse();
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(10)));

        // 40 more edges while the first is still being handled: the queue keeps 16 (the kernel's default per line).
        for (var i = 0; i < 40; i++) Pulse();
        Assert.Equal(24, reader.Statistics.EdgesOverflowed);

        release.Set();
        await SourceRunner.WaitForAsync(() => reader.Statistics.EdgesRead == 17, running);
        await SourceRunner.StopAsync(_stop, running);
        Assert.Equal((17L, 17L, 24L), (reader.Statistics.EdgesRead, reader.Statistics.EdgesUsed, reader.Statistics.EdgesOverflowed));
        Assert.False(_chip.IsRequested(Line));
    }

    [Fact]
    public async Task ChipUnplugged_RunEndsWithAnIOExceptionNamingTheLine_AndTheLineIsReleased()
    {
        var running = await StartAsync();
        _chip.Unplug();
        var error = await Assert.ThrowsAsync<IOException>(() => running);
        Assert.Contains("gpiochip0 line 18", error.Message, StringComparison.Ordinal);
        Assert.False(_chip.IsRequested(Line));

        // Until it is back, a restart fails at once, saying why.
        error = await Assert.ThrowsAsync<IOException>(() => _reader.RunAsync(_time, _log, _stop.Token));
        Assert.Contains("ENODEV", error.Message, StringComparison.Ordinal);
        _chip.PlugIn();
        running = await StartAsync();
        await PulseAsync(expectRead: 1, running);
    }

    [Fact]
    public async Task LineTakenByAnotherConsumer_FailsWithEbusy()
    {
        using var other = _chip.RequestLines(new GpioRequestOptions([Line], GpioDirection.Input, "pps-gpio"));
        var error = await Assert.ThrowsAsync<IOException>(() => _reader.RunAsync(_time, _log, _stop.Token));
        Assert.Contains("EBUSY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentLine_IsReportedOnce_AndItsReturnToo()
    {
        var running = await StartAsync();
        await SourceRunner.AdvanceUntilAsync(_time, TimeSpan.FromSeconds(1), () => _log.Count(5211) == 1, running);
        _time.Advance(TimeSpan.FromSeconds(65)); // two more silence periods: still one warning
        await Task.Delay(20);
        Assert.Equal(1, _log.Count(5211));
        await PulseAsync(expectRead: 1, running);
        await SourceRunner.WaitForAsync(() => _log.Count(5212) == 1, running);
    }

    [Fact]
    public void BothEdges_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new PpsEdgeReader("gps.pps", _chip, new PpsOptions(Line, GpioEdge.Both)));
        Assert.Contains("Rising or Falling", error.Message, StringComparison.Ordinal);
    }

    private async Task<Task> StartAsync()
    {
        var running = _reader.RunAsync(_time, _log, _stop.Token);
        await SourceRunner.WaitForAsync(() => _chip.IsRequested(Line), running);
        return running;
    }

    private (long Read, long Used, long Rejected) Counts() =>
        (_reader.Statistics.EdgesRead, _reader.Statistics.EdgesUsed, _reader.Statistics.EdgesRejected);

    private void Pulse()
    {
        _chip.Drive(Line, true);
        _chip.Drive(Line, false);
    }

    private async Task PulseAsync(long expectRead, Task running)
    {
        Pulse();
        await SourceRunner.WaitForAsync(() => _reader.Statistics.EdgesRead == expectRead, running);
    }

    /// <summary>Counts log entries by event id.</summary>
    private sealed class Logger : ILogger
    {
        private readonly List<int> _events = [];

        public int Count(int eventId)
        {
            lock (_events) return _events.Count(e => e == eventId);
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_events) _events.Add(eventId.Id);
        }
    }
}
