using Gateway.Hardware.Simulation.Bme280;
using Gateway.Hardware.Simulation.I2c;
using Gateway.TestKit.Time;

namespace Gateway.Hardware.Simulation.Tests.Bme280;

public sealed class Bme280ModelTests
{
    private static (Gateway.Hardware.I2c.I2cDevice Device, Bme280Model Model, ManualTimeProvider Time) Create(int seed = 1)
    {
        var time = new ManualTimeProvider();
        var model = new Bme280Model(time, seed: seed);
        var bus = new SimulatedI2cBus(1);
        bus.Attach(0x76, model);
        return (bus.CreateDevice(0x76), model, time);
    }

    [Fact]
    public void ChipId_Reads0x60()
    {
        var (device, _, _) = Create();
        Assert.Equal(0x60, device.ReadRegister(0xD0));
    }

    [Fact]
    public void DataRegisters_BeforeAnyMeasurement_HoldResetValues()
    {
        var (device, model, _) = Create();
        var data = new byte[8];
        device.WriteRead([0xF7], data);
        Assert.Equal([0x80, 0, 0, 0x80, 0, 0, 0x80, 0], data);
        Assert.Null(model.LastMeasured);
    }

    [Fact]
    public void Forced_MeasuringUntilDoneThenBackToSleepWithNewData()
    {
        var (device, model, time) = Create();
        device.Write([0xF2, 0x01]);
        device.Write([0xF4, 0x25]); // osrs_t x1, osrs_p x1, forced
        Assert.Equal(0x08, device.ReadRegister(0xF3) & 0x08);
        time.Advance(TimeSpan.FromMilliseconds(10)); // t_measure,max at x1/x1/x1 is 9.3 ms (§9.1)
        Assert.Equal(0, device.ReadRegister(0xF3) & 0x08);
        Assert.Equal(0x24, device.ReadRegister(0xF4)); // mode bits back to sleep
        Assert.Equal(1, model.MeasurementCount);
        Assert.NotEqual(0x80, device.ReadRegister(0xFA));
    }

    [Fact]
    public void Sleep_NoNewMeasurementsAsTimePasses()
    {
        var (device, model, time) = Create();
        time.Advance(TimeSpan.FromMinutes(5));
        device.ReadRegister(0xF7);
        Assert.Equal(0, model.MeasurementCount);
    }

    [Fact]
    public void Normal_MeasuresPeriodically()
    {
        var (device, model, time) = Create();
        device.Write([0xF5, 0xA0]); // t_sb = 1000 ms
        device.Write([0xF4, 0x27]); // normal mode
        // The model latches the latest completed cycle when read (the registers always hold the newest result, §3.3.4).
        for (var i = 1; i <= 5; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1009.3));
            device.ReadRegister(0xF7);
            Assert.Equal(i, model.MeasurementCount);
        }
        time.Advance(TimeSpan.FromMilliseconds(500));
        device.ReadRegister(0xF7);
        Assert.Equal(5, model.MeasurementCount); // mid-standby: nothing new
    }

    [Fact]
    public void SoftReset_ClearsControlRegisters()
    {
        var (device, _, _) = Create();
        device.Write([0xF4, 0x24]);
        device.Write([0xE0, 0xB6]);
        Assert.Equal(0, device.ReadRegister(0xF4));
    }

    [Fact]
    public void Calibration_PackedH4H5_AsDatasheetLayout()
    {
        var (device, _, _) = Create();
        var high = new byte[7];
        device.WriteRead([0xE1], high);
        var h4 = (short)(((sbyte)high[3] * 16) | (high[4] & 0x0F));
        var h5 = (short)(((sbyte)high[5] * 16) | (high[4] >> 4));
        Assert.Equal(313, h4);
        Assert.Equal(50, h5);
    }

    [Fact]
    public void Environment_DeterministicForSeedAndTime_AndWithinEnvelope()
    {
        var (_, a, _) = Create(seed: 5);
        var (_, b, _) = Create(seed: 5);
        for (var hour = 0; hour < 24 * 7; hour++)
        {
            var t = TimeSpan.FromHours(hour).Ticks;
            var e = a.EnvironmentAt(t);
            Assert.Equal(e, b.EnvironmentAt(t));
            Assert.InRange(e.TemperatureCelsius, 15, 45);
            Assert.InRange(e.HumidityPercent, 20, 80);
            Assert.InRange(e.PressureHectopascal, 950, 1030);
        }
        Assert.NotEqual(a.EnvironmentAt(0), a.EnvironmentAt(TimeSpan.FromHours(6).Ticks));
    }
}
