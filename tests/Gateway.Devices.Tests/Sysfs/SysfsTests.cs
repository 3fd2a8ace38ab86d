using Gateway.Devices.Sysfs;
using Gateway.Devices.Tests.Support;
using Gateway.Hardware.Simulation.OneWire;
using Gateway.TestKit.Io;
using Gateway.TestKit.Time;

namespace Gateway.Devices.Tests.Sysfs;

public sealed class SysfsTests : IDisposable
{
    private const string Device = "28-0316a2790aff";

    /// <summary>A real w1_slave from a DS18B20 at 23.125 °C (w1_therm output format).</summary>
    private const string Good = "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n";

    private readonly TempDirectory _root = new("sys");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void ThermalZone_ReadsMillidegrees()
    {
        Write("class/thermal/thermal_zone0/temp", "51540\n");
        Assert.Equal(51.54, new ThermalZone(_root.Path, 0).ReadCelsius());
    }

    [Theory]
    [InlineData("")]
    [InlineData("hot\n")]
    [InlineData("51.5\n")]
    public void ThermalZone_Garbage_ThrowsNamingThePath(string content)
    {
        Write("class/thermal/thermal_zone1/temp", content);
        var ex = Assert.Throws<IOException>(() => new ThermalZone(_root.Path, 1).ReadCelsius());
        Assert.Contains("thermal_zone1/temp", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThermalZone_Missing_SaysWhereToLook()
    {
        var ex = Assert.Throws<IOException>(() => new ThermalZone(_root.Path, 7).ReadCelsius());
        Assert.Contains("ls /sys/class/thermal/", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void W1_RealKernelOutput_Parses() => Assert.Equal(23.125, W1Thermometer.Parse(Good, "x"));

    [Theory]
    [InlineData(-10.0625)]
    [InlineData(0)]
    [InlineData(24.5)]
    [InlineData(84.9375)]
    public void W1_SimulatedTreeOutput_RoundTrips(double celsius) =>
        Assert.Equal(celsius, W1Thermometer.Parse(SimulatedW1Bus.W1Slave(celsius), "x"), 0.001); // t= is whole millidegrees

    public static TheoryData<string, string> BadW1 => new()
    {
        { "72 01 4b 46 7f ff 0e 10 57 : crc=57 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n", "CRC check failed" },
        { "72 01 4b 46 7f ff 0e 10 58 : crc=58 YES\n72 01 4b 46 7f ff 0e 10 58 t=23125\n", "CRC mismatch" },
        { "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n", "two lines" },
        { "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=99999\n", "does not match" },
        { "72 01 4b 46 7f ff 0e 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 57 t=23125\n", "9" },
        { "zz 01 4b 46 7f ff 0e 10 57 : crc=57 YES\nx t=1\n", "scratchpad byte" },
        { "garbage\nmore garbage\n", "no crc verdict" },
        { "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57\n", "no t= value" },
    };

    [Theory]
    [MemberData(nameof(BadW1))]
    public void W1_BadContent_IsRejectedWithTheReason(string content, string expected)
    {
        var ex = Assert.Throws<IOException>(() => W1Thermometer.Parse(content, "w1_slave"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void W1_PowerOn85Degrees_IsRejected()
    {
        var ex = Assert.Throws<IOException>(() => W1Thermometer.Parse(SimulatedW1Bus.W1Slave(85), "w1_slave"));
        Assert.Contains("85 °C power-on value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void W1_DeviceIdWithPath_IsRefused() => Assert.Throws<ArgumentException>(() => new W1Thermometer(_root.Path, "../../etc"));

    [Fact]
    public void Crc8_MaximAppNote27Example() =>
        // AN27's example ROM code 02 1C B8 01 00 00 00 has CRC A2.
        Assert.Equal(0xA2, W1Thermometer.Crc8([0x02, 0x1C, 0xB8, 0x01, 0x00, 0x00, 0x00]));

    [Fact]
    public async Task Ds18b20Source_SkipsAGlitchAndPostsGoodReadings()
    {
        var time = new ManualTimeProvider();
        Write($"bus/w1/devices/{Device}/w1_slave", SimulatedW1Bus.W1Slave(20, crcOk: false));
        var source = new Ds18b20Source("outside", new W1Thermometer(_root.Path, Device), TimeSpan.FromSeconds(10));
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(sink, time), cts.Token);
        await SourceRunner.WaitForAsync(() => source.BadReads >= 1, running);
        Write($"bus/w1/devices/{Device}/w1_slave", Good);
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromSeconds(5), () => sink.Count >= 1, running);
        await SourceRunner.StopAsync(cts, running);
        var v = sink.Snapshot()[0].Values;
        Assert.Equal(23.125, v[0]);
        Assert.True(double.IsNaN(v[1]) && double.IsNaN(v[2]));
    }

    [Fact]
    public async Task CpuTemperatureSource_PostsCpuReadings()
    {
        var time = new ManualTimeProvider();
        Write("class/thermal/thermal_zone0/temp", "47000\n");
        var source = new CpuTemperatureSource("soc", new ThermalZone(_root.Path, 0), TimeSpan.FromSeconds(10));
        var readings = await SourceRunner.CollectAsync(source, time, TimeSpan.FromSeconds(5), 2);
        Assert.Equal("cpu", source.Schema.Measurement);
        Assert.Equal(47.0, readings[0].Values[0]);
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
