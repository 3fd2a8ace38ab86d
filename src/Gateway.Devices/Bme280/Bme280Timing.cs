using System.Globalization;
using Gateway.Devices.Pacing;

namespace Gateway.Devices.Bme280;

/// <summary>How fast a BME280 can deliver new measurements with given settings (datasheet §3.3, §5.4.6, §9).</summary>
internal static class Bme280Timing
{
    /// <summary>§5.4.6 table 27: t_sb, the standby between normal-mode measurements.</summary>
    public static TimeSpan Standby(Bme280Standby standby) => TimeSpan.FromMilliseconds(standby switch
    {
        Bme280Standby.Ms0_5 => 0.5,
        Bme280Standby.Ms62_5 => 62.5,
        Bme280Standby.Ms125 => 125,
        Bme280Standby.Ms250 => 250,
        Bme280Standby.Ms500 => 500,
        Bme280Standby.Ms1000 => 1000,
        Bme280Standby.Ms10 => 10,
        Bme280Standby.Ms20 => 20,
        _ => throw new ArgumentOutOfRangeException(nameof(standby), standby, "t_sb is three bits (§5.4.6)."),
    });

    /// <summary>
    /// The fastest useful sampling rate. Forced mode: one measurement per sample, each taking up to the §9.1 maximum
    /// measurement time, which the source waits out. Normal mode: the part measures every t_measure + t_standby
    /// (§3.3.4, appendix B §9: ODR = 1 / (t_measure + t_standby)); reading faster returns the same measurement again
    /// with a new timestamp.
    /// </summary>
    public static RateLimit MaxRate(Bme280Driver driver, bool normalMode)
    {
        ArgumentNullException.ThrowIfNull(driver);
        var measure = driver.MaxMeasurementTime;
        var oversampling = string.Create(CultureInfo.InvariantCulture,
            $"temperature ×{Factor(driver.TemperatureOversampling)}, pressure ×{Factor(driver.PressureOversampling)}, humidity ×{Factor(driver.HumidityOversampling)}");
        if (!normalMode)
        {
            return new RateLimit(TimeSpan.FromSeconds(1) / measure, string.Create(CultureInfo.InvariantCulture,
                $"a forced measurement at oversampling {oversampling} takes up to {measure.TotalMilliseconds:0.##} ms (BME280 datasheet §9.1); for faster sampling lower the oversampling in the profile and send reload-config"));
        }
        var standby = Standby(driver.Standby);
        var period = measure + standby;
        return new RateLimit(TimeSpan.FromSeconds(1) / period, string.Create(CultureInfo.InvariantCulture,
            $"in normal mode the part measures every {period.TotalMilliseconds:0.##} ms ({measure.TotalMilliseconds:0.##} ms at oversampling {oversampling} + standbyMs {standby.TotalMilliseconds:0.##}; BME280 datasheet §3.3.4, §9) and faster readings would repeat a measurement; lower standbyMs in the profile and send reload-config"));
    }

    /// <summary>§5.4.3: the oversampling factor of an osrs_x setting (0 = skipped).</summary>
    public static int Factor(Bme280Oversampling oversampling) => oversampling == Bme280Oversampling.Skipped ? 0 : Math.Min(1 << ((int)oversampling - 1), 16);
}
