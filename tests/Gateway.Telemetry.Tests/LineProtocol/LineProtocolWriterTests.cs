using System.Buffers;
using Gateway.Telemetry.LineProtocol;
using static Gateway.Telemetry.Tests.Support.Segments;

namespace Gateway.Telemetry.Tests.LineProtocol;

public class LineProtocolWriterTests
{
    private static string Write(Action<LineProtocolWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new LineProtocolWriter(buffer));
        return Text(buffer.WrittenSpan);
    }

    // Every special character at the start, middle and end, plus backslashes next to them (line-protocol reference,
    // "Special characters" and "Escaping backslashes").
    [Theory]
    [InlineData("a,b", @"a\,b")]
    [InlineData(",a", @"\,a")]
    [InlineData("a,", @"a\,")]
    [InlineData("a b", @"a\ b")]
    [InlineData(" a", @"\ a")]
    [InlineData("a ", @"a\ ")]
    [InlineData("a=b", "a=b")]
    [InlineData("=", "=")]
    [InlineData("a\"b", "a\"b")]
    [InlineData(@"a\b", @"a\b")]
    [InlineData(@"a\", @"a\\")]
    [InlineData(@"a\\b", @"a\\\b")]
    [InlineData(@"a\,b", @"a\\\,b")]
    [InlineData(@"a\=b", @"a\=b")]
    [InlineData("températur€", "températur€")]
    public void WriteMeasurement_SpecialCharacters_EscapesCommaAndSpaceOnly(string name, string expected)
    {
        Assert.Equal($"{expected} f=1\n", Write(w => { w.WriteMeasurement(name); w.WriteField("f", 1.0); w.EndLine(); }));
    }

    [Theory]
    [InlineData("a,b", @"a\,b")]
    [InlineData(",a", @"\,a")]
    [InlineData("a,", @"a\,")]
    [InlineData("a=b", @"a\=b")]
    [InlineData("=a", @"\=a")]
    [InlineData("a=", @"a\=")]
    [InlineData("a b", @"a\ b")]
    [InlineData(" a", @"\ a")]
    [InlineData("a ", @"a\ ")]
    [InlineData("a\"b", "a\"b")]
    [InlineData(@"a\b", @"a\b")]
    [InlineData(@"a\", @"a\\")]
    [InlineData(@"\=", @"\\\=")]
    [InlineData(@"\\", @"\\\\")]
    [InlineData("#", "#")]
    [InlineData("日本", "日本")]
    public void KeysAndTagValues_SpecialCharacters_EscapeCommaEqualsAndSpace(string text, string expected)
    {
        Assert.Equal($"m,{expected}=v f=1\n", Write(w => { w.WriteMeasurement("m"); w.WriteTag(text, "v"); w.WriteField("f", 1.0); w.EndLine(); }));
        Assert.Equal($"m,k={expected} f=1\n", Write(w => { w.WriteMeasurement("m"); w.WriteTag("k", text); w.WriteField("f", 1.0); w.EndLine(); }));
        Assert.Equal($"m {expected}=1\n", Write(w => { w.WriteMeasurement("m"); w.WriteField(text, 1.0); w.EndLine(); }));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("a\"b", "a\\\"b")]
    [InlineData("\"a", "\\\"a")]
    [InlineData("a\"", "a\\\"")]
    [InlineData(@"a\b", @"a\\b")]
    [InlineData(@"\a", @"\\a")]
    [InlineData(@"a\", @"a\\")]
    [InlineData("a, =b", "a, =b")]
    [InlineData("ünïcødé 😀", "ünïcødé 😀")]
    public void WriteStringField_QuotesAndBackslashes_AreEscaped(string value, string expected)
    {
        Assert.Equal($"m s=\"{expected}\"\n", Write(w => { w.WriteMeasurement("m"); w.WriteStringField("s", value); w.EndLine(); }));
    }

    [Fact]
    public void WriteLine_EveryFieldType_MatchesGoldenLine()
    {
        string line = Write(w =>
        {
            w.WriteMeasurement("env");
            w.WriteTag("gateway", "gw-01");
            w.WriteTag("sensor", "bme280");
            w.WriteField("t", 21.5);
            w.WriteField("n", -42L);
            w.WriteUnsignedField("u", ulong.MaxValue);
            w.WriteField("ok", true);
            w.WriteField("bad", false);
            w.WriteStringField("note", "door \"B\"");
            w.EndLine(1767225600000);
        });
        Assert.Equal("env,gateway=gw-01,sensor=bme280 t=21.5,n=-42i,u=18446744073709551615u,ok=true,bad=false,note=\"door \\\"B\\\"\" 1767225600000\n", line);
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.1, "0.1")]
    [InlineData(-1.5e-7, "-1.5E-07")]
    [InlineData(1e20, "1E+20")]
    [InlineData(-0.0, "-0")]
    [InlineData(double.MaxValue, "1.7976931348623157E+308")]
    [InlineData(double.Epsilon, "5E-324")]
    public void WriteField_Double_UsesShortestRoundTripForm(double value, string expected)
    {
        Assert.Equal($"m f={expected}\n", Write(w => { w.WriteMeasurement("m"); w.WriteField("f", value); w.EndLine(); }));
    }

    [Fact]
    public void WriteRaw_Prefix_ThenTagsAndFields()
    {
        string line = Write(w => { w.WriteRaw("gps,gateway=g"u8); w.WriteTag("sensor", "s"); w.WriteField("lat", 1.0); w.EndLine(-5); });
        Assert.Equal("gps,gateway=g,sensor=s lat=1 -5\n", line);
    }

    [Theory]
    [InlineData("measurement")]
    [InlineData("tag key")]
    [InlineData("tag value")]
    [InlineData("field key")]
    [InlineData("string value")]
    public void Write_LineBreak_ThrowsNamingTheKey(string where)
    {
        foreach (string bad in new[] { "a\nb", "a\rb", "\n", "ab\r" })
        {
            var buffer = new ArrayBufferWriter<byte>();
            var w = new LineProtocolWriter(buffer);
            if (where != "measurement") w.WriteMeasurement("m");
            int before = buffer.WrittenCount;
            var e = Assert.Throws<ArgumentException>(() =>
            {
                switch (where)
                {
                    case "measurement": w.WriteMeasurement(bad); break;
                    case "tag key": w.WriteTag(bad, "v"); break;
                    case "tag value": w.WriteTag("thekey", bad); break;
                    case "field key": w.WriteField(bad, 1.0); break;
                    default: w.WriteStringField("thekey", bad); break;
                }
            });
            Assert.Contains("line break", e.Message, StringComparison.Ordinal);
            Assert.Contains(where is "tag value" or "string value" ? "thekey" : bad, e.Message, StringComparison.Ordinal);
            Assert.Equal(before, buffer.WrittenCount);
        }
    }

    [Fact]
    public void Write_InvalidNamesAndValues_ThrowArgumentException()
    {
        var w = new LineProtocolWriter(new ArrayBufferWriter<byte>());
        Assert.Throws<ArgumentException>(() => w.WriteMeasurement(""));
        Assert.Throws<ArgumentException>(() => w.WriteMeasurement("#comment"));
        Assert.Throws<ArgumentException>(() => w.WriteMeasurement("a\ud800b"));
        w.WriteMeasurement("m");
        Assert.Throws<ArgumentException>(() => w.WriteTag("", "v"));
        Assert.Throws<ArgumentException>(() => w.WriteTag("k", ""));
        Assert.Throws<ArgumentException>(() => w.WriteField("", 1.0));
        Assert.Throws<ArgumentException>(() => w.WriteField("f", double.NaN));
        Assert.Throws<ArgumentException>(() => w.WriteField("f", double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => w.WriteField("f", double.NegativeInfinity));
        Assert.Throws<ArgumentException>(() => w.WriteStringField("s", "\udc00"));
    }

    [Fact]
    public void Write_OutOfOrder_ThrowsInvalidOperation()
    {
        var w = new LineProtocolWriter(new ArrayBufferWriter<byte>());
        Assert.Throws<InvalidOperationException>(() => w.WriteTag("k", "v"));
        Assert.Throws<InvalidOperationException>(() => w.WriteField("f", 1.0));
        Assert.Throws<InvalidOperationException>(() => w.EndLine());
        w.WriteMeasurement("m");
        Assert.Throws<InvalidOperationException>(() => w.WriteMeasurement("m"));
        Assert.Throws<InvalidOperationException>(() => w.EndLine(1));
        w.WriteField("f", 1L);
        Assert.Throws<InvalidOperationException>(() => w.WriteTag("k", "v"));
        Assert.Throws<InvalidOperationException>(() => w.WriteRaw("x"u8));
        w.EndLine();
        Assert.Throws<InvalidOperationException>(() => w.EndLine());
        w.WriteMeasurement("second");
    }
}
