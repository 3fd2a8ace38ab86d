using System.Diagnostics;
using Gateway.Devices.Bme280;
using Gateway.Devices.Ina219;
using Gateway.Devices.Pacing;
using Gateway.Devices.Sysfs;
using Gateway.Devices.Tests.Support;
using Gateway.Hardware.Simulation.Bme280;
using Gateway.Hardware.Simulation.I2c;
using Gateway.Hardware.Simulation.Ina219;
using Gateway.TestKit.Io;
using Gateway.TestKit.Time;
using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Tests.Pacing;

/// <summary>
/// set-rate on each polled sensor, running over its register model or a fake /sys and a <see cref="ManualTimeProvider"/>.
/// Time jumps to just before each expected sample and then steps 10 ms at a time until the reading arrives, so a
/// capture time is exact or a few steps late on a loaded machine: the windows below allow seconds, while the old and
/// the new schedule differ by tens of seconds.
/// </summary>
public sealed class AdjustableSourceTests : IDisposable
{
    private const string W1Device = "28-0316a2790aff";
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    private static readonly double Late = 5; // seconds a capture may trail its tick on a busy machine

    private readonly ManualTimeProvider _time = new();
    private readonly RecordingSink _sink = new();
    private readonly TempDirectory _sys = new("sys");

    public void Dispose() => _sys.Dispose();

    public static TheoryData<string> Kinds => ["bme280", "ina219", "cpu-temperature", "ds18b20"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SetRate_NextSampleComesAtTheNewInterval(string kind)
    {
        var source = Create(kind, TimeSpan.FromSeconds(60));
        var rate = (IRateAdjustable)source;
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(_sink, _time), cts.Token);
        await StepUntilAsync(1, running);

        JumpTo(20);
        Assert.True(rate.TrySetRate(1 / 30.0, out var previous, out var problem), problem);
        Assert.Equal(1 / 60.0, previous, 12);
        Assert.Equal(1 / 30.0, rate.RatePerSecond, 12);

        // 30 s after the previous sample, then every 30 s (the old schedule would have sampled at 60 s and 120 s).
        JumpTo(30 - Step.TotalSeconds);
        Assert.InRange(await StepUntilAsync(2, running), 30, 30 + Late);
        JumpTo(60 - Step.TotalSeconds);
        Assert.InRange(await StepUntilAsync(3, running), 60, 60 + Late);
        await SourceRunner.StopAsync(cts, running);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SetRate_ShorterThanTheTimeAlreadyWaited_WakesThePendingWait(string kind)
    {
        var source = Create(kind, TimeSpan.FromHours(1));
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(_sink, _time), cts.Token);
        await StepUntilAsync(1, running);
        JumpTo(600);

        Assert.True(((IRateAdjustable)source).TrySetRate(1 / 60.0, out _, out var problem), problem);

        // Sampled now, ten minutes in, not at the hour; then a minute later.
        Assert.InRange(await StepUntilAsync(2, running), 600, 600 + Late);
        JumpTo(660 - Step.TotalSeconds);
        Assert.InRange(await StepUntilAsync(3, running), 660, 660 + Late);
        await SourceRunner.StopAsync(cts, running);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SetRate_ConcurrentCallers_EachReplaceOneRate_AndTheSourceKeepsSampling(string kind)
    {
        var source = Create(kind, TimeSpan.FromSeconds(60));
        var rate = (IRateAdjustable)source;
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(_sink, _time), cts.Token);
        await StepUntilAsync(1, running);

        // Distinct rates, so that the (previous → new) pairs must form one chain from the first rate to the last.
        var changes = new System.Collections.Concurrent.ConcurrentBag<(double Previous, double Rate)>();
        var setters = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                var r = 0.01 + (((t * 100) + i) * 0.001);
                Assert.True(rate.TrySetRate(r, out var previous, out var problem), problem);
                changes.Add((previous, r));
            }
        })).ToList();
        await SourceRunner.AdvanceUntilAsync(_time, TimeSpan.FromMilliseconds(50), () => setters.All(s => s.IsCompleted), running);
        await Task.WhenAll(setters);

        var previousRates = changes.Select(c => c.Previous).Order().ToList();
        var chain = changes.Select(c => c.Rate).Append(1 / 60.0).Where(r => r != rate.RatePerSecond).Order().ToList();
        Assert.Equal(chain, previousRates);

        // The source still samples, on the rate set last.
        Assert.True(rate.TrySetRate(1 / 60.0, out _, out _));
        var count = _sink.Count;
        await StepUntilAsync(count + 2, running, TimeSpan.FromMilliseconds(500));
        var readings = _sink.Snapshot();
        Assert.InRange(Seconds(readings[^1]) - Seconds(readings[^2]), 60 - Late, 60 + Late);
        Assert.Equal(readings.Select(r => r.MonotonicTimestamp).Order(), readings.Select(r => r.MonotonicTimestamp));
        await SourceRunner.StopAsync(cts, running);
    }

    [Theory]
    [InlineData("bme280", 101, "at most 100/s, because a forced measurement at oversampling temperature ×1, pressure ×1, humidity ×1 takes up to 10 ms (BME280 datasheet §9.1)")]
    [InlineData("bme280-x16", 9, "at most 8.85/s, because a forced measurement at oversampling temperature ×16, pressure ×16, humidity ×16 takes up to 113 ms")]
    [InlineData("bme280-normal", 1, "at most 0.9901/s, because in normal mode the part measures every 1010 ms (10 ms at oversampling temperature ×1, pressure ×1, humidity ×1 + standbyMs 1000")]
    [InlineData("ina219", 1000, "at most 939.8/s, because a bus and shunt conversion cycle at bus ADC Bits12 and shunt ADC Bits12 takes 1.064 ms (INA219 datasheet §8.6.2.1 table 5)")]
    [InlineData("ina219-x128", 8, "at most 7.342/s, because a bus and shunt conversion cycle at bus ADC Samples128 and shunt ADC Samples128 takes 136.2 ms")]
    [InlineData("ds18b20", 2, "at most 1.333/s, because every read makes the kernel's w1_therm driver run a temperature conversion, up to 750 ms")]
    [InlineData("cpu-temperature", 1 / 7200.0, "slower than one reading an hour")]
    [InlineData("bme280", 0, "slower than one reading an hour")]
    public void SetRate_BeyondWhatTheDeviceCanDo_IsRefusedWithItsLimit_AndLeavesTheRate(string kind, double asked, string reason)
    {
        var rate = (IRateAdjustable)Create(kind, TimeSpan.FromSeconds(10));

        Assert.False(rate.TrySetRate(asked, out var previous, out var problem));

        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.Equal(0.1, previous, 12);
        Assert.Equal(0.1, rate.RatePerSecond, 12);
    }

    [Theory]
    [InlineData("bme280", 100)]
    [InlineData("ina219", 939)]
    [InlineData("ds18b20", 1.3)]
    [InlineData("cpu-temperature", 1000)]
    public void SetRate_AtTheDevicesLimit_IsAccepted(string kind, double asked)
    {
        var rate = (IRateAdjustable)Create(kind, TimeSpan.FromSeconds(10));
        Assert.True(rate.TrySetRate(asked, out _, out var problem), problem);
        Assert.Equal(asked, rate.RatePerSecond);
    }

    private ReadingSource Create(string kind, TimeSpan interval)
    {
        var bus = new SimulatedI2cBus(1);
        switch (kind)
        {
            case "bme280" or "bme280-x16" or "bme280-normal":
                bus.Attach(0x76, new Bme280Model(_time, new Bme280Environment(20, 50, 1000)));
                var x = kind == "bme280-x16" ? Bme280Oversampling.X16 : Bme280Oversampling.X1;
                return new Bme280Source("enclosure", bus.CreateDevice(0x76), interval,
                    new Bme280Options(kind == "bme280-normal" ? Bme280Mode.Normal : Bme280Mode.Forced, x, x, x));
            case "ina219" or "ina219-x128":
                bus.Attach(0x40, new Ina219Model(_time, 0.1, _ => (12.5, 0.4)));
                var config = kind == "ina219" ? Ina219Configuration.PowerOn : Ina219Configuration.PowerOn with { BusAdc = Ina219Adc.Samples128, ShuntAdc = Ina219Adc.Samples128 };
                return new Ina219Source("battery", bus.CreateDevice(0x40), config, Ina219Calibration.Create(0.1, 3.2, config.ShuntRange), interval);
            case "cpu-temperature":
                Write("class/thermal/thermal_zone0/temp", "47000\n");
                return new CpuTemperatureSource("soc", new ThermalZone(_sys.Path, 0), interval);
            case "ds18b20":
                Write($"bus/w1/devices/{W1Device}/w1_slave", "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");
                return new Ds18b20Source("outside", new W1Thermometer(_sys.Path, W1Device), interval);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private void JumpTo(double seconds)
    {
        var now = (double)_time.GetTimestamp() / _time.TimestampFrequency;
        if (seconds > now) _time.Advance(TimeSpan.FromSeconds(seconds - now));
    }

    /// <summary>Steps time until the sink holds <paramref name="count"/> readings; returns the last one's capture time in seconds.</summary>
    private async Task<double> StepUntilAsync(int count, Task running, TimeSpan? step = null)
    {
        var watch = Stopwatch.StartNew();
        while (_sink.Count < count)
        {
            if (running.IsCompleted) await running;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{_sink.Count} readings, expected {count}");
            _time.Advance(step ?? Step);
            await Task.Delay(1);
        }
        return Seconds(_sink.Snapshot()[count - 1]);
    }

    private double Seconds(Reading reading) => (double)reading.MonotonicTimestamp / _time.TimestampFrequency;

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_sys.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
