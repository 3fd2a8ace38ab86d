namespace Gateway.Hardware.Simulation.Bme280;

/// <summary>
/// The model's calibration constants and the datasheet compensation run backwards. The forward routines are copied
/// from BST-BME280-DS002 §4.2.3 / §8.2 on purpose instead of shared with the driver: the simulation stays an
/// independent reading of the datasheet, and the driver's own datasheet-vector tests pin the driver's copy.
/// </summary>
internal static class Bme280ModelMath
{
    // dig_T1..T3 and dig_P1..P9 are the datasheet's worked example (BMP280 datasheet §3.12, same trimming layout);
    // dig_H1..H6 are typical values read from production parts.
    internal const ushort T1 = 27504;
    internal const short T2 = 26435, T3 = -1000;
    internal const ushort P1 = 36477;
    internal const short P2 = -10685, P3 = 3024, P4 = 2855, P5 = 140, P6 = -7, P7 = 15500, P8 = -14600, P9 = 6000;
    internal const byte H1 = 75, H3 = 0;
    internal const short H2 = 362, H4 = 313, H5 = 50;
    internal const sbyte H6 = 30;

    /// <summary>The smallest raw temperature whose compensated value is closest to <paramref name="celsius"/>.</summary>
    public static int InvertTemperature(double celsius, out int tFine)
    {
        var target = (int)Math.Round(celsius * 100);
        var adc = Search(0, (1 << 20) - 1, a => CompensateT(a, out _), target, increasing: true);
        CompensateT(adc, out tFine);
        return adc;
    }

    public static int InvertPressure(double pascal, int tFine)
    {
        var target = (long)Math.Round(pascal * 256);
        return Search(0, (1 << 20) - 1, a => CompensateP(a, tFine), target, increasing: false);
    }

    public static int InvertHumidity(double percent, int tFine)
    {
        var target = (long)Math.Round(percent * 1024);
        return Search(0, (1 << 16) - 1, a => CompensateH(a, tFine), target, increasing: true);
    }

    /// <summary>Binary search over a monotonic function, then the better of the two neighbours around the target.</summary>
    private static int Search(int low, int high, Func<int, long> f, long target, bool increasing)
    {
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            var value = f(mid);
            if (increasing ? value < target : value > target) low = mid + 1;
            else high = mid;
        }
        if (low > 0 && Math.Abs(f(low - 1) - target) <= Math.Abs(f(low) - target)) return low - 1;
        return low;
    }

    // §4.2.3 BME280_compensate_T_int32: temperature in 0.01 °C; t_fine carries it to P and H.
    internal static long CompensateT(int adcT, out int tFine)
    {
        var var1 = (((adcT >> 3) - (T1 << 1)) * T2) >> 11;
        var var2 = (((((adcT >> 4) - T1) * ((adcT >> 4) - T1)) >> 12) * T3) >> 14;
        tFine = var1 + var2;
        return ((tFine * 5) + 128) >> 8;
    }

    // §4.2.3 BME280_compensate_P_int64: pressure in Pa as Q24.8.
    internal static long CompensateP(int adcP, int tFine)
    {
        long var1 = tFine - 128000L;
        var var2 = var1 * var1 * P6;
        var2 += (var1 * P5) << 17;
        var2 += (long)P4 << 35;
        var1 = ((var1 * var1 * P3) >> 8) + ((var1 * P2) << 12);
        var1 = ((1L << 47) + var1) * P1 >> 33;
        if (var1 == 0) return 0;
        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = (P9 * (p >> 13) * (p >> 13)) >> 25;
        var2 = (P8 * p) >> 19;
        return ((p + var1 + var2) >> 8) + ((long)P7 << 4);
    }

    // §4.2.3 bme280_compensate_H_int32: relative humidity in % as Q22.10.
    internal static long CompensateH(int adcH, int tFine)
    {
        var v = tFine - 76800;
        v = ((((adcH << 14) - (H4 << 20) - (H5 * v)) + 16384) >> 15)
            * (((((((v * H6) >> 10) * (((v * H3) >> 11) + 32768)) >> 10) + 2097152) * H2 + 8192) >> 14);
        v -= ((((v >> 15) * (v >> 15)) >> 7) * H1) >> 4;
        v = Math.Clamp(v, 0, 419430400);
        return v >> 12;
    }

    /// <summary>Writes the calibration into a 256-byte register image (§5.3; dig_H4/H5 share 0xE5 as nibbles).</summary>
    internal static void Write(Span<byte> registers)
    {
        Put(registers, 0x88, T1); Put(registers, 0x8A, T2); Put(registers, 0x8C, T3);
        Put(registers, 0x8E, P1); Put(registers, 0x90, P2); Put(registers, 0x92, P3);
        Put(registers, 0x94, P4); Put(registers, 0x96, P5); Put(registers, 0x98, P6);
        Put(registers, 0x9A, P7); Put(registers, 0x9C, P8); Put(registers, 0x9E, P9);
        registers[0xA1] = H1;
        Put(registers, 0xE1, H2);
        registers[0xE3] = H3;
        registers[0xE4] = (byte)(H4 >> 4);                          // dig_H4[11:4]
        registers[0xE5] = (byte)((H4 & 0x0F) | ((H5 & 0x0F) << 4)); // dig_H4[3:0] | dig_H5[3:0] << 4
        registers[0xE6] = (byte)(H5 >> 4);                          // dig_H5[11:4]
        registers[0xE7] = (byte)H6;
    }

    private static void Put(Span<byte> registers, int address, int value)
    {
        registers[address] = (byte)value;      // little-endian: LSB at the lower address (§4.2.2 table 16)
        registers[address + 1] = (byte)(value >> 8);
    }
}
