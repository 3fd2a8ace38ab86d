using Gateway.Hardware.I2c;

namespace Gateway.Devices.Ina219;

/// <summary>One INA219 measurement: bus voltage in V, shunt voltage in mV, current in A, power in W (NaN on overflow).</summary>
internal readonly record struct Ina219Measurement(double BusVolts, double ShuntMillivolts, double CurrentAmps, double PowerWatts);

/// <summary>
/// TI INA219 current/power monitor on I2C (SBOS448G). Identification is by the configuration register's power-on
/// value after a reset (the part has no id register); then the configuration and the §8.5.1 calibration are written
/// and read back. Not thread-safe: one caller.
/// </summary>
public sealed class Ina219Driver
{
    /// <summary>§8.6.2.2: bus voltage LSB 4 mV in BD[15:3].</summary>
    public const double BusLsbVolts = 0.004;

    /// <summary>§8.6.3.1: shunt voltage LSB 10 µV.</summary>
    internal const double ShuntLsbVolts = 0.00001;

    private readonly I2cDevice _device;

    /// <summary>
    /// Nothing is sent to the part until <see cref="Initialize"/> (so <c>gatewayctl diag</c> can read registers of a part
    /// an agent is using); the device stays the caller's. A <see cref="Ina219Configuration.Reset"/> bit is ignored.
    /// </summary>
    public Ina219Driver(I2cDevice device, Ina219Configuration configuration, Ina219Calibration calibration)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(calibration);
        _device = device;
        Configuration = configuration with { Reset = false };
        Calibration = calibration;
    }

    internal Ina219Configuration Configuration { get; }

    internal Ina219Calibration Calibration { get; }

    /// <summary>Times the calibration register was found cleared (a brown-out resets it to 0) and rewritten.</summary>
    internal int Recalibrations { get; private set; }

    /// <summary>
    /// Resets the part (RST, §8.6.2.1), checks that the configuration register then reads 0x399F, writes the
    /// configuration and calibration and checks them. Throws <see cref="IOException"/> when no INA219 answers.
    /// </summary>
    internal void Initialize()
    {
        WriteRegister(Ina219Register.Configuration, new Ina219Configuration(default, default, default, default, default, Reset: true).ToUInt16());
        var afterReset = ReadRegister(Ina219Register.Configuration);
        if (afterReset != Ina219Configuration.PowerOnValue)
        {
            throw new IOException(
                $"no INA219 at {_device.Settings}: the configuration register reads 0x{afterReset:X4} after reset (expected 0x{Ina219Configuration.PowerOnValue:X4}); check the address (A0/A1 straps give 0x40-0x4F) and wiring");
        }
        WriteRegister(Ina219Register.Configuration, Configuration.ToUInt16());
        WriteRegister(Ina219Register.Calibration, Calibration.Value);
        var config = ReadRegister(Ina219Register.Configuration);
        if (config != Configuration.ToUInt16())
            throw new IOException($"INA219 at {_device.Settings} kept configuration 0x{config:X4} instead of 0x{Configuration.ToUInt16():X4}; check for another master on the bus");
    }

    /// <summary>
    /// Reads bus voltage, shunt voltage, current and power. In a triggered mode it first starts a conversion (by
    /// rewriting the configuration, §8.3.1) and waits for its conversion time: a delay on <paramref name="time"/>, not a
    /// blocked thread (up to 2 × 68 ms at 128 samples).
    /// </summary>
    internal async ValueTask<Ina219Measurement> ReadAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        if (Configuration.Mode is Ina219Mode.ShuntTriggered or Ina219Mode.BusTriggered or Ina219Mode.ShuntAndBusTriggered)
        {
            WriteRegister(Ina219Register.Configuration, Configuration.ToUInt16());
            var us = Ina219Configuration.ConversionMicroseconds(Configuration.BusAdc) + Ina219Configuration.ConversionMicroseconds(Configuration.ShuntAdc);
            await Task.Delay(TimeSpan.FromMicroseconds(us + 100), time, cancellationToken).ConfigureAwait(false);
        }
        return ReadRegisters();
    }

    private Ina219Measurement ReadRegisters()
    {
        // A calibration of 0 (power-on value) makes current and power read 0: the part reset under us.
        if (ReadRegister(Ina219Register.Calibration) != Calibration.Value)
        {
            WriteRegister(Ina219Register.Calibration, Calibration.Value);
            WriteRegister(Ina219Register.Configuration, Configuration.ToUInt16());
            Recalibrations++;
        }
        var shunt = (short)ReadRegister(Ina219Register.ShuntVoltage);
        var bus = ReadRegister(Ina219Register.BusVoltage);
        var current = (short)ReadRegister(Ina219Register.Current);
        var power = ReadRegister(Ina219Register.Power);
        // §8.6.3.2: OVF (bit 0) means the power or current calculation is out of range; those values are meaningless.
        var overflow = (bus & 0x0001) != 0;
        return new Ina219Measurement(
            (bus >> 3) * BusLsbVolts,
            shunt * ShuntLsbVolts * 1000,
            overflow ? double.NaN : current * Calibration.CurrentLsbAmps,
            overflow ? double.NaN : power * Calibration.PowerLsbWatts);
    }

    /// <summary>§8.5.6: write the pointer, then the register's two bytes MSB first.</summary>
    internal void WriteRegister(Ina219Register register, ushort value) =>
        _device.Write([(byte)register, (byte)(value >> 8), (byte)value]);

    /// <summary>§8.5.6: set the pointer, then read two bytes MSB first.</summary>
    public ushort ReadRegister(Ina219Register register)
    {
        Span<byte> data = stackalloc byte[2];
        _device.WriteRead([(byte)register], data);
        return (ushort)((data[0] << 8) | data[1]);
    }
}
