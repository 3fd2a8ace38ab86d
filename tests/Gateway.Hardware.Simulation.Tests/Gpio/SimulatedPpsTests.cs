using Gateway.Hardware.Gpio;
using Gateway.Hardware.Simulation.Gpio;
using Gateway.TestKit.Time;

namespace Gateway.Hardware.Simulation.Tests.Gpio;

public sealed class SimulatedPpsTests : IDisposable
{
    private const int Line = 18;
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 5, 4, 10, 20, 30, TimeSpan.Zero).AddMilliseconds(400));
    private readonly SimulatedGpioChip _chip;
    private readonly GpioLineRequest _request;

    public SimulatedPpsTests()
    {
        _chip = new SimulatedGpioChip("gpiochip0", 58, _time);
        _request = _chip.RequestLines(new GpioRequestOptions([Line], GpioDirection.Input, "test") { Edges = GpioEdge.Both });
    }

    public void Dispose()
    {
        _request.Dispose();
        _chip.Dispose();
    }

    [Fact]
    public async Task StartedMidSecond_RisesAtEachWholeSecond_For100Ms_StampedAtTheSecond()
    {
        using var pps = new SimulatedPps(_chip, Line, _time);
        long start = _time.GetTimestamp();
        pps.Start();
        _time.Advance(TimeSpan.FromMilliseconds(599));
        Assert.False(_chip.GetLevel(Line));
        _time.Advance(TimeSpan.FromSeconds(2) + TimeSpan.FromMilliseconds(1)); // to 10:20:33.000

        var edges = await ReadAsync(5);
        var ms = TimeSpan.TicksPerMillisecond;
        Assert.Equal(
            [(GpioEdge.Rising, 600 * ms), (GpioEdge.Falling, 700 * ms), (GpioEdge.Rising, 1600 * ms), (GpioEdge.Falling, 1700 * ms), (GpioEdge.Rising, 2600 * ms)],
            edges.Select(e => (e.Edge, e.Timestamp - start)));
        Assert.Equal(3, pps.Pulses);
        Assert.True(_chip.GetLevel(Line));
    }

    [Fact]
    public async Task StartedOnAWholeSecond_PulsesThatSecond()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 5, 4, 10, 20, 30, TimeSpan.Zero));
        using var chip = new SimulatedGpioChip("gpiochip0", 58, time);
        using var request = chip.RequestLines(new GpioRequestOptions([Line], GpioDirection.Input, "test") { Edges = GpioEdge.Rising });
        using var pps = new SimulatedPps(chip, Line, time);
        pps.Start();
        time.Advance(TimeSpan.Zero);
        var edge = await request.ReadEdgeAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, edge.Timestamp);
    }

    [Fact]
    public async Task Inverted_SecondStartsWithAFallingEdge()
    {
        using var chip = new SimulatedGpioChip("gpiochip0", 58, _time);
        using var pps = new SimulatedPps(chip, Line, _time, inverted: true);
        Assert.True(chip.GetLevel(Line)); // idle high
        using var request = chip.RequestLines(new GpioRequestOptions([Line], GpioDirection.Input, "test") { Edges = GpioEdge.Both });
        pps.Start();
        _time.Advance(TimeSpan.FromMilliseconds(700));
        var first = await request.ReadEdgeAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var second = await request.ReadEdgeAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((GpioEdge.Falling, GpioEdge.Rising), (first.Edge, second.Edge));
    }

    [Fact]
    public async Task StopMidPulse_LeavesTheLineIdle_AndStartResumesAtTheNextSecond()
    {
        using var pps = new SimulatedPps(_chip, Line, _time);
        pps.Start();
        _time.Advance(TimeSpan.FromMilliseconds(650)); // 31.050: high
        Assert.True(_chip.GetLevel(Line));
        pps.Stop();
        Assert.False(_chip.GetLevel(Line));
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(1, pps.Pulses);

        pps.Start();
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, pps.Pulses);
        var edges = await ReadAsync(3);
        Assert.Equal(GpioEdge.Rising, edges[2].Edge);
        Assert.Equal(4 * TimeSpan.TicksPerSecond, edges[2].Timestamp - edges[0].Timestamp); // 31.000 -> 35.000
    }

    private async Task<List<GpioEdgeEvent>> ReadAsync(int count)
    {
        var edges = new List<GpioEdgeEvent>();
        while (edges.Count < count) edges.Add(await _request.ReadEdgeAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        return edges;
    }
}
