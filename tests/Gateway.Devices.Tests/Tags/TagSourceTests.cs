using Gateway.Devices.Sx1276;
using Gateway.Devices.Tags;
using Gateway.Devices.Tests.Support;
using Gateway.Hardware.Simulation.Gpio;
using Gateway.Hardware.Simulation.Spi;
using Gateway.Hardware.Simulation.Sx1276;
using Gateway.Hardware.Simulation.Tags;
using Gateway.Hardware.Spi;
using Gateway.TestKit.Io;

namespace Gateway.Devices.Tests.Tags;

/// <summary>The whole receive path over the register models: SX1276 model → driver → authenticator → tag readings.</summary>
public sealed class TagSourceTests : IDisposable
{
    private static readonly LoraRegionPlan Plan = LoraRegionPlan.LoadBuiltIn("eu868");
    private static readonly SimulatedLoraChannel Channel = new(Plan.FrequencyHz, Plan.SpreadingFactor, 125000, Plan.SyncWord);
    private readonly byte[] _key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");
    private readonly TempDirectory _dir = new("tagsource");
    private readonly SimulatedGpioChip _chip = new("gpiochip0", 58, TimeProvider.System);
    private readonly Sx1276Model _model;
    private readonly SimulatedSpiDevice _spi;
    private readonly TagAuthenticator _authenticator;
    private readonly TagSource _source;
    private readonly RecordingSink _sink = new();
    private readonly List<TagSeen> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public TagSourceTests()
    {
        var keys = TagKeyStore.Load(TagKeyStore.DefaultPath(_dir.Path));
        keys.Add(0xA5000001, _key, DateTimeOffset.UnixEpoch);
        keys.Save();
        _model = new Sx1276Model(_chip, 17, 4);
        _spi = new SimulatedSpiDevice(new SpiConnectionSettings(0, 0), _model);
        _authenticator = new TagAuthenticator(TagKeyStore.DefaultPath(_dir.Path), FrameCounterStore.Load(FrameCounterStore.DefaultPath(_dir.Path)));
        _source = new TagSource("lora", _spi, new LoraLines(_chip, 17, 4), Plan, _authenticator, TimeSpan.FromMilliseconds(150));
        _source.TagSeen += s => { lock (_seen) _seen.Add(s); };
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _running?.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
        _stop.Dispose();
        _authenticator.Dispose();
        _spi.Dispose();
        _chip.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Frames_BecomeTagReadingsWithSubjectRssiAndFlags()
    {
        await StartAsync();
        Send(1, SimulatedTagFrame.FlagMoving | SimulatedTagFrame.FlagAlarm, 8.4851, -13.2301, rssi: -95);
        await ConsumedAsync();
        Send(2, SimulatedTagFrame.FlagLowBattery, null, null, rssi: -101);
        await SourceRunner.WaitForAsync(() => _sink.Count >= 2, _running!);

        var readings = _sink.Snapshot();
        Assert.All(readings, r => Assert.Equal(0xA5000001UL, r.Subject));
        var v = readings[0].Values;
        Assert.Equal(8.4851, v[0], 6);
        Assert.Equal(-13.2301, v[1], 6);
        Assert.Equal(3300, v[2]);
        Assert.Equal((1, 1, 0), (v[3], v[4], v[5]));
        Assert.Equal(-95, v[6], 1.1);
        Assert.Equal(1, v[8]);
        var second = readings[1].Values;
        Assert.True(double.IsNaN(second[0]) && double.IsNaN(second[1]));
        Assert.Equal((0, 0, 1), (second[3], second[4], second[5]));
        lock (_seen) Assert.Single(_seen);
    }

    [Fact]
    public async Task ReplayedUnknownAndCorruptFrames_AreDroppedAndCounted()
    {
        await StartAsync();
        var frame = Send(5, 0, null, null);
        await ConsumedAsync();
        _model.Receive(frame, Channel, -90, 5);                                                   // replay
        await ConsumedAsync();
        _model.Receive(SimulatedTagFrame.Encode(_key, 0xBEEF, 1, 0, 3000, null, null), Channel, -90, 5); // unknown tag
        await ConsumedAsync();
        _model.Receive(frame, Channel, -90, 5, crcError: true);                                   // corrupted on air
        await ConsumedAsync();
        Send(6, 0, null, null);
        await SourceRunner.WaitForAsync(() => _sink.Count >= 2 && _source.Tags.Received >= 4, _running!);
        Assert.Equal(2, _source.Tags.Accepted);
        Assert.Equal(1, _source.Tags.Replayed);
        Assert.Equal(1, _source.Tags.UnknownTag);
        Assert.Equal(1, _source.Radio.CrcErrors);
    }

    [Fact]
    public async Task ChipThatBrownsOut_IsResetByTheHealthCheckAndReceivesAgain()
    {
        await StartAsync();
        _model.BrownOut();
        await SourceRunner.WaitForAsync(() => _source.Radio.Resets >= 1, _running!);
        await SourceRunner.WaitForAsync(() => Peek(0x01) == 0x85, _running!);
        Send(1, 0, null, null);
        await SourceRunner.WaitForAsync(() => _sink.Count >= 1, _running!);
    }

    private byte Peek(byte register) => _model.Peek(register);

    /// <summary>One packet at a time, as on air: the next would overwrite the chip's packet registers (§4.1.6).</summary>
    private Task ConsumedAsync() => SourceRunner.WaitForAsync(() => !_chip.GetLevel(4), _running!);

    private async Task StartAsync()
    {
        _running = Task.Run(() => _source.RunAsync(SourceRunner.Context(_sink, TimeProvider.System), _stop.Token));
        // Listening once the chip is in LoRa continuous receive.
        await SourceRunner.WaitForAsync(() => Peek(0x01) == 0x85, _running);
    }

    private byte[] Send(uint counter, byte flags, double? lat, double? lon, double rssi = -90)
    {
        var frame = SimulatedTagFrame.Encode(_key, 0xA5000001, counter, flags, 3300, lat, lon);
        Assert.True(_model.Receive(frame, Channel, rssi, 5));
        return frame;
    }
}
