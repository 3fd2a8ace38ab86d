namespace Gateway.Devices.Ina219;

/// <summary>
/// The calibration of §8.5.1 ("Programming the Calibration Register"), from the shunt resistance and the largest
/// current expected: Current_LSB = Maximum Expected Current / 2^15, Cal = trunc(0.04096 / (Current_LSB × R_SHUNT)),
/// Power_LSB = 20 × Current_LSB. Because Cal is truncated (and its bit 0 is always 0, §8.6.3.6), the LSBs used to
/// convert the registers are those the chip effectively applies: Current_LSB = 0.04096 / (Cal × R_SHUNT).
/// </summary>
public sealed record Ina219Calibration(double ShuntOhms, double MaxCurrentAmps, ushort Value, double CurrentLsbAmps, double PowerLsbWatts)
{
    /// <summary>0.04096 is the internally fixed value of §8.5.1 equation 1, which sets the scaling.</summary>
    private const double ScaleConstant = 0.04096;

    /// <summary>
    /// Works out the calibration register for <paramref name="shuntOhms"/> and <paramref name="maxCurrentAmps"/>.
    /// Throws <see cref="ArgumentException"/> when that current drops more than the <paramref name="range"/>'s full
    /// scale across the shunt (it would clip), or when the value does not fit the 16-bit register or rounds to 0; the
    /// agent calls it while validating the profile, so a bad shunt setting stops start-up with that message.
    /// </summary>
    public static Ina219Calibration Create(double shuntOhms, double maxCurrentAmps, Ina219ShuntRange range)
    {
        if (!double.IsFinite(shuntOhms) || shuntOhms <= 0) throw new ArgumentOutOfRangeException(nameof(shuntOhms), shuntOhms, "The shunt resistance must be a positive number of ohms.");
        if (!double.IsFinite(maxCurrentAmps) || maxCurrentAmps <= 0) throw new ArgumentOutOfRangeException(nameof(maxCurrentAmps), maxCurrentAmps, "The maximum current must be a positive number of amperes.");
        var fullScale = 0.04 * (1 << (int)range);
        if (maxCurrentAmps * shuntOhms > fullScale + 1e-12)
        {
            throw new ArgumentException(
                $"{maxCurrentAmps} A through {shuntOhms} Ω is {maxCurrentAmps * shuntOhms * 1000:F1} mV, beyond the ±{fullScale * 1000:F0} mV shunt range; use a larger shunt range or a smaller shunt.");
        }
        var currentLsb = maxCurrentAmps / 32768;
        var cal = Math.Truncate(ScaleConstant / (currentLsb * shuntOhms));
        if (cal > 0xFFFE)
            throw new ArgumentException($"calibration {cal} does not fit the 16-bit register: the maximum current {maxCurrentAmps} A is too small for a {shuntOhms} Ω shunt.");
        var value = (ushort)((ushort)cal & 0xFFFE);
        if (value == 0) throw new ArgumentException($"calibration rounds to 0: {maxCurrentAmps} A through {shuntOhms} Ω is too coarse.");
        var effective = ScaleConstant / (value * shuntOhms);
        return new Ina219Calibration(shuntOhms, maxCurrentAmps, value, effective, 20 * effective);
    }
}
