using Gateway.Hardware.Simulation.I2c;

namespace Gateway.Hardware.Simulation.Bme280;

/// <summary>
/// The BME280's register map (Bosch BST-BME280-DS002 §5.3 memory map, §5.4 register descriptions) over a simulated
/// environment. Measurements happen only when triggered (forced mode) or on the normal-mode cycle; the data registers
/// then hold raw ADC values made by inverting the datasheet's compensation (§4.2.3, §8.2), so a real driver recovers
/// the environment within the sensor's resolution.
/// </summary>
public sealed partial class Bme280Model : I2cRegisterModel
{
    /// <summary>Register addresses (§5.3).</summary>
    private const byte CalibrationLow = 0x88, CalibrationLowEnd = 0xA1, ChipIdRegister = 0xD0, ResetRegister = 0xE0;
    private const byte CalibrationHigh = 0xE1, CalibrationHighEnd = 0xF0;
    private const byte CtrlHum = 0xF2, Status = 0xF3, CtrlMeas = 0xF4, Config = 0xF5, DataStart = 0xF7;

    /// <summary>§5.4.1: the chip identification number.</summary>
    public const byte ChipId = 0x60;

    /// <summary>§5.4.2: the only value written to 0xE0 that resets the device.</summary>
    private const byte ResetCommand = 0xB6;

    private readonly TimeProvider _time;
    private readonly byte[] _calibration = new byte[0x100];
    private readonly byte[] _data = new byte[8];
    private byte _ctrlHum, _ctrlHumLatched, _ctrlMeas, _config;
    private long _measurementDue = -1;
    private long _normalCycleStart;
    private long _normalCyclesDone;

    /// <param name="time">The simulated clock: a measurement takes its datasheet duration on it, and the drift follows it.</param>
    /// <param name="initial">The environment the readings drift around; 25 °C, 45 %RH, 1013.25 hPa when null.</param>
    /// <param name="seed">Seeds the drift, so that a run is reproducible and two sensors differ.</param>
    public Bme280Model(TimeProvider time, Bme280Environment? initial = null, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _seed = seed;
        _start = time.GetTimestamp();
        Baseline = initial ?? new Bme280Environment(25.0, 45.0, 1013.25);
        Bme280ModelMath.Write(_calibration);
        ResetData();
    }

    /// <summary>The environment the drift is centred on (the constructor's <c>initial</c>).</summary>
    public Bme280Environment Baseline { get; }

    /// <summary>The environment behind the data registers' current values, or null before the first measurement.</summary>
    public Bme280Environment? LastMeasured { get; private set; }

    /// <summary>How many measurements completed (forced or normal-mode cycles).</summary>
    public int MeasurementCount { get; private set; }

    /// <summary>§6.2.1: multi-byte writes are address/data pairs; there is no auto-increment when writing.</summary>
    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        Pointer = data[0];
        for (var i = 0; i + 1 < data.Length; i += 2)
            WriteRegister(data[i], data[i + 1]);
    }

    /// <inheritdoc/>
    protected override void OnBeforeRead() => Advance();

    /// <inheritdoc/>
    protected override byte ReadRegister(byte register) => register switch
    {
        ChipIdRegister => ChipId,
        >= CalibrationLow and <= CalibrationLowEnd => _calibration[register],
        >= CalibrationHigh and <= CalibrationHighEnd => _calibration[register],
        CtrlHum => _ctrlHum,
        Status => StatusByte(),
        CtrlMeas => _ctrlMeas,
        Config => _config,
        >= DataStart => _data[register - DataStart],
        _ => 0x00,
    };

    /// <inheritdoc/>
    protected override void WriteRegister(byte register, byte value)
    {
        Advance();
        switch (register)
        {
            case ResetRegister when value == ResetCommand:
                Reset();
                break;
            case CtrlHum:
                _ctrlHum = (byte)(value & 0x07);
                break;
            case CtrlMeas:
                // §5.4.3: a ctrl_hum change takes effect only after a write to ctrl_meas.
                _ctrlHumLatched = _ctrlHum;
                _ctrlMeas = value;
                StartMode();
                break;
            case Config:
                _config = (byte)(value & 0xFD); // bit 1 is reserved (§5.4.6)
                break;
        }
    }

    private int Mode => _ctrlMeas & 0x03;

    private byte StatusByte()
    {
        // §5.4.4: bit 3 measuring; bit 0 im_update (NVM copy, done long before anyone reads it here).
        var measuring = _measurementDue >= 0 || (Mode == 3 && InNormalConversion());
        return (byte)(measuring ? 0x08 : 0x00);
    }

    private void Reset()
    {
        _ctrlHum = _ctrlHumLatched = _ctrlMeas = _config = 0;
        _measurementDue = -1;
        ResetData();
    }

    private void ResetData()
    {
        // §5.3: data registers reset to 0x80000 for temperature and pressure, 0x8000 for humidity ("skipped" values).
        ReadOnlySpan<byte> reset = [0x80, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0x00];
        reset.CopyTo(_data);
        LastMeasured = null;
    }

    private void StartMode()
    {
        var now = _time.GetTimestamp();
        switch (Mode)
        {
            case 1 or 2: // forced (§3.3.3): one measurement, then back to sleep
                _measurementDue = now + MeasurementTicks();
                break;
            case 3: // normal (§3.3.4): measure, stand by, repeat
                _measurementDue = -1;
                _normalCycleStart = now;
                _normalCyclesDone = 0;
                break;
            default:
                _measurementDue = -1;
                break;
        }
    }

    /// <summary>Latches any measurement that has completed by now.</summary>
    private void Advance()
    {
        var now = _time.GetTimestamp();
        if (_measurementDue >= 0 && now >= _measurementDue)
        {
            Measure(_measurementDue);
            _measurementDue = -1;
            _ctrlMeas &= 0xFC; // forced mode returns to sleep after the measurement (§3.3.3)
        }
        if (Mode == 3 && now - _normalCycleStart >= MeasurementTicks())
        {
            var cycles = (now - _normalCycleStart - MeasurementTicks()) / CycleTicks() + 1;
            if (cycles > _normalCyclesDone)
            {
                _normalCyclesDone = cycles;
                Measure(_normalCycleStart + ((cycles - 1) * CycleTicks()) + MeasurementTicks());
            }
        }
    }

    private bool InNormalConversion() => (_time.GetTimestamp() - _normalCycleStart) % CycleTicks() < MeasurementTicks();

    private long CycleTicks() => MeasurementTicks() + StandbyTicks();

    /// <summary>§9.1 (appendix B): t_measure,max = 1.25 + 2.3·T + (2.3·P + 0.575) + (2.3·H + 0.575) ms.</summary>
    private long MeasurementTicks()
    {
        var t = Oversampling(_ctrlMeas >> 5);
        var p = Oversampling((_ctrlMeas >> 2) & 0x07);
        var h = Oversampling(_ctrlHumLatched & 0x07);
        var ms = 1.25 + (2.3 * t) + (p > 0 ? (2.3 * p) + 0.575 : 0) + (h > 0 ? (2.3 * h) + 0.575 : 0);
        return (long)(ms / 1000 * _time.TimestampFrequency);
    }

    /// <summary>§5.4.6 t_sb: 0.5, 62.5, 125, 250, 500, 1000, 10, 20 ms.</summary>
    private long StandbyTicks()
    {
        ReadOnlySpan<double> ms = [0.5, 62.5, 125, 250, 500, 1000, 10, 20];
        return (long)(ms[_config >> 5] / 1000 * _time.TimestampFrequency);
    }

    /// <summary>§5.4.3/5.4.5 osrs_x: 000 skipped, 001 ×1, 010 ×2, 011 ×4, 100 ×8, others ×16.</summary>
    private static int Oversampling(int bits) => bits == 0 ? 0 : Math.Min(1 << (bits - 1), 16);
}
