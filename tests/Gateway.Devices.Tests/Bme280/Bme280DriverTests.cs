using Gateway.Devices.Bme280;
using Gateway.Devices.Tests.Support;
using Gateway.Hardware.Simulation.Bme280;
using Gateway.Hardware.Simulation.I2c;
using Gateway.TestKit.Time;
using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Tests.Bme280;

public sealed class Bme280DriverTests
{
    private const int Address = 0x76;

    [Theory]
    [InlineData(25.0, 45.0, 1013.25)]
    [InlineData(15.2, 20.5, 951.0)]
    [InlineData(44.7, 79.5, 1029.5)]
    [InlineData(-3.0, 95.0, 1100.0)]
    public async Task ReadForced_OverModel_RecoversEnvironmentWithinResolution(double t, double h, double p)
    {
        var model = new Bme280Model(TimeProvider.System, new Bme280Environment(t, h, p));
        var driver = Create(model);
        await driver.InitializeAsync(TimeProvider.System, CancellationToken.None);

        var m = await driver.ReadForcedAsync(TimeProvider.System, CancellationToken.None);

        var truth = model.LastMeasured!;
        Assert.Equal(truth.TemperatureCelsius, m.TemperatureCelsius, 0.006);    // 0.01 °C steps
        Assert.Equal(truth.HumidityPercent, m.HumidityPercent, 0.01);           // 1/1024 %RH steps
        Assert.Equal(truth.PressureHectopascal, m.PressureHectopascal, 0.02);   // ~0.2 Pa per raw step at x1
    }

    [Fact]
    public async Task ReadForced_EachCall_TriggersOneNewMeasurement()
    {
        var model = new Bme280Model(TimeProvider.System);
        var driver = Create(model);
        await driver.InitializeAsync(TimeProvider.System, CancellationToken.None);
        Assert.Equal(0, model.MeasurementCount);

        await driver.ReadForcedAsync(TimeProvider.System, CancellationToken.None);
        await driver.ReadForcedAsync(TimeProvider.System, CancellationToken.None);

        Assert.Equal(2, model.MeasurementCount);
    }

    [Fact]
    public async Task Initialize_ReadsModelCalibration()
    {
        var driver = Create(new Bme280Model(TimeProvider.System));
        await driver.InitializeAsync(TimeProvider.System, CancellationToken.None);
        Assert.Equal(Bme280CompensationTests.Example, driver.Calibration);
    }

    [Fact]
    public async Task Initialize_NothingAtAddress_ThrowsIOExceptionNamingBusAndAddress()
    {
        var bus = new SimulatedI2cBus(1);
        var driver = new Bme280Driver(bus.CreateDevice(Address));
        var e = await Assert.ThrowsAsync<IOException>(() => driver.InitializeAsync(TimeProvider.System, CancellationToken.None));
        Assert.Contains("i2c-1 address 0x76", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_WrongChipId_ThrowsIOExceptionWithChipIdAndAdvice()
    {
        var bus = new SimulatedI2cBus(1);
        bus.Attach(Address, new FixedChip(0x58));
        var driver = new Bme280Driver(bus.CreateDevice(Address));
        var e = await Assert.ThrowsAsync<IOException>(() => driver.InitializeAsync(TimeProvider.System, CancellationToken.None));
        Assert.Contains("no BME280 at i2c-1 address 0x76: chip id 0x58", e.Message, StringComparison.Ordinal);
        Assert.Contains("check wiring/address", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadForced_BeforeInitialize_ThrowsInvalidOperation()
    {
        var driver = Create(new Bme280Model(TimeProvider.System));
        await Assert.ThrowsAsync<InvalidOperationException>(() => driver.ReadForcedAsync(TimeProvider.System, CancellationToken.None));
    }

    [Fact]
    public async Task ReadResult_StuckMeasuringBit_ThrowsIOExceptionInsteadOfHanging()
    {
        var model = new Bme280Model(new ManualTimeProvider()); // the model's time never moves: the conversion never ends
        var driver = Create(model);
        await driver.InitializeAsync(TimeProvider.System, CancellationToken.None);
        driver.TriggerForced();
        var e = await Assert.ThrowsAsync<IOException>(() => driver.ReadResultAsync(TimeProvider.System, CancellationToken.None));
        Assert.Contains("still measuring after 50 status polls", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadResult_WhileMeasuring_WaitsOnTheCallersClock_WithoutBlockingAThread()
    {
        var time = new ManualTimeProvider();
        var model = new Bme280Model(time);
        var driver = Create(model);
        await driver.InitializeAsync(time, CancellationToken.None);
        driver.TriggerForced();
        var read = driver.ReadResultAsync(time, CancellationToken.None);
        // Still measuring: the driver waits on the given clock (the call returned instead of blocking this thread).
        Assert.False(read.IsCompleted);
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(1), () => read.IsCompleted, read);
        var m = await read;
        Assert.Equal(model.LastMeasured!.TemperatureCelsius, m.TemperatureCelsius, 0.006);
    }

    [Fact]
    public async Task ReadForced_HumiditySkipped_ReportsNaNHumidity()
    {
        var model = new Bme280Model(TimeProvider.System);
        var driver = new Bme280Driver(Attach(model)) { HumidityOversampling = Bme280Oversampling.Skipped };
        await driver.InitializeAsync(TimeProvider.System, CancellationToken.None);
        var m = await driver.ReadForcedAsync(TimeProvider.System, CancellationToken.None);
        Assert.True(double.IsNaN(m.HumidityPercent));
        Assert.InRange(m.TemperatureCelsius, 15, 45);
    }

    [Fact]
    public async Task Bme280Source_OverModel_PostsPlausibleEnvReadingsEachInterval()
    {
        var time = new ManualTimeProvider();
        var model = new Bme280Model(time, new Bme280Environment(31.5, 40, 1002));
        var source = new Bme280Source("enclosure", Attach(model), TimeSpan.FromSeconds(10));
        var readings = await SourceRunner.CollectAsync(source, time, TimeSpan.FromMilliseconds(500), 4);

        Assert.Same(Measurements.Env, source.Schema);
        for (var i = 0; i < readings.Count; i++)
        {
            var v = readings[i].Values;
            Assert.InRange(v[0], 31.0, 32.0);
            Assert.InRange(v[1], 39, 41);
            Assert.InRange(v[2], 1001.5, 1002.5);
            if (i > 0)
            {
                var gap = readings[i].MonotonicTimestamp - readings[i - 1].MonotonicTimestamp;
                Assert.InRange(gap, TimeSpan.FromSeconds(9.5).Ticks, TimeSpan.FromSeconds(10.5).Ticks);
            }
        }
        Assert.Equal(model.MeasurementCount, readings.Count);
    }

    private static Bme280Driver Create(Bme280Model model) => new(Attach(model));

    private static Gateway.Hardware.I2c.I2cDevice Attach(Bme280Model model)
    {
        var bus = new SimulatedI2cBus(1);
        bus.Attach(Address, model);
        return bus.CreateDevice(Address);
    }

    /// <summary>Some other chip at the BME280's address (a BMP280 answers 0x58).</summary>
    private sealed class FixedChip(byte id) : I2cRegisterModel
    {
        protected override byte ReadRegister(byte register) => register == 0xD0 ? id : (byte)0;
    }
}
