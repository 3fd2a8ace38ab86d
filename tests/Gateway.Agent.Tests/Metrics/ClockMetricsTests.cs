using System.Buffers;
using System.Threading.Channels;
using Gateway.Agent.Metrics;
using Gateway.Devices.Pps;
using Gateway.Hardware.Gpio;
using Gateway.Hardware.Simulation.Gpio;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;
using Gateway.TestKit.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Agent.Tests.Metrics;

/// <summary>The clock's self-metrics: a <c>gateway</c> point with sensor <c>clock</c>, encoded as the agent encodes it.</summary>
public sealed class ClockMetricsTests : IDisposable
{
    private static readonly DateTimeOffset True = new(2026, 5, 4, 10, 20, 30, TimeSpan.Zero);

    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly Channel<Reading> _input = Channel.CreateUnbounded<Reading>();
    private readonly ClockDiscipline _clock;
    private readonly ClockGate _gate;
    private readonly SourceRegistry _registry = new();
    private readonly ReadingEncoder _encoder;
    private readonly SimulatedGpioChip _chip;
    private readonly CancellationTokenSource _stop = new();

    public ClockMetricsTests()
    {
        _clock = new ClockDiscipline(_time, new ClockDisciplineOptions { Sources = TimeSourcePolicy.Gps });
        _gate = new ClockGate(_input.Reader, _clock, new ClockGateOptions { MaxReadings = 3 }, _time);
        _registry.Register("clock", ClockMetrics.ClockSchema);
        _encoder = new ReadingEncoder(_registry, "gw-1", _clock);
        _chip = new SimulatedGpioChip("gpiochip0", 58, _time);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _chip.Dispose();
    }

    [Fact]
    public void WithoutPps_BeforeTheSync_SourceNone_HeldAndReleasedCounted_PpsFieldsLeftOut()
    {
        var metrics = new ClockMetrics(_clock, _gate, []);
        // Five readings before any sync, at most three held: the oldest two go out unsynced.
        for (var i = 0; i < 5; i++) _input.Writer.TryWrite(new Reading(new SourceId(1), _time.GetTimestamp(), default));
        while (_gate.TryRead(out _)) { }

        Assert.Equal("gateway,gateway=gw-1,sensor=clock,time_quality=unsynced clock_source=\"none\",clock_held=3i,clock_rebased=0i,clock_released_unsynced=2i",
            WithoutTimestamp(Encode(metrics.Sample())));
    }

    [Fact]
    public async Task WithPps_AfterTheSync_SourceGpsPps_EdgeCountsAndRebasedReadings()
    {
        var reader = new PpsEdgeReader("gps.pps", _chip, new PpsOptions(18, GpioEdge.Rising)) { EdgeSink = _clock.SynchronizeToPpsEdge };
        var metrics = new ClockMetrics(_clock, _gate, [reader], time: _time);
        var running = reader.RunAsync(_time, NullLogger.Instance, _stop.Token);
        await Until(() => _chip.IsRequested(18), running);
        _input.Writer.TryWrite(new Reading(new SourceId(1), _time.GetTimestamp(), default));
        Assert.False(_gate.TryRead(out _)); // held: no sync yet

        Pulse(); // before any fix: rejected
        await Until(() => reader.Statistics.EdgesRead == 1, running);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        _clock.Synchronize(True, _time.GetTimestamp(), ClockSource.Gps);
        _time.Advance(TimeSpan.FromMilliseconds(700));
        Pulse(); // the next second: used
        await Until(() => reader.Statistics.EdgesRead == 2, running);
        Assert.True(_gate.TryRead(out _)); // re-based with the sync's offset

        var line = WithoutTimestamp(Encode(metrics.Sample()));
        Assert.StartsWith("gateway,gateway=gw-1,sensor=clock clock_source=\"gps+pps\",pps_edges=2i,pps_used=1i,pps_rejected=1i,pps_overflowed=0i,clock_held=0i,clock_rebased=1i,clock_released_unsynced=0i,system_clock_offset=", line);
        // The system clock (the manual provider's UTC, one second after its start) against GPS time (True plus the
        // second since the fix): months apart, as a Pi that restarted behind would be. No chrony feed: no chrony_failed.
        var offset = double.Parse(line[(line.IndexOf("system_clock_offset=", StringComparison.Ordinal) + 20)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((True - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds, offset, 1.0);
    }

    [Fact]
    public void Source_IsTheClockSensorOfTheGatewayMeasurement()
    {
        var source = new ClockMetrics(_clock, _gate, []).Source(TimeSpan.FromSeconds(10));
        Assert.Equal(("clock", "gateway"), (source.Name, source.Schema.Measurement));
        // Its field names must not collide with the journal's point (sensor agent) in the same measurement.
        Assert.Empty(source.Schema.Fields.Select(f => f.Name).Intersect(GatewayMetricsSource.GatewaySchema.Fields.Select(f => f.Name)));
    }

    private string Encode(ReadingValues values)
    {
        var output = new ArrayBufferWriter<byte>();
        _encoder.Encode(new Reading(new SourceId(0), _time.GetTimestamp(), values), output);
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string WithoutTimestamp(string line) => line[..line.TrimEnd('\n').LastIndexOf(' ')];

    private void Pulse()
    {
        _chip.Drive(18, true);
        _chip.Drive(18, false);
    }

    private static async Task Until(Func<bool> condition, Task running)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (running.IsCompleted) await running;
            Assert.True(DateTime.UtcNow < deadline, "the condition never held");
            await Task.Delay(2);
        }
    }
}
