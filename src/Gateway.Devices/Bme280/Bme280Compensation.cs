namespace Gateway.Devices.Bme280;

/// <summary>
/// The datasheet's integer compensation (BST-BME280-DS002 §4.2.3, repeated in §8.2), kept verbatim apart from C#
/// syntax: arithmetic right shifts of signed values and truncating division behave as in the reference C on every
/// platform Bosch supports. Pure functions, tested against the worked example.
/// </summary>
internal static class Bme280Compensation
{
    /// <summary>BME280_compensate_T_int32: temperature in 0.01 °C ("5123" = 51.23 °C); also returns t_fine.</summary>
    public static int CompensateTemperature(Bme280Calibration c, int adcT, out int tFine)
    {
        ArgumentNullException.ThrowIfNull(c);
        var var1 = (((adcT >> 3) - (c.T1 << 1)) * c.T2) >> 11;
        var var2 = (((((adcT >> 4) - c.T1) * ((adcT >> 4) - c.T1)) >> 12) * c.T3) >> 14;
        tFine = var1 + var2;
        return ((tFine * 5) + 128) >> 8;
    }

    /// <summary>BME280_compensate_P_int64: pressure in Pa as Q24.8 ("24674867" = 24674867/256 = 96386.2 Pa).</summary>
    public static uint CompensatePressure(Bme280Calibration c, int adcP, int tFine)
    {
        ArgumentNullException.ThrowIfNull(c);
        long var1 = tFine - 128000L;
        var var2 = var1 * var1 * c.P6;
        var2 += (var1 * c.P5) << 17;
        var2 += (long)c.P4 << 35;
        var1 = ((var1 * var1 * c.P3) >> 8) + ((var1 * c.P2) << 12);
        var1 = ((1L << 47) + var1) * c.P1 >> 33;
        if (var1 == 0) return 0; // avoid a division by zero (§4.2.3)
        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = (c.P9 * (p >> 13) * (p >> 13)) >> 25;
        var2 = (c.P8 * p) >> 19;
        p = ((p + var1 + var2) >> 8) + ((long)c.P7 << 4);
        return (uint)p;
    }

    /// <summary>bme280_compensate_H_int32: relative humidity in % as Q22.10 ("47445" = 47445/1024 = 46.333 %RH).</summary>
    public static uint CompensateHumidity(Bme280Calibration c, int adcH, int tFine)
    {
        ArgumentNullException.ThrowIfNull(c);
        var v = tFine - 76800;
        v = ((((adcH << 14) - (c.H4 << 20) - (c.H5 * v)) + 16384) >> 15)
            * (((((((v * c.H6) >> 10) * (((v * c.H3) >> 11) + 32768)) >> 10) + 2097152) * c.H2 + 8192) >> 14);
        v -= ((((v >> 15) * (v >> 15)) >> 7) * c.H1) >> 4;
        v = v < 0 ? 0 : v;
        v = v > 419430400 ? 419430400 : v;
        return (uint)(v >> 12);
    }
}
