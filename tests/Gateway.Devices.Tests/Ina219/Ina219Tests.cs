using Gateway.Devices.Ina219;
using Gateway.Devices.Tests.Support;
using Gateway.Hardware.Simulation.I2c;
using Gateway.Hardware.Simulation.Ina219;
using Gateway.TestKit.Time;

namespace Gateway.Devices.Tests.Ina219;

public sealed class Ina219Tests
{
    private const int Address = 0x40;

    [Fact]
    public void Configuration_EveryRegisterValue_RoundTripsAllButUnusedBit14()
    {
        for (var value = 0; value <= 0xFFFF; value++)
            Assert.Equal((ushort)(value & 0xBFFF), Ina219Configuration.FromUInt16((ushort)value).ToUInt16());
    }

    [Fact]
    public void Configuration_EachFieldLandsInItsOwnBits()
    {
        // SBOS448G §8.6.2.1: BRNG 13, PG 12:11, BADC 10:7, SADC 6:3, MODE 2:0.
        foreach (var adc in Enum.GetValues<Ina219Adc>())
        {
            var shuntOnly = new Ina219Configuration(0, 0, 0, adc, 0).ToUInt16();
            Assert.Equal((int)adc << 3, shuntOnly);                    // SADC, never in BADC
            var busOnly = new Ina219Configuration(0, 0, adc, 0, 0).ToUInt16();
            Assert.Equal((int)adc << 7, busOnly);
        }
        Assert.Equal(1 << 13, new Ina219Configuration(Ina219BusRange.Volts32, 0, 0, 0, 0).ToUInt16());
        Assert.Equal(3 << 11, new Ina219Configuration(0, Ina219ShuntRange.Millivolts320, 0, 0, 0).ToUInt16());
        Assert.Equal(7, new Ina219Configuration(0, 0, 0, 0, Ina219Mode.ShuntAndBusContinuous).ToUInt16());
        Assert.Equal(0x8000, new Ina219Configuration(0, 0, 0, 0, 0, Reset: true).ToUInt16());
    }

    [Fact]
    public void Configuration_DifferentBusAndShuntAdc_StayDifferent()
    {
        var config = new Ina219Configuration(Ina219BusRange.Volts32, Ina219ShuntRange.Millivolts320, Ina219Adc.Bits9, Ina219Adc.Samples128, Ina219Mode.ShuntAndBusContinuous);
        var back = Ina219Configuration.FromUInt16(config.ToUInt16());
        Assert.Equal(Ina219Adc.Bits9, back.BusAdc);
        Assert.Equal(Ina219Adc.Samples128, back.ShuntAdc);
    }

    [Fact]
    public void PowerOn_IsTheDatasheetDefault()
    {
        var p = Ina219Configuration.PowerOn;
        Assert.Equal((Ina219BusRange.Volts32, Ina219ShuntRange.Millivolts320, Ina219Adc.Bits12, Ina219Adc.Bits12, Ina219Mode.ShuntAndBusContinuous),
            (p.BusRange, p.ShuntRange, p.BusAdc, p.ShuntAdc, p.Mode));
    }

    [Fact]
    public void Calibration_DatasheetFormula()
    {
        // §8.5.1 with R = 0.1 Ω and 3.2 A: Current_LSB = 3.2 / 2^15 = 97.66 µA; Cal = trunc(0.04096 / (97.66e-6 × 0.1)) = 4194.
        var c = Ina219Calibration.Create(0.1, 3.2, Ina219ShuntRange.Millivolts320);
        Assert.Equal(4194, c.Value);
        Assert.Equal(0.04096 / (4194 * 0.1), c.CurrentLsbAmps, 12);
        Assert.Equal(20 * c.CurrentLsbAmps, c.PowerLsbWatts, 12);
        Assert.True(c.CurrentLsbAmps * 32767 >= 3.2);
    }

    [Theory]
    [InlineData(0.1, 4.0, Ina219ShuntRange.Millivolts320, "beyond the ±320 mV shunt range")]
    [InlineData(0.1, 1.0, Ina219ShuntRange.Millivolts40, "beyond the ±40 mV shunt range")]
    [InlineData(0.0001, 0.001, Ina219ShuntRange.Millivolts320, "does not fit the 16-bit register")]
    public void Calibration_Impossible_SaysWhy(double ohms, double amps, Ina219ShuntRange range, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => Ina219Calibration.Create(ohms, amps, range));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(12.6, 0.8)]
    [InlineData(24.0, 2.5)]
    [InlineData(5.0, -0.3)]
    public async Task Read_OverModel_RecoversVoltsAmpsAndWatts(double volts, double amps)
    {
        var (driver, _) = Create(_ => (volts, amps));
        driver.Initialize();
        var m = await driver.ReadAsync(TimeProvider.System, CancellationToken.None);
        Assert.Equal(volts, m.BusVolts, 0.004);
        Assert.Equal(amps * 0.1 * 1000, m.ShuntMillivolts, 0.01);
        Assert.Equal(amps, m.CurrentAmps, 0.0002);
        Assert.Equal(Math.Abs(volts * amps), m.PowerWatts, 0.01);
    }

    [Fact]
    public async Task Read_CurrentBeyondShuntRange_ReportsOverflowAsNaN()
    {
        var (driver, _) = Create(_ => (12, 5.0)); // 500 mV across 0.1 Ω: beyond ±320 mV
        driver.Initialize();
        var m = await driver.ReadAsync(TimeProvider.System, CancellationToken.None);
        Assert.True(double.IsNaN(m.CurrentAmps));
        Assert.True(double.IsNaN(m.PowerWatts));
        Assert.Equal(320, m.ShuntMillivolts, 0.01);
    }

    [Fact]
    public async Task Read_AfterThePartResetItself_Recalibrates()
    {
        var (driver, device) = Create(_ => (12, 1));
        driver.Initialize();
        device.Write([0x00, 0x80, 0x00]); // RST from outside, as a brown-out does
        var m = await driver.ReadAsync(TimeProvider.System, CancellationToken.None);
        Assert.Equal(1, driver.Recalibrations);
        Assert.Equal(1, (await driver.ReadAsync(TimeProvider.System, CancellationToken.None)).CurrentAmps, 0.001);
        Assert.True(m.BusVolts > 11);
    }

    [Fact]
    public async Task Read_TriggeredMode_WaitsTheConversionOnTheCallersClock()
    {
        var time = new ManualTimeProvider();
        var bus = new SimulatedI2cBus(1);
        bus.Attach(Address, new Ina219Model(time, 0.1, _ => (12, 1)));
        var config = Ina219Configuration.PowerOn with { Mode = Ina219Mode.ShuntAndBusTriggered };
        var driver = new Ina219Driver(bus.CreateDevice(Address), config, Ina219Calibration.Create(0.1, 3.2, config.ShuntRange));
        driver.Initialize();
        var read = driver.ReadAsync(time, CancellationToken.None).AsTask();
        // 2 × 532 µs conversions (12-bit, §8.6.2.1 table 5) plus 100 µs: nothing is read before that much of the given time.
        time.Advance(TimeSpan.FromMicroseconds(1000));
        Assert.False(read.IsCompleted);
        time.Advance(TimeSpan.FromMicroseconds(200));
        Assert.Equal(12, (await read.WaitAsync(TimeSpan.FromSeconds(10))).BusVolts, 0.004);
    }

    [Fact]
    public void Initialize_SomethingElseAtTheAddress_ThrowsNamingTheValue()
    {
        var bus = new SimulatedI2cBus(1);
        bus.Attach(Address, new Fixed());
        var driver = new Ina219Driver(bus.CreateDevice(Address), Ina219Configuration.PowerOn, Ina219Calibration.Create(0.1, 3.2, Ina219ShuntRange.Millivolts320));
        var ex = Assert.Throws<IOException>(driver.Initialize);
        Assert.Contains("no INA219 at i2c-1 address 0x40", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_PostsPowerReadingsEachInterval()
    {
        var time = new ManualTimeProvider();
        var bus = new SimulatedI2cBus(1);
        bus.Attach(Address, new Ina219Model(time, 0.1, _ => (13.1, 0.5)));
        var config = Ina219Configuration.PowerOn with { BusAdc = Ina219Adc.Samples8, ShuntAdc = Ina219Adc.Samples8 };
        var source = new Ina219Source("battery", bus.CreateDevice(Address), config, Ina219Calibration.Create(0.1, 3.2, config.ShuntRange), TimeSpan.FromSeconds(5));
        var readings = await SourceRunner.CollectAsync(source, time, TimeSpan.FromSeconds(1), 3);
        Assert.Equal("power", source.Schema.Measurement);
        Assert.All(readings, r => Assert.Equal(13.1, r.Values[0], 0.004));
        Assert.All(readings, r => Assert.Equal(0.5, r.Values[2], 0.001));
    }

    private static (Ina219Driver, Gateway.Hardware.I2c.I2cDevice) Create(Func<double, (double, double)> circuit)
    {
        var bus = new SimulatedI2cBus(1);
        bus.Attach(Address, new Ina219Model(TimeProvider.System, 0.1, circuit));
        var device = bus.CreateDevice(Address);
        var config = Ina219Configuration.PowerOn;
        return (new Ina219Driver(device, config, Ina219Calibration.Create(0.1, 3.2, config.ShuntRange)), device);
    }

    private sealed class Fixed : I2cRegisterModel
    {
        protected override byte ReadRegister(byte register) => 0x12;
    }
}
