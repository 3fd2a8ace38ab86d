using Gateway.Devices.DigitalInputs;
using Gateway.Devices.Tests.Support;
using Gateway.Hardware.Gpio;
using Gateway.Hardware.Simulation.Gpio;
using Gateway.TestKit.Time;

namespace Gateway.Devices.Tests.DigitalInputs;

public sealed class DigitalInputSourceTests : IDisposable
{
    private const int Line = 22;
    private readonly ManualTimeProvider _time = new();
    private readonly SimulatedGpioChip _chip;
    private readonly RecordingSink _sink = new();
    private readonly List<InputChanged> _changes = [];
    private readonly CancellationTokenSource _stop = new();

    public DigitalInputSourceTests() => _chip = new SimulatedGpioChip("gpiochip0", 58, _time);

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _chip.Dispose();
    }

    [Fact]
    public async Task DoorOpensWithBounce_PostsOneChangeAndOneAlarmEvent()
    {
        _chip.Drive(Line, false); // closed contact pulls the line to ground
        var running = Start(new DigitalInputOptions(Line, false, GpioBias.PullUp, TimeSpan.FromMilliseconds(20), true, "door"));
        await SourceRunner.AdvanceUntilAsync(_time, TimeSpan.FromMilliseconds(1), () => _sink.Count >= 1, running);

        // Contact bounce: five transitions within 3 ms, settling open.
        foreach (var level in new[] { true, false, true, false, true })
        {
            _chip.Drive(Line, level);
            _time.Advance(TimeSpan.FromMilliseconds(0.6));
        }
        await SourceRunner.AdvanceUntilAsync(_time, TimeSpan.FromMilliseconds(5), () => _sink.Count >= 2, running);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await Task.Delay(20);

        var readings = _sink.Snapshot();
        Assert.Equal(2, readings.Count);
        Assert.Equal((0.0, 1.0), (readings[0].Values[0], readings[0].Values[1])); // closed, alarm input
        Assert.Equal(1.0, readings[1].Values[0]);
        var change = Assert.Single(_changes);
        Assert.Equal(("door", "door", true), (change.Input, change.Kind, change.State));
    }

    [Fact]
    public async Task GlitchShorterThanDebounce_IsNotAChange()
    {
        _chip.Drive(Line, false);
        var running = Start(new DigitalInputOptions(Line, false, GpioBias.PullUp, TimeSpan.FromMilliseconds(20), true, "tamper"));
        await SourceRunner.AdvanceUntilAsync(_time, TimeSpan.FromMilliseconds(1), () => _sink.Count >= 1, running);
        _chip.Drive(Line, true);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        _chip.Drive(Line, false);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        // A real opening after the glitch. Edges are read in order, so once its reading is there the glitch's edges
        // have been handled too: absence is shown by what came after, not by waiting a while of real time.
        var opened = _time.GetTimestamp();
        _chip.Drive(Line, true);
        await SourceRunner.AdvanceUntilAsync(_time, TimeSpan.FromMilliseconds(1), () => _sink.Snapshot().Any(r => r.MonotonicTimestamp >= opened), running);

        var readings = _sink.Snapshot();
        Assert.Equal([0.0, 1.0], readings.Select(r => r.Values[0]));
        var change = Assert.Single(_changes);
        Assert.True(change.State);
    }

    [Fact]
    public async Task ActiveLow_InvertsTheState_AndNonAlarmInputsRaiseNoEvent()
    {
        _chip.Drive(Line, true);
        var running = Start(new DigitalInputOptions(Line, ActiveLow: true, GpioBias.PullUp, TimeSpan.Zero, Alarm: false, "input"));
        await SourceRunner.AdvanceUntilAsync(_time, TimeSpan.FromMilliseconds(1), () => _sink.Count >= 1, running);
        Assert.Equal((0.0, 0.0), (_sink.Snapshot()[0].Values[0], _sink.Snapshot()[0].Values[1]));
        _chip.Drive(Line, false);
        await SourceRunner.AdvanceUntilAsync(_time, TimeSpan.FromMilliseconds(1), () => _sink.Count >= 2, running);
        Assert.Equal(1.0, _sink.Snapshot()[1].Values[0]);
        Assert.Empty(_changes);
    }

    [Fact]
    public async Task LineHeldByAnotherConsumer_FailsTheSourceWithEbusy()
    {
        using var other = _chip.RequestLines(new GpioRequestOptions([Line], GpioDirection.Input, "someone"));
        var running = Start(new DigitalInputOptions(Line, false, GpioBias.PullUp, TimeSpan.Zero, false, "input"));
        var ex = await Assert.ThrowsAsync<IOException>(() => running);
        Assert.Contains("EBUSY", ex.Message, StringComparison.Ordinal);
    }

    private Task Start(DigitalInputOptions options)
    {
        var source = new DigitalInputSource("door", _chip, options);
        source.Changed += c => { lock (_changes) _changes.Add(c); };
        return Task.Run(() => source.RunAsync(SourceRunner.Context(_sink, _time), _stop.Token));
    }
}
