using Gateway.Hardware.Simulation.I2c;

namespace Gateway.Hardware.Simulation.Ina219;

/// <summary>
/// The INA219's registers (TI SBOS448G §8.6) over a simulated DC circuit: a battery bank whose voltage follows a daily
/// solar cycle and a load current with slow variation, through a physical shunt of <see cref="ShuntOhms"/>. Like the
/// part, it converts with the PG range and BRNG range of its configuration (clipping beyond full scale, OVF flag),
/// computes current and power from the calibration register exactly as §8.5.1 says the silicon does, starts from the
/// power-on values (config 0x399F, calibration 0) and resets on RST.
/// </summary>
public sealed class Ina219Model : I2cRegisterModel
{
    /// <summary>§8.6.2.1: the configuration register after power-on or RST (32 V, ±320 mV, 12-bit, continuous).</summary>
    internal const ushort PowerOnConfiguration = 0x399F;

    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly byte[] _latch = new byte[2];
    private int _latchIndex;
    private byte _pointer;
    private ushort _config = PowerOnConfiguration, _calibration;
    private short _shunt, _current;
    private ushort _bus, _power;

    /// <param name="time">The simulated clock the circuit is a function of.</param>
    /// <param name="shuntOhms">The shunt resistor across IN+/IN- (0.1 Ω on the common breakout boards).</param>
    /// <param name="circuit">Bus volts and load amps over time; a solar-charged battery site when null.</param>
    public Ina219Model(TimeProvider time, double shuntOhms = 0.1, Func<double, (double Volts, double Amps)>? circuit = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(shuntOhms, 0);
        _time = time;
        _start = time.GetTimestamp();
        ShuntOhms = shuntOhms;
        Circuit = circuit ?? SolarSite;
    }

    /// <summary>The shunt resistance the shunt voltage is computed with (V = I × R), in ohms.</summary>
    public double ShuntOhms { get; }

    /// <summary>Bus volts and load amps as a function of seconds since start.</summary>
    public Func<double, (double Volts, double Amps)> Circuit { get; }

    /// <summary>The circuit at the last conversion.</summary>
    public (double Volts, double Amps) LastCircuit { get; private set; }

    /// <summary>Conversions done (triggered or continuous).</summary>
    internal int Conversions { get; private set; }

    /// <summary>§8.5.6: the first byte written is the pointer; two more bytes write that register MSB first. The pointer does not auto-increment.</summary>
    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        _pointer = data[0];
        if (data.Length < 3) return;
        var value = (ushort)((data[1] << 8) | data[2]);
        switch (_pointer)
        {
            case 0x00 when (value & 0x8000) != 0:
                // RST: all registers return to their power-on values (§8.6.2.1).
                _config = PowerOnConfiguration;
                _calibration = 0;
                _shunt = _current = 0;
                _bus = _power = 0;
                break;
            case 0x00:
                _config = (ushort)(value & 0x3FFF | (value & 0x4000)); // bit 14 is unused but stored
                if ((_config & 0x7) is 1 or 2 or 3) Convert(); // a write in triggered mode starts one conversion (§8.3.1)
                break;
            case 0x05:
                _calibration = (ushort)(value & 0xFFFE); // FS0 is void and always 0 (§8.6.3.6)
                break;
        }
    }

    /// <summary>Latches the pointed register's two bytes, converting first in a continuous mode.</summary>
    protected override void OnBeforeRead()
    {
        if ((_config & 0x7) >= 5) Convert(); // continuous modes hold fresh values
        var value = _pointer switch
        {
            0x00 => _config,
            0x01 => (ushort)_shunt,
            0x02 => _bus,
            0x03 => _power,
            0x04 => (ushort)_current,
            0x05 => _calibration,
            _ => (ushort)0,
        };
        if (_pointer == 0x03) _bus &= 0xFFFD; // reading the power register clears CNVR (§8.6.3.2)
        _latch[0] = (byte)(value >> 8);
        _latch[1] = (byte)value;
        _latchIndex = 0;
    }

    /// <summary>The latched register's bytes, MSB first (§8.5.6): the pointer does not auto-increment.</summary>
    protected override byte ReadRegister(byte register) => _latch[_latchIndex++ & 1];

    private void Convert()
    {
        var seconds = (_time.GetTimestamp() - _start) / (double)_time.TimestampFrequency;
        var (volts, amps) = Circuit(seconds);
        LastCircuit = (volts, amps);
        var pg = (_config >> 11) & 0x3;
        var shuntLimit = 4000 << pg; // ±40 mV × 2^PG in 10 µV steps
        var shunt = (int)Math.Round(amps * ShuntOhms / 0.00001);
        var clipped = shunt > shuntLimit || shunt < -shuntLimit;
        _shunt = (short)Math.Clamp(shunt, -shuntLimit, shuntLimit);
        var busFull = (_config & 0x2000) != 0 ? 32.0 : 16.0;
        var bd = (int)Math.Round(Math.Clamp(volts, 0, busFull) / 0.004);
        bd = Math.Min(bd, 0x1FFF);
        // §8.5.1: Current = ShuntVoltage × Calibration / 4096; Power = Current × BusVoltage / 5000.
        var current = (long)_shunt * _calibration / 4096;
        var power = Math.Abs(current) * bd / 5000;
        var overflow = clipped || current is > short.MaxValue or < short.MinValue || power > ushort.MaxValue;
        _current = (short)Math.Clamp(current, short.MinValue, short.MaxValue);
        _power = (ushort)Math.Min(power, ushort.MaxValue);
        _bus = (ushort)((bd << 3) | 0x2 | (overflow ? 0x1 : 0)); // CNVR set: a conversion completed
        Conversions++;
    }

    /// <summary>A 12 V battery bank on solar: voltage rises in the day while charging; the load draws about 0.8 A.</summary>
    private static (double Volts, double Amps) SolarSite(double seconds)
    {
        var day = Math.Sin(2 * Math.PI * seconds / 86_400);
        var slow = Math.Sin(2 * Math.PI * seconds / 600);
        return (12.6 + (0.9 * day) + (0.05 * slow), 0.8 + (0.25 * slow));
    }
}
