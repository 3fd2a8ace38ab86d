using System.Buffers;
using Gateway.Telemetry.LineProtocol;
using Gateway.Telemetry.Tests.Support;
using static Gateway.Telemetry.Tests.Support.Segments;

namespace Gateway.Telemetry.Tests.LineProtocol;

public class LineProtocolParserTests
{
    private const string Payload =
        "# gateway gw-01\n" +
        "env,gateway=gw-01,sensor=bme280 temperature=21.5,humidity=40i 1767225600000\n" +
        "\n" +
        "   \r\n" +
        "gps,sensor=gps0 lat=52.1,fix=t,name=\"a \\\"b\\\" \\\\c\"\r\n" +
        "my\\ m\\,x,k\\=1=v\\,2\\ 3 f\\ 1=-1.5E-07,n=7u -12\n";

    private static readonly string[] ExpectedLines =
    [
        "env,gateway=gw-01,sensor=bme280 temperature=21.5,humidity=40i 1767225600000",
        "gps,sensor=gps0 lat=52.1,fix=true,name=\"a \\\"b\\\" \\\\c\"",
        "my\\ m\\,x,k\\=1=v\\,2\\ 3 f\\ 1=-1.5E-07,n=7u -12",
    ];

    // Offset of each expected point's line feed in the (ASCII) payload.
    private static readonly int[] LineFeedOffsets = ExpectedLines
        .Select(line => Payload.IndexOf('\n', Payload.IndexOf(line.Replace("fix=true", "fix=t", StringComparison.Ordinal), StringComparison.Ordinal)))
        .ToArray();

    private static List<LinePoint> ReadAll(ReadOnlySequence<byte> sequence, out long consumed)
    {
        var reader = new SequenceReader<byte>(sequence);
        var points = new List<LinePoint>();
        while (true)
        {
            long before = reader.Consumed;
            if (!LineProtocolParser.TryRead(ref reader, out var point))
            {
                Assert.Equal(before, reader.Consumed);
                consumed = reader.Consumed;
                return points;
            }
            points.Add(point);
        }
    }

    [Fact]
    public void TryRead_GoldenPayload_ReadsEveryPoint()
    {
        var points = ReadAll(new ReadOnlySequence<byte>(Utf8(Payload)), out long consumed);
        Assert.Equal(ExpectedLines, points.Select(p => p.ToString()));
        Assert.Equal(Utf8(Payload).Length, consumed);

        var gps = points[1];
        Assert.Equal("gps", gps.Measurement);
        Assert.Null(gps.Timestamp);
        Assert.Equal(new LineField("lat", LineFieldValue.FromFloat(52.1)), gps.Fields[0]);
        Assert.True(gps.Fields[1].Value.Boolean);
        Assert.Equal("a \"b\" \\c", gps.Fields[2].Value.String);

        var odd = points[2];
        Assert.Equal("my m,x", odd.Measurement);
        Assert.Equal(new KeyValuePair<string, string>("k=1", "v,2 3"), Assert.Single(odd.Tags));
        Assert.Equal("f 1", odd.Fields[0].Key);
        Assert.Equal(7UL, odd.Fields[1].Value.UInteger);
        Assert.Equal(-12, odd.Timestamp);
    }

    [Fact]
    public void TryRead_EveryPrefix_ReturnsFalseAndConsumesNothingUntilLineFeed()
    {
        byte[] bytes = Utf8(Payload);
        for (int length = 0; length <= bytes.Length; length++)
        {
            var points = ReadAll(new ReadOnlySequence<byte>(bytes[..length]), out long consumed);
            // Exactly the points whose line feed is inside the prefix, and reading resumes where it stopped.
            int complete = LineFeedOffsets.Count(offset => offset < length);
            Assert.Equal(ExpectedLines.Take(complete), points.Select(p => p.ToString()));
            var rest = ReadAll(new ReadOnlySequence<byte>(bytes[(int)consumed..]), out _);
            Assert.Equal(ExpectedLines, points.Concat(rest).Select(p => p.ToString()));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void TryRead_MultiSegmentSequence_ReadsSamePoints(int segmentLength)
    {
        var points = ReadAll(Segments.Split(Utf8(Payload), segmentLength), out long consumed);
        Assert.Equal(ExpectedLines, points.Select(p => p.ToString()));
        Assert.Equal(Utf8(Payload).Length, consumed);
    }

    [Theory]
    [InlineData("t", true)]
    [InlineData("T", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("f", false)]
    [InlineData("F", false)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("FALSE", false)]
    public void Parse_Booleans_AllSpellings(string text, bool expected)
    {
        var point = ParseOne($"m b={text}");
        Assert.Equal(LineFieldValue.FromBoolean(expected), point.Fields[0].Value);
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("-1.5", -1.5)]
    [InlineData(".5", 0.5)]
    [InlineData("1.", 1.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1E+20", 1e20)]
    [InlineData("-1.5E-07", -1.5e-7)]
    [InlineData("2.5e-3", 0.0025)]
    public void Parse_Floats_WithExponents(string text, double expected)
    {
        Assert.Equal(LineFieldValue.FromFloat(expected), ParseOne($"m f={text}").Fields[0].Value);
    }

    [Theory]
    [InlineData("m f=9223372036854775807i", long.MaxValue)]
    [InlineData("m f=-9223372036854775808i", long.MinValue)]
    [InlineData("m f=0i", 0L)]
    public void Parse_IntegerLimits(string line, long expected)
    {
        Assert.Equal(expected, ParseOne(line).Fields[0].Value.Integer);
    }

    public static TheoryData<string, int> MalformedLines => new()
    {
        { "m", 2 },
        { "m ", 3 },
        { "m f", 4 },
        { "m f=", 5 },
        { "m =1", 3 },
        { ",k=v f=1", 1 },
        { " ,k=v f=1", 2 },
        { "m,=v f=1", 3 },
        { "m,k f=1", 4 },
        { "m,k= f=1", 5 },
        { "m,k=v=w f=1", 6 },
        { "m,k=v", 6 },
        { "m f=1,", 7 },
        { "m f=1,,g=2", 7 },
        { "m f=1i2", 5 },
        { "m f=abc", 5 },
        { "m f=\"abc", 5 },
        { "m f=\"a\"x", 8 },
        { "m f=1 abc", 7 },
        { "m f=1 1.5", 7 },
        { "m f=1  5", 7 },
        { "m f=99999999999999999999i", 5 },
        { "m f=9223372036854775808i", 5 },
        { "m f=-1u", 5 },
        { "m f=18446744073709551616u", 5 },
        { "m f=+1", 5 },
        { "m f=1e999", 5 },
        { "m f=NaN", 5 },
        { "m f=Infinity", 5 },
        { "m f=-", 5 },
        { "m f=.", 5 },
        { "m f=1e", 5 },
        { "m f=i", 5 },
        { "m f=1 9223372036854775808", 7 },
        { "m f=1\t", 5 },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public void TryRead_MalformedLine_ThrowsAtColumnAndNextLineStillParses(string line, int column)
    {
        var bytes = Utf8(line + "\nnext f=1i 5\n");
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var e = ReadExpectingError(ref reader);
        Assert.Equal(column, e.Column);
        Assert.True(e.LineSkipped);
        Assert.Contains($"column {column}", e.Message, StringComparison.Ordinal);
        Assert.True(LineProtocolParser.TryRead(ref reader, out var next));
        Assert.Equal("next f=1i 5", next.ToString());
    }

    private static LineProtocolException ReadExpectingError(ref SequenceReader<byte> reader)
    {
        try
        {
            LineProtocolParser.TryRead(ref reader, out var point);
            Assert.Fail($"Expected a LineProtocolException, read {point?.ToString() ?? "nothing"}.");
            return null!;
        }
        catch (LineProtocolException e)
        {
            return e;
        }
    }

    [Theory]
    [InlineData(new byte[] { (byte)'m', (byte)' ', (byte)'f', (byte)'=', (byte)'"', 0xFF, (byte)'"' }, 6)]
    [InlineData(new byte[] { (byte)'m', 0xC3, (byte)' ', (byte)'f', (byte)'=', (byte)'1' }, 2)]
    [InlineData(new byte[] { (byte)'m', (byte)',', (byte)'k', (byte)'=', 0xED, 0xA0, 0x80, (byte)' ', (byte)'f', (byte)'=', (byte)'1' }, 5)]
    public void Parse_InvalidUtf8_IsAnErrorAtTheBadByte(byte[] line, int column)
    {
        var errors = new List<LineProtocolException>();
        var points = new List<LinePoint>();
        LineProtocolParser.ParsePayload([.. line, (byte)'\n', .. "ok f=1"u8], points, errors);
        Assert.Equal(column, Assert.Single(errors).Column);
        Assert.Equal("ok f=1", Assert.Single(points).ToString());
    }

    [Fact]
    public void TryRead_LineAtLimit_IsAccepted_OneByteMore_IsSkipped()
    {
        string atLimit = "m s=\"" + new string('x', LineProtocolParser.MaxLineLength - 6) + "\"";
        Assert.Equal(LineProtocolParser.MaxLineLength, atLimit.Length);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Utf8(atLimit + "\n" + atLimit + "x\nnext f=1\n")));
        Assert.True(LineProtocolParser.TryRead(ref reader, out _));
        var e = ReadExpectingError(ref reader);
        Assert.True(e.LineSkipped);
        Assert.True(LineProtocolParser.TryRead(ref reader, out var next));
        Assert.Equal("next f=1", next.ToString());
    }

    [Fact]
    public void TryRead_NoLineFeedWithinLimit_ThrowsUnrecoverableAndConsumesNothing()
    {
        var bytes = Utf8(new string('x', LineProtocolParser.MaxLineLength + 1));
        var reader = new SequenceReader<byte>(Segments.Split(bytes, 4096));
        var e = ReadExpectingError(ref reader);
        Assert.False(e.LineSkipped);
        Assert.Equal(0, reader.Consumed);

        var shorter = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes[1..]));
        Assert.False(LineProtocolParser.TryRead(ref shorter, out _));
    }

    [Fact]
    public void ParsePayload_MixedLines_KeepsGoodPointsAndNumbersErrors()
    {
        var points = new List<LinePoint>();
        var errors = new List<LineProtocolException>();
        LineProtocolParser.ParsePayload(Utf8("a f=1\nbad\n# c\n\nb f=2\nm f=\"x\r\nc f=3 7"), points, errors);
        Assert.Equal(["a f=1", "b f=2", "c f=3 7"], points.Select(p => p.ToString()));
        Assert.Equal([2, 6], errors.Select(e => e.LineNumber));
        Assert.Contains("line 2, column 4", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePayload_Empty_AddsNothing()
    {
        var points = new List<LinePoint>();
        var errors = new List<LineProtocolException>();
        LineProtocolParser.ParsePayload([], points, errors);
        LineProtocolParser.ParsePayload("\n\r\n  \n#x"u8, points, errors);
        Assert.Empty(points);
        Assert.Empty(errors);
    }

    [Fact]
    public void LineFieldValue_WrongAccessor_Throws()
    {
        var value = LineFieldValue.FromInteger(5);
        Assert.Equal(LineFieldKind.Integer, value.Kind);
        Assert.Throws<InvalidOperationException>(() => value.Float);
        Assert.Throws<InvalidOperationException>(() => value.String);
        Assert.Throws<ArgumentException>(() => LineFieldValue.FromFloat(double.NaN));
        Assert.NotEqual(LineFieldValue.FromFloat(0.0), LineFieldValue.FromFloat(-0.0));
    }

    private static LinePoint ParseOne(string line)
    {
        var points = new List<LinePoint>();
        var errors = new List<LineProtocolException>();
        LineProtocolParser.ParsePayload(Utf8(line), points, errors);
        Assert.Empty(errors);
        return Assert.Single(points);
    }
}
