using Gateway.Devices.Sysfs;
using Gateway.Devices.Tests.Support;
using Gateway.Hardware.OneWire;
using Gateway.Hardware.Simulation.OneWire;
using Gateway.TestKit.Io;
using Gateway.TestKit.Time;

namespace Gateway.Devices.Tests.Sysfs;

/// <summary>
/// The DS18B20 read waits for its conversion on the caller's clock (the simulated w1_therm bus), so a manual clock
/// shows that the call returns at once, that nothing arrives before the conversion time and that the reading arrives
/// when it has passed.
/// </summary>
public sealed class W1ThermometerTests : IDisposable
{
    private const string Device = "28-0316a2790aff";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan OneMs = TimeSpan.FromMilliseconds(1);

    private readonly ManualTimeProvider _time = new();
    private readonly TempDirectory _root = new("sys");

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData(true, 12, 750)]
    [InlineData(true, 9, 93.75)]
    [InlineData(false, 12, 750)]
    public async Task Read_ArrivesAfterTheConversionTime_WithoutHoldingAThread(bool bulkRead, int bits, double conversionMs)
    {
        var bus = new SimulatedW1Bus(_time, bulkRead);
        bus.Add(Device, () => 21.5);
        bus.SetResolution(Device, bits);
        var read = await StartReadAsync(new W1Thermometer(bus, Device));
        _time.Advance(TimeSpan.FromMilliseconds(conversionMs) - OneMs);
        await Task.Delay(10);
        Assert.False(read.IsCompleted, "the reading came before the conversion time had passed");
        _time.Advance(OneMs);
        Assert.Equal(21.5, await read.WaitAsync(Bound));
        Assert.Equal(1, bus.Conversions); // the w1_slave read after the bulk trigger did not convert again
    }

    [Fact]
    public async Task Read_WhileAnotherBulkConversionRuns_WaitsConversionTimesOnTheClock()
    {
        var bus = new BusyBus(busyReads: 2);
        var read = await StartReadAsync(new W1Thermometer(bus, Device));
        _time.Advance(BusyBus.Conversion - OneMs);
        await Task.Delay(10);
        Assert.False(read.IsCompleted);
        _time.Advance(OneMs);
        await SourceRunner.WaitForAsync(() => bus.StateReads == 2, read);
        Assert.False(read.IsCompleted);
        _time.Advance(BusyBus.Conversion);
        Assert.Equal(23.125, await read.WaitAsync(Bound));
    }

    public static TheoryData<W1Fault, string> Faults => new()
    {
        { W1Fault.Crc, "CRC check failed" },
        { W1Fault.PowerOnValue, "85 °C power-on value" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Read_BadConversion_ThrowsSayingWhy(W1Fault fault, string expected)
    {
        var bus = new SimulatedW1Bus(_time);
        bus.Add(Device, () => 20);
        bus.Inject(Device, fault);
        var read = await StartReadAsync(new W1Thermometer(bus, Device));
        _time.Advance(TimeSpan.FromMilliseconds(750));
        var ex = await Assert.ThrowsAsync<IOException>(() => read.WaitAsync(Bound));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Unplugged_SaysHowToFindTheDevice()
    {
        var bus = new SimulatedW1Bus(_time);
        var ex = await Assert.ThrowsAsync<IOException>(() => new W1Thermometer(bus, Device).ReadCelsiusAsync(_time, default).AsTask());
        Assert.Contains("ls /sys/bus/w1/devices/", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ds18b20Source_OnTheBulkReadBus_CountsABadConversionAndPostsTheNext()
    {
        var bus = new SimulatedW1Bus(_time);
        bus.Add(Device, () => 19.25);
        bus.Inject(Device, W1Fault.Crc);
        var source = new Ds18b20Source("outside", new W1Thermometer(bus, Device), TimeSpan.FromSeconds(10));
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(sink, _time), cts.Token);
        await SourceRunner.AdvanceUntilAsync(_time, TimeSpan.FromMilliseconds(250), () => sink.Count >= 1, running);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(1, source.BadReads);
        Assert.Equal(19.25, sink.Snapshot()[0].Values[0]);
    }

    [Fact]
    public async Task SysfsBus_FindsTheMastersBulkRead_AndTriggersWithTheExactCommand()
    {
        var master = Path.Combine(_root.Path, "devices", "w1_bus_master1");
        Directory.CreateDirectory(Path.Combine(master, Device));
        Directory.CreateDirectory(Path.Combine(_root.Path, "bus", "w1", "devices"));
        Directory.CreateSymbolicLink(Path.Combine(_root.Path, "bus", "w1", "devices", Device), Path.Combine("..", "..", "..", "devices", "w1_bus_master1", Device));
        File.WriteAllText(Path.Combine(master, "therm_bulk_read"), "-1\n");
        File.WriteAllText(Path.Combine(master, Device, "resolution"), "10\n");
        var bus = new SysfsW1Bus(_root.Path);
        Assert.True(bus.HasBulkRead(Device));
        Assert.Equal(-1, bus.ReadBulkState(Device));
        Assert.Equal(TimeSpan.FromMilliseconds(187.5), bus.ConversionTime(Device));
        File.WriteAllText(Path.Combine(master, Device, "conv_time"), "480\n"); // the kernel's own figure wins
        Assert.Equal(TimeSpan.FromMilliseconds(480), bus.ConversionTime(Device));
        await bus.TriggerBulkReadAsync(Device, default);
        // therm_bulk_read_store ignores anything but sizeof("trigger") bytes: the word and its newline.
        Assert.Equal("trigger\n", await File.ReadAllTextAsync(Path.Combine(master, "therm_bulk_read")));
    }

    [Fact]
    public void SysfsBus_DeviceNotUnderAMaster_HasNoBulkRead()
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "bus", "w1", "devices", Device));
        Assert.False(new SysfsW1Bus(_root.Path).HasBulkRead(Device));
    }

    /// <summary>Starts a read from another thread and returns its task once the call has returned: a call that slept would never return.</summary>
    private async Task<Task<double>> StartReadAsync(W1Thermometer thermometer)
    {
        Task<double>? read = null;
        await Task.Run(() => { read = thermometer.ReadCelsiusAsync(_time, CancellationToken.None).AsTask(); }).WaitAsync(Bound);
        Assert.False(read!.IsCompleted, "the read completed without waiting for a conversion");
        return read;
    }

    /// <summary>A bus where someone else's bulk conversion is still running for a number of state reads after ours.</summary>
    private sealed class BusyBus(int busyReads) : W1Bus
    {
        public static readonly TimeSpan Conversion = TimeSpan.FromMilliseconds(750);
        private int _stateReads;

        public int StateReads => Volatile.Read(ref _stateReads);

        public override string SlavePath(string deviceId) => "w1_slave";

        public override bool Exists(string deviceId) => true;

        public override bool HasBulkRead(string deviceId) => true;

        public override ValueTask TriggerBulkReadAsync(string deviceId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public override int ReadBulkState(string deviceId) => Interlocked.Increment(ref _stateReads) <= busyReads ? -1 : 1;

        public override TimeSpan ConversionTime(string deviceId) => Conversion;

        public override ValueTask<string> ReadSlaveAsync(string deviceId, CancellationToken cancellationToken) =>
            ValueTask.FromResult("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");
    }
}
