using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Telemetry.LineProtocol;
using Gateway.Telemetry.Tests.Support;

namespace Gateway.Telemetry.Tests.LineProtocol;

public class LineProtocolPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500);

    // Pieces that stress escaping (every special character, backslashes, '#', tabs) and UTF-8 (2-, 3- and 4-byte
    // sequences, the last as a surrogate pair that must stay paired).
    private static readonly string[] Pieces = [",", " ", "=", "\"", "\\", "\\\\", "#", "\t", "a", "Z", "0", "é", "中", "😀", "\u0000", "i", "u", "t"];

    private static bool IsWritable(string s) =>
        s.Length > 0 && !s.Contains('\n', StringComparison.Ordinal) && !s.Contains('\r', StringComparison.Ordinal) && IsValidUtf16(s);

    private static bool IsValidUtf16(string s)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetByteCount(s);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private static readonly Gen<string> Name = Gen.OneOf(
            Gen.Elements(Pieces).NonEmptyListOf().Select(p => string.Concat(p)),
            ArbMap.Default.GeneratorFor<string>())
        .Where(s => s is not null && IsWritable(s));

    private static readonly Gen<LineFieldValue> Value = Gen.OneOf(
        ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).Select(LineFieldValue.FromFloat),
        ArbMap.Default.GeneratorFor<long>().Select(LineFieldValue.FromInteger),
        ArbMap.Default.GeneratorFor<ulong>().Select(LineFieldValue.FromUInteger),
        ArbMap.Default.GeneratorFor<bool>().Select(LineFieldValue.FromBoolean),
        Gen.OneOf(Gen.Constant(""), Name).Select(LineFieldValue.FromString));

    private static readonly Gen<LinePoint> Point =
        from measurement in Name.Where(n => n[0] != '#')
        from tags in Gen.Zip(Name, Name).ListOf().Select(l => l.Take(4).ToList())
        from fields in Gen.Zip(Name, Value).NonEmptyListOf().Select(l => l.Take(5).ToList())
        from timestamp in ArbMap.Default.GeneratorFor<long?>()
        select new LinePoint
        {
            Measurement = measurement,
            Tags = tags.Select(t => new KeyValuePair<string, string>(t.Item1, t.Item2)).ToList(),
            Fields = fields.Select(f => new LineField(f.Item1, f.Item2)).ToList(),
            Timestamp = timestamp,
        };

    [Fact]
    public void WriteThenParse_ArbitraryPoints_RoundTripExactly()
    {
        Check.One(Config, Prop.ForAll(Point.ToArbitrary(), point =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            point.WriteTo(new LineProtocolWriter(buffer));
            var points = new List<LinePoint>();
            var errors = new List<LineProtocolException>();
            LineProtocolParser.ParsePayload(buffer.WrittenSpan, points, errors);
            Assert.Empty(errors);
            var read = Assert.Single(points);
            Assert.Equal(point.Measurement, read.Measurement);
            Assert.Equal(point.Tags, read.Tags);
            Assert.Equal(point.Fields, read.Fields);
            Assert.Equal(point.Timestamp, read.Timestamp);
        }));
    }

    // Bytes drawn mostly from the grammar's own alphabet, so that random input reaches deep into the parser.
    private static readonly Gen<byte[]> Noise = Gen.Frequency(
            (6, Gen.Elements("m,k=v f\"\\ =,1.5e-i u t#\r\n\n-09"u8.ToArray())),
            (1, ArbMap.Default.GeneratorFor<byte>()))
        .ArrayOf();

    [Fact]
    public void Parse_RandomBytes_OnlyLineProtocolExceptionsAndAlwaysTerminates()
    {
        Check.One(Config, Prop.ForAll(Noise.ToArbitrary(), bytes =>
        {
            var points = new List<LinePoint>();
            var errors = new List<LineProtocolException>();
            LineProtocolParser.ParsePayload(bytes, points, errors);
            int lines = bytes.Count(b => b == '\n') + 1;
            Assert.True(points.Count + errors.Count <= lines);

            foreach (int segment in new[] { 1, 5 })
            {
                var reader = new SequenceReader<byte>(Segments.Split(bytes, segment));
                for (int calls = 0; ; calls++)
                {
                    Assert.True(calls <= lines, "TryRead made no progress");
                    long before = reader.Consumed;
                    try
                    {
                        if (!LineProtocolParser.TryRead(ref reader, out _)) break;
                    }
                    catch (LineProtocolException e)
                    {
                        Assert.True(e.LineSkipped);
                        Assert.True(reader.Consumed > before);
                    }
                }
            }
        }));
    }
}
