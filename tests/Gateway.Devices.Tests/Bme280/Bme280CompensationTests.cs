using Gateway.Devices.Bme280;

namespace Gateway.Devices.Tests.Bme280;

public sealed class Bme280CompensationTests
{
    // Bosch's worked example (BMP280 datasheet BST-BMP280-DS001 §3.12, table 16: the BME280 shares the T/P trimming
    // and the integer routines of BST-BME280-DS002 §4.2.3).
    internal static readonly Bme280Calibration Example = new()
    {
        T1 = 27504, T2 = 26435, T3 = -1000,
        P1 = 36477, P2 = -10685, P3 = 3024, P4 = 2855, P5 = 140, P6 = -7, P7 = 15500, P8 = -14600, P9 = 6000,
        H1 = 75, H2 = 362, H3 = 0, H4 = 313, H5 = 50, H6 = 30,
    };

    [Fact]
    public void CompensateTemperature_DatasheetExample_Returns2508AndTFine128422()
    {
        var t = Bme280Compensation.CompensateTemperature(Example, 519888, out var tFine);
        Assert.Equal(2508, t);
        Assert.Equal(128422, tFine);
    }

    [Fact]
    public void CompensatePressure_DatasheetExample_Returns100653Pa()
    {
        Bme280Compensation.CompensateTemperature(Example, 519888, out var tFine);
        var p = Bme280Compensation.CompensatePressure(Example, 415148, tFine);
        // The datasheet's example table gives 100653.27 Pa (its double-precision result). The int64 routine, run by
        // hand with exact integer arithmetic (Python, C semantics), gives 25767233 = 100653.254 Pa; the 25767236
        // quoted in our issue does not follow from the routine, so the test pins the computed value and checks it
        // against the datasheet's figure within the routine's 1/256 Pa step plus the float/int difference.
        Assert.Equal(25767233u, p);
        Assert.Equal(100653.27, p / 256.0, 0.05);
    }

    [Fact]
    public void CompensatePressure_ZeroP1_ReturnsZeroInsteadOfDividingByZero()
    {
        var p = Bme280Compensation.CompensatePressure(Example with { P1 = 0 }, 415148, 128422);
        Assert.Equal(0u, p);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30000)]
    [InlineData(65535)]
    public void CompensateHumidity_AnyRawValue_StaysWithin0To100Percent(int adcH)
    {
        Bme280Compensation.CompensateTemperature(Example, 519888, out var tFine);
        var h = Bme280Compensation.CompensateHumidity(Example, adcH, tFine) / 1024.0;
        Assert.InRange(h, 0, 100);
    }

    [Fact]
    public void CompensateHumidity_RisesWithRawValue()
    {
        Bme280Compensation.CompensateTemperature(Example, 519888, out var tFine);
        var low = Bme280Compensation.CompensateHumidity(Example, 25000, tFine);
        var high = Bme280Compensation.CompensateHumidity(Example, 30000, tFine);
        Assert.True(high > low, $"{high} <= {low}");
    }

    [Fact]
    public void CalibrationParse_PackedH4H5Nibbles_DecodesBothSigned()
    {
        // 0xE4 = dig_H4[11:4], 0xE5 = dig_H5[3:0] << 4 | dig_H4[3:0], 0xE6 = dig_H5[11:4] (§4.2.2 table 16).
        byte[] low = new byte[Bme280Calibration.LowBlockLength];
        low[0] = 0x70; low[1] = 0x6B; // dig_T1 = 27504
        low[25] = 75;
        byte[] high = [0x6A, 0x01, 0x00, 0x13, 0x29, 0x03, 0x1E];
        var c = Bme280Calibration.Parse(low, high);
        Assert.Equal(27504, c.T1);
        Assert.Equal(75, c.H1);
        Assert.Equal(362, c.H2);
        Assert.Equal((0x13 << 4) | 0x9, c.H4);
        Assert.Equal((0x03 << 4) | 0x2, c.H5);
        Assert.Equal(30, c.H6);

        high[3] = 0xFF; high[4] = 0xFF; high[5] = 0xFF; // -1 in both 12-bit fields
        var negative = Bme280Calibration.Parse(low, high);
        Assert.Equal(-1, negative.H4);
        Assert.Equal(-1, negative.H5);
    }

    [Fact]
    public void CalibrationParse_WrongBlockLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => Bme280Calibration.Parse(new byte[25], new byte[7]));
    }
}
