using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Gateway.Devices.NmeaGps;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>
/// The decoder reads and writes numbers by hand on its hot path (NmeaParse's exact decimal fast path, GpsdJsonWriter's
/// fixed-point, integer and time forms), each falling back to .NET's general parser or formatter where it could
/// differ. These hold that the bytes are exactly what .NET's Utf8Parser and 'F' format give, for random text and
/// values and for the hard cases: rounding ties, negative zero, values too large for the fast path, exponents, signs.
/// </summary>
public sealed class NmeaNumberTextTests
{
    private static readonly string[] HardDecimals =
    [
        "0", "-0", "-0.0", "0.0", "00.5", "1.", ".5", "+1.5", "1e3", "1E-2", "-", ".", "1.2.3", "--1", "1-", "0x10",
        "123456789012345", "1234567890123456", "1234567890.12345", "1234567890.123456", "0.000000000000000000001",
        "9007199254740993", "17976931348623157000000000000000000000",
        "545.4", "-29.5", "83.1", "0.54", "4807.038", "12237.61382", "1e400", "NaN", "Infinity", " 1", "1 ",
    ];

    [Fact]
    public void GgaDecimalFields_ReadExactlyAsUtf8ParserReadsThem_RandomAndHardText()
    {
        var random = new Random(16);
        var texts = HardDecimals.Concat(Enumerable.Range(0, 20_000).Select(_ => RandomDecimalText(random)));
        foreach (var text in texts)
        {
            var parsed = ParseGgaAltitude(text, out var altitude);
            if (text.Length == 0)
            {
                Assert.True(parsed && altitude is null, "an empty field is an absent value");
                continue;
            }
            var expected = Utf8Parser.TryParse(Encoding.ASCII.GetBytes(text), out double value, out var consumed)
                && consumed == text.Length && double.IsFinite(value);
            Assert.True(expected == parsed, $"'{text}': parsed {parsed}, Utf8Parser {expected}");
            if (expected) Assert.True(BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(altitude!.Value), $"'{text}': {altitude:R} != {value:R}");
        }
    }

    [Fact]
    public void GgaIntegerFields_ReadExactlyAsUtf8ParserReadsThem_RandomAndHardText()
    {
        var random = new Random(16);
        string[] hard = ["0", "-0", "+7", "007", "999999999", "-999999999", "2147483647", "2147483648", "-2147483648", "1.0", "1e2", "-", ""];
        var texts = hard.Concat(Enumerable.Range(0, 5_000).Select(_ => RandomIntegerText(random)));
        foreach (var text in texts)
        {
            var sentence = $"GPGGA,123519,4807.038,N,01131.000,E,1,{text},0.9,545.4,M,46.9,M,,";
            var parsed = TryParseGga(sentence, out var gga);
            var expected = text.Length == 0 || (Utf8Parser.TryParse(Encoding.ASCII.GetBytes(text), out int value, out var consumed) && consumed == text.Length);
            Assert.True(expected == parsed, $"'{text}': parsed {parsed}, Utf8Parser {expected}");
            if (expected && text.Length > 0) Assert.Equal(int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), gga.Satellites);
        }
    }

    [Fact]
    public void Tpv_Numbers_AreDotNetsFixedPointFormat_RandomValuesTiesAndNegativeZeros()
    {
        var random = new Random(16);
        var values = HardValues().Concat(Enumerable.Range(0, 20_000).Select(_ => RandomValue(random)));
        foreach (var v in values)
        {
            var fix = new NmeaFix
            {
                Mode = 3,
                Latitude = v,
                AltitudeMsl = v,
                SpeedMetersPerSecond = v,
                Estimates = new NmeaErrors(null, null, null, null, null, null, v, null),
            };
            var line = Write(b => GpsdJsonWriter.WriteTpv(b, fix));
            var expected = $"{{\"class\":\"TPV\",\"mode\":3,\"lat\":{F(v, 9)},\"altMSL\":{F(v, 4)},\"speed\":{F(v, 3)},\"eps\":{F(v, 2)}}}\n";
            Assert.True(expected == line, $"{v:R}: {line} != {expected}");
        }
    }

    [Fact]
    public void Sky_IntegersAndTime_AreDotNetsFormats()
    {
        var random = new Random(16);
        for (var i = 0; i < 5_000; i++)
        {
            var utc = new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), TimeSpan.Zero);
            var seen = random.Next(3) switch { 0 => random.Next(10), 1 => random.Next(2000), _ => random.Next(int.MinValue, int.MaxValue) };
            var satellite = new NmeaSatellite(GnssSystem.Gps, (short)random.Next(short.MinValue, short.MaxValue), (sbyte)random.Next(-128, 128),
                (short)random.Next(-1000, 1000), (sbyte)random.Next(0, 128), Used: true);
            var fix = new NmeaFix { UtcTime = utc, SatellitesSeen = seen };
            var line = Write(b => GpsdJsonWriter.WriteSky(b, fix, [satellite]));
            var time = utc.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);
            var expected = $"{{\"class\":\"SKY\",\"time\":\"{time}\",\"nSat\":{I(seen)},\"satellites\":[{{\"PRN\":{I(satellite.Prn)},\"el\":{I(satellite.Elevation!.Value)}," +
                $"\"az\":{I(satellite.Azimuth!.Value)},\"ss\":{I(satellite.Snr!.Value)},\"used\":true,\"gnssid\":0}}]}}\n";
            Assert.Equal(expected, line);
        }
    }

    private static IEnumerable<double> HardValues()
    {
        double[] fixedOnes = [0, -0.0, 0.125, -0.125, 0.5, 1.5, 2.5, -2.5, 0.0005, -0.0005, 1e-12, -1e-12, 0.00049999999, -0.0049,
            123.4564999999, 45.123456789, -121.3141, 1127.7, 9999.9, 1099511627776, 1e12, -1e12, 1e15, -1e17, double.Epsilon, -double.Epsilon];
        foreach (var v in fixedOnes) yield return v;
        // Values at and beside each decimal count's rounding ties.
        foreach (var decimals in new[] { 2, 3, 4, 9 })
        {
            for (var k = 0; k < 50; k++)
            {
                var tie = (k + 0.5) / Math.Pow(10, decimals);
                yield return tie;
                yield return -tie;
                yield return Math.BitIncrement(tie);
                yield return Math.BitDecrement(tie);
                yield return (k * 7.3) + tie;
            }
        }
    }

    private static double RandomValue(Random random) => random.Next(4) switch
    {
        0 => (random.NextDouble() * 360) - 180,
        1 => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 16)),
        2 => Math.Round((random.NextDouble() - 0.5) * 2000, random.Next(0, 6)),
        _ => BitConverter.Int64BitsToDouble(random.NextInt64()) is var d && Math.Abs(d) < 1e17 ? d : 1, // within the line's 512 bytes
    };

    private static string RandomDecimalText(Random random)
    {
        const string alphabet = "0123456789";
        var text = new StringBuilder();
        if (random.Next(4) == 0) text.Append(random.Next(3) == 0 ? '+' : '-');
        for (var i = random.Next(0, 19); i > 0; i--) text.Append(alphabet[random.Next(10)]);
        if (random.Next(3) != 0)
        {
            text.Append('.');
            for (var i = random.Next(0, 19); i > 0; i--) text.Append(alphabet[random.Next(10)]);
        }
        if (random.Next(20) == 0) text.Append('e').Append(random.Next(-30, 30));
        return text.ToString();
    }

    private static string RandomIntegerText(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(4) == 0) text.Append(random.Next(3) == 0 ? '+' : '-');
        for (var i = random.Next(0, 12); i > 0; i--) text.Append((char)('0' + random.Next(10)));
        return text.ToString();
    }

    private static bool ParseGgaAltitude(string text, out double? altitude)
    {
        var parsed = TryParseGga($"GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,{text},M,46.9,M,,", out var gga);
        altitude = gga.AltitudeMsl;
        return parsed;
    }

    private static bool TryParseGga(string body, out GgaSentence gga)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(NmeaCommand.Frame(body)));
        Assert.True(NmeaSentenceReader.TryRead(ref reader, out var sentence), body);
        return GgaSentence.TryParse(sentence, out gga);
    }

    private static string Write(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    private static string F(double v, byte decimals)
    {
        Span<byte> text = stackalloc byte[400];
        Assert.True(Utf8Formatter.TryFormat(v, text, out var written, new StandardFormat('F', decimals)));
        return Encoding.ASCII.GetString(text[..written]);
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
