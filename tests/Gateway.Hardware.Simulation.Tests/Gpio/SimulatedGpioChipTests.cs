using Gateway.Hardware.Gpio;
using Gateway.Hardware.Simulation.Gpio;
using Gateway.TestKit.Time;

namespace Gateway.Hardware.Simulation.Tests.Gpio;

public sealed class SimulatedGpioChipTests
{
    [Fact]
    public void SecondRequestForALine_FailsWithEbusy_UntilTheFirstIsDisposed()
    {
        using var chip = new SimulatedGpioChip("gpiochip0", 58, TimeProvider.System);
        var first = chip.RequestLines(new GpioRequestOptions([5], GpioDirection.Input, "a"));
        var ex = Assert.Throws<IOException>(() => chip.RequestLines(new GpioRequestOptions([5, 6], GpioDirection.Input, "b")));
        Assert.Contains("EBUSY", ex.Message, StringComparison.Ordinal);
        first.Dispose();
        using var again = chip.RequestLines(new GpioRequestOptions([5], GpioDirection.Input, "b"));
    }

    [Fact]
    public void Request_LineBeyondTheChip_NamesTheRange()
    {
        using var chip = new SimulatedGpioChip("gpiochip0", 58, TimeProvider.System);
        var ex = Assert.Throws<IOException>(() => chip.RequestLines(new GpioRequestOptions([58], GpioDirection.Input, "a")));
        Assert.Contains("lines 0..57", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UndrivenInput_FollowsItsBias_AndActiveLowInverts()
    {
        using var chip = new SimulatedGpioChip("gpiochip0", 58, TimeProvider.System);
        using var up = chip.RequestLines(new GpioRequestOptions([1], GpioDirection.Input, "a") { Bias = GpioBias.PullUp });
        using var upLow = chip.RequestLines(new GpioRequestOptions([2], GpioDirection.Input, "b") { Bias = GpioBias.PullUp, ActiveLow = true });
        Assert.True(up.GetValue(1));
        Assert.False(upLow.GetValue(2));
    }

    [Fact]
    public void Output_SetValue_DrivesTheLevelAndTellsObservers()
    {
        using var chip = new SimulatedGpioChip("gpiochip0", 58, TimeProvider.System);
        var seen = new List<(int, bool)>();
        chip.OutputChanged += (o, l) => seen.Add((o, l));
        using var reset = chip.RequestLines(new GpioRequestOptions([17], GpioDirection.Output, "r") { InitialValues = [true] });
        Assert.True(chip.GetLevel(17));
        reset.SetValue(17, false);
        reset.SetValue(17, true);
        Assert.Equal([(17, false), (17, true)], seen);
        using var input = chip.RequestLines(new GpioRequestOptions([18], GpioDirection.Input, "i"));
        Assert.Throws<IOException>(() => input.SetValue(18, true));
    }

    [Fact]
    public async Task Debounce_ReportsOnlyALevelThatOutlivesThePeriod_WithItsTime()
    {
        var time = new ManualTimeProvider();
        using var chip = new SimulatedGpioChip("gpiochip0", 58, time);
        chip.Drive(3, false);
        using var request = chip.RequestLines(new GpioRequestOptions([3], GpioDirection.Input, "d") { Edges = GpioEdge.Both, Debounce = TimeSpan.FromMilliseconds(10) });
        chip.Drive(3, true);
        time.Advance(TimeSpan.FromMilliseconds(4));
        chip.Drive(3, false); // bounce back within the period: restarts it
        time.Advance(TimeSpan.FromMilliseconds(4));
        chip.Drive(3, true);
        time.Advance(TimeSpan.FromMilliseconds(10));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var edge = await request.ReadEdgeAsync(cts.Token);
        Assert.Equal(GpioEdge.Rising, edge.Edge);
        Assert.Equal(TimeSpan.FromMilliseconds(18).Ticks, edge.Timestamp);
        Assert.Equal(1u, edge.LineSequence);
        time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.False(request.ReadEdgeAsync(new CancellationToken(true)).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Edges_OnlyTheRequestedDirection()
    {
        using var chip = new SimulatedGpioChip("gpiochip0", 58, TimeProvider.System);
        using var request = chip.RequestLines(new GpioRequestOptions([4], GpioDirection.Input, "dio0") { Edges = GpioEdge.Rising });
        chip.Drive(4, true);
        chip.Drive(4, false);
        chip.Drive(4, true);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(GpioEdge.Rising, (await request.ReadEdgeAsync(cts.Token)).Edge);
        Assert.Equal(GpioEdge.Rising, (await request.ReadEdgeAsync(cts.Token)).Edge);
    }
    [Fact]
    public async Task Drive_WithATimestamp_StampsTheEdgeWithIt()
    {
        var time = new ManualTimeProvider();
        using var chip = new SimulatedGpioChip("gpiochip0", 58, time);
        using var request = chip.RequestLines(new GpioRequestOptions([18], GpioDirection.Input, "a") { Edges = GpioEdge.Rising });
        time.Advance(TimeSpan.FromSeconds(5));
        chip.Drive(18, true, 4 * TimeSpan.TicksPerSecond); // the edge happened a second before the model got to it
        var edge = await request.ReadEdgeAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4 * TimeSpan.TicksPerSecond, edge.Timestamp);
    }

    [Fact]
    public async Task Unplug_EndsOpenEventStreams_AndRefusesRequestsUntilPluggedIn()
    {
        using var chip = new SimulatedGpioChip("gpiochip0", 58, TimeProvider.System);
        var request = chip.RequestLines(new GpioRequestOptions([18], GpioDirection.Input, "a") { Edges = GpioEdge.Both });
        chip.Drive(18, true);
        chip.Unplug();
        // What was queued is still read; then the stream ends.
        Assert.Equal(GpioEdge.Rising, (await request.ReadEdgeAsync(CancellationToken.None)).Edge);
        await Assert.ThrowsAsync<System.Threading.Channels.ChannelClosedException>(async () => await request.ReadEdgeAsync(CancellationToken.None));
        request.Dispose();
        var ex = Assert.Throws<IOException>(() => chip.RequestLines(new GpioRequestOptions([18], GpioDirection.Input, "a")));
        Assert.Contains("ENODEV", ex.Message, StringComparison.Ordinal);
        chip.PlugIn();
        using var again = chip.RequestLines(new GpioRequestOptions([18], GpioDirection.Input, "a"));
    }
}
