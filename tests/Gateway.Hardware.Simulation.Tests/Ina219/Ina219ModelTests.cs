using Gateway.Hardware.Simulation.I2c;
using Gateway.Hardware.Simulation.Ina219;

namespace Gateway.Hardware.Simulation.Tests.Ina219;

/// <summary>The model's register behaviour against SBOS448G, with raw I2C bytes.</summary>
public sealed class Ina219ModelTests
{
    [Fact]
    public void PowerOn_ConfigIs399F_CalibrationZero_SoCurrentReadsZero()
    {
        var device = Create(out _);
        Assert.Equal(0x399F, Read(device, 0x00));
        Assert.Equal(0, Read(device, 0x05));
        Assert.Equal(0, Read(device, 0x04));
        Assert.Equal(8000, Read(device, 0x01)); // 0.8 A × 0.1 Ω = 80 mV = 8000 × 10 µV
    }

    [Fact]
    public void Calibration_DrivesCurrentAndPowerAsTheDatasheetSays()
    {
        var device = Create(out _);
        device.Write([0x05, 0x10, 0x62]); // Cal 4194
        var current = (short)Read(device, 0x04);
        Assert.Equal(8000 * 4194 / 4096, current);
        var bd = Read(device, 0x02) >> 3;
        Assert.Equal(12600 / 4, bd);
        Assert.Equal(current * bd / 5000, Read(device, 0x03));
    }

    [Fact]
    public void CalibrationBit0_IsVoid_AndResetBitRestoresDefaults()
    {
        var device = Create(out _);
        device.Write([0x05, 0x10, 0x63]);
        Assert.Equal(0x1062, Read(device, 0x05));
        device.Write([0x00, 0x01, 0x9F]);
        Assert.Equal(0x019F, Read(device, 0x00));
        device.Write([0x00, 0x80, 0x00]);
        Assert.Equal(0x399F, Read(device, 0x00));
        Assert.Equal(0, Read(device, 0x05));
    }

    [Fact]
    public void ShuntBeyondTheGainRange_ClipsAndSetsOvf()
    {
        var device = Create(out _, amps: 1.0); // 100 mV
        device.Write([0x00, 0x01, 0x9F]);       // PG = 00: ±40 mV
        Assert.Equal(4000, (short)Read(device, 0x01));
        Assert.Equal(1, Read(device, 0x02) & 0x1);
    }

    private static Gateway.Hardware.I2c.I2cDevice Create(out Ina219Model model, double amps = 0.8)
    {
        var bus = new SimulatedI2cBus(1);
        model = new Ina219Model(TimeProvider.System, 0.1, _ => (12.6, amps));
        bus.Attach(0x40, model);
        return bus.CreateDevice(0x40);
    }

    private static ushort Read(Gateway.Hardware.I2c.I2cDevice device, byte register)
    {
        var data = new byte[2];
        device.WriteRead([register], data);
        return (ushort)((data[0] << 8) | data[1]);
    }
}
