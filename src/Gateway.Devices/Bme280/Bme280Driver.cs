using Gateway.Hardware.I2c;

namespace Gateway.Devices.Bme280;

/// <summary>
/// Bosch BME280 humidity/pressure/temperature sensor on I2C (BST-BME280-DS002). Used in forced mode (§3.3.3): one
/// measurement per request, asleep in between, which is the datasheet's recommendation for weather monitoring (§3.5.1)
/// and keeps self-heating negligible. Every wait (reset, conversion, status polls) is a delay on the caller's
/// <see cref="TimeProvider"/>, never a blocked thread. Not thread-safe: one caller at a time.
/// </summary>
public sealed class Bme280Driver
{
    /// <summary>§5.4.1: the chip id register reads 0x60 on a BME280 (a BMP280 reads 0x56..0x58).</summary>
    public const byte ExpectedChipId = 0x60;

    /// <summary>§5.4.2: writing 0xB6 to the reset register performs a power-on reset.</summary>
    private const byte SoftResetCommand = 0xB6;

    /// <summary>Bound on status polls, so a stuck or absent part becomes an error instead of a hang.</summary>
    private const int MaxStatusPolls = 50;

    /// <summary>Between status polls: a conversion step is 2.3 ms at ×1 (§9.1), the NVM copy after reset about as long.</summary>
    private static readonly TimeSpan StatusPollInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>§5.3: a skipped channel leaves its reset value in the data registers.</summary>
    private const int SkippedAdc20 = 0x80000, SkippedAdc16 = 0x8000;

    private readonly I2cDevice _device;
    private Bme280Calibration? _calibration;

    internal Bme280Driver(I2cDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
    }

    /// <summary>Oversampling per channel; ×1 each with the filter off is §3.5.1's weather-monitoring setting.</summary>
    internal Bme280Oversampling TemperatureOversampling { get; init; } = Bme280Oversampling.X1;
    internal Bme280Oversampling PressureOversampling { get; init; } = Bme280Oversampling.X1;
    internal Bme280Oversampling HumidityOversampling { get; init; } = Bme280Oversampling.X1;
    internal Bme280Filter Filter { get; init; } = Bme280Filter.Off;

    /// <summary>Normal mode's standby between measurements (§3.3.4, t_sb); ignored in forced mode.</summary>
    internal Bme280Standby Standby { get; init; } = Bme280Standby.Ms1000;

    /// <summary>The calibration read by <see cref="InitializeAsync"/>.</summary>
    internal Bme280Calibration Calibration =>
        _calibration ?? throw new InvalidOperationException("Call Initialize() before reading the BME280.");

    /// <summary>
    /// §9.1 (appendix B) maximum measurement time for the configured oversampling:
    /// 1.25 + 2.3·T + (2.3·P + 0.575) + (2.3·H + 0.575) ms, each pressure/humidity term only when enabled.
    /// </summary>
    internal TimeSpan MaxMeasurementTime
    {
        get
        {
            static double Factor(Bme280Oversampling o) => o == 0 ? 0 : Math.Min(1 << ((int)o - 1), 16);
            var p = Factor(PressureOversampling);
            var h = Factor(HumidityOversampling);
            var ms = 1.25 + (2.3 * Factor(TemperatureOversampling)) + (p > 0 ? (2.3 * p) + 0.575 : 0) + (h > 0 ? (2.3 * h) + 0.575 : 0);
            // Rounded up to whole milliseconds: Task.Delay truncates to milliseconds, and waiting 9 ms for a 9.3 ms
            // conversion would find the measuring bit still set.
            return TimeSpan.FromMilliseconds(Math.Ceiling(ms));
        }
    }

    /// <summary>
    /// Checks the chip id, soft-resets the part, waits for the NVM copy and reads the calibration (the order of Bosch's
    /// reference driver, bme280_init), then writes the filter setting while asleep (§5.4.6: config writes may be
    /// ignored in normal mode). Throws <see cref="IOException"/> when no BME280 answers.
    /// </summary>
    internal async Task InitializeAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var id = _device.ReadRegister((byte)Bme280Register.ChipId);
        if (id != ExpectedChipId)
        {
            throw new IOException(
                $"no BME280 at {_device.Settings}: chip id 0x{id:X2} (expected 0x{ExpectedChipId:X2}); check wiring/address (0x76 with SDO to GND, 0x77 with SDO to VDDIO).");
        }
        _device.WriteRegister((byte)Bme280Register.Reset, SoftResetCommand);
        await WaitWhileAsync(static s => s.ImUpdate, "copying its calibration from NVM after reset", time, cancellationToken).ConfigureAwait(false);
        ReadCalibration();
    }

    private void ReadCalibration()
    {

        Span<byte> low = stackalloc byte[Bme280Calibration.LowBlockLength];
        Span<byte> high = stackalloc byte[Bme280Calibration.HighBlockLength];
        _device.WriteRead([(byte)Bme280Register.CalibrationLow], low);
        _device.WriteRead([(byte)Bme280Register.CalibrationHigh], high);
        _calibration = Bme280Calibration.Parse(low, high);

        _device.WriteRegister((byte)Bme280Register.Config, new Bme280Config(Bme280Standby.Ms0_5, Filter).ToByte());
    }

    /// <summary>Starts one forced-mode measurement; the result is ready after at most <see cref="MaxMeasurementTime"/>.</summary>
    internal void TriggerForced()
    {
        _ = Calibration;
        // §5.4.3: ctrl_hum takes effect only after the following ctrl_meas write, so it goes first.
        _device.WriteRegister((byte)Bme280Register.CtrlHum, new Bme280CtrlHum(HumidityOversampling).ToByte());
        var ctrlMeas = new Bme280CtrlMeas(TemperatureOversampling, PressureOversampling, Bme280Mode.Forced);
        _device.WriteRegister((byte)Bme280Register.CtrlMeas, ctrlMeas.ToByte());
    }

    /// <summary>Triggers a measurement, waits on <paramref name="time"/> until it is done, reads and compensates it.</summary>
    internal async Task<Bme280Measurement> ReadForcedAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        TriggerForced();
        await Task.Delay(MaxMeasurementTime, time, cancellationToken).ConfigureAwait(false);
        return await ReadResultAsync(time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts normal mode (§3.3.4): the part measures, stands by for <see cref="Standby"/>, and repeats on its own.
    /// The config register is written first, while the part still sleeps (§5.4.6: config writes in normal mode may be
    /// ignored), then ctrl_hum, then ctrl_meas (§5.4.3 order).
    /// </summary>
    internal void StartNormal()
    {
        _ = Calibration;
        _device.WriteRegister((byte)Bme280Register.Config, new Bme280Config(Standby, Filter).ToByte());
        _device.WriteRegister((byte)Bme280Register.CtrlHum, new Bme280CtrlHum(HumidityOversampling).ToByte());
        _device.WriteRegister((byte)Bme280Register.CtrlMeas, new Bme280CtrlMeas(TemperatureOversampling, PressureOversampling, Bme280Mode.Normal).ToByte());
    }

    /// <summary>
    /// In normal mode, the latest completed measurement. No status wait: the data registers are shadowed during a
    /// conversion, so a burst read always returns one consistent measurement (§4, "data register shadowing").
    /// </summary>
    internal Bme280Measurement ReadLatest() => ReadData(Calibration);

    /// <summary>Waits (bounded, on <paramref name="time"/>) for the measuring bit to clear, burst-reads 0xF7..0xFE and compensates.</summary>
    internal async Task<Bme280Measurement> ReadResultAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var calibration = Calibration;
        await WaitWhileAsync(static s => s.Measuring, "measuring", time, cancellationToken).ConfigureAwait(false);
        return ReadData(calibration);
    }

    private Bme280Measurement ReadData(Bme280Calibration calibration)
    {
        // One burst read of all data registers, so that the values belong to one measurement (§4 "data readout").
        Span<byte> data = stackalloc byte[8];
        _device.WriteRead([(byte)Bme280Register.PressMsb], data);
        var adcP = (data[0] << 12) | (data[1] << 4) | (data[2] >> 4);
        var adcT = (data[3] << 12) | (data[4] << 4) | (data[5] >> 4);
        var adcH = (data[6] << 8) | data[7];

        if (adcT == SkippedAdc20) return new Bme280Measurement(double.NaN, double.NaN, double.NaN); // P and H need t_fine
        var t = Bme280Compensation.CompensateTemperature(calibration, adcT, out var tFine);
        var p = adcP == SkippedAdc20 ? double.NaN : Bme280Compensation.CompensatePressure(calibration, adcP, tFine) / 25600.0;
        var h = adcH == SkippedAdc16 ? double.NaN : Bme280Compensation.CompensateHumidity(calibration, adcH, tFine) / 1024.0;
        return new Bme280Measurement(t / 100.0, h, p);
    }

    /// <summary>Polls the status register once a millisecond (a delay on <paramref name="time"/>) while <paramref name="busy"/>, at most <see cref="MaxStatusPolls"/> times.</summary>
    private async Task WaitWhileAsync(Func<Bme280Status, bool> busy, string what, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var poll = 0; poll < MaxStatusPolls; poll++)
        {
            if (!busy(Bme280Status.FromByte(_device.ReadRegister((byte)Bme280Register.Status)))) return;
            await Task.Delay(StatusPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
        throw new IOException(
            $"BME280 at {_device.Settings} is still {what} after {MaxStatusPolls} status polls; power-cycle the sensor and check its supply.");
    }
}
