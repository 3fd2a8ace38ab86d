using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Ingest.Payloads;
using Gateway.Telemetry.LineProtocol;

namespace Gateway.Ingest.Tests.Payloads;

/// <summary>
/// The fast path must never disagree with the parser: whatever it accepts is the same point the parser reads (with
/// the gateway stamped and tags sorted), and whatever the parser rejects it declines.
/// </summary>
public sealed class LineRewriterTests
{
    [Theory]
    [InlineData("counter,gateway=gw,sensor=seq seq=5i 1700000000000", "counter,gateway=gw,sensor=seq seq=5i 1700000000000\n")]
    [InlineData("m,z=1,a=2 f=1i 5", "m,a=2,gateway=gw,z=1 f=1i 5\n")]
    [InlineData("m,gateway=evil,sensor=s f=1 5", "m,gateway=gw,sensor=s f=1 5\n")]
    [InlineData("m f=\"a b,c=d\",g=t 5\r", "m,gateway=gw f=\"a b,c=d\",g=t 5\n")]
    [InlineData("m\\ x,t=a\\ b f=-1.5e3,u=3u 5  ", "m\\ x,gateway=gw,t=a\\ b f=-1.5e3,u=3u 5  \n")]
    public void Accepted_IsStampedAndSorted(string line, string expected)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(LineRewriter.TryRewrite(Encoding.UTF8.GetBytes(line), "gw"u8, PlausibleTime.Any, output));
        Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# comment")]
    [InlineData("m f=1")]                      // no timestamp: the parser path counts it
    [InlineData("m f=1 notatime")]
    [InlineData("m f=NaN 1")]
    [InlineData("m f=inf 1")]
    [InlineData("m f=1e999 1")]
    [InlineData("m f=99999999999999999999i 1")]
    [InlineData("m f=-1u 1")]
    [InlineData("m f=\"open 1")]
    [InlineData("m,t= f=1 1")]
    [InlineData("m,=v f=1 1")]
    [InlineData("m,t=v")]
    [InlineData(",t=v f=1 1")]
    [InlineData("m f= 1")]
    [InlineData("m f=1,, 1")]
    [InlineData("m f=yes 1")]
    [InlineData("m,a\\=b=1 f=1 1")]             // escaped tag key: left to the parser
    public void Unusual_OrMalformed_IsDeclined(string line)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.False(LineRewriter.TryRewrite(Encoding.UTF8.GetBytes(line), "gw"u8, PlausibleTime.Any, output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void GeneratedPoints_FastAndParserPathsAgree()
    {
        var prop = Prop.ForAll(Points().ToArbitrary(), point =>
        {
            var line = Encode(point);
            AssertAgrees(line);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), prop);
    }

    [Fact]
    public void MutatedLines_FastPathNeverAcceptsWhatTheParserRejects()
    {
        var random = new Random(7);
        var samples = new[]
        {
            "tag,gateway=gw,sensor=lora,tag=a0000100 lat=8.4951,lon=-13.2291,battery_mv=3645i,moving=true,rssi=-79.7 1700000000000",
            "event,gateway=gw,kind=door message=\"door \\\"A\\\" opened\",open=T 1700000000001",
            "m\\,x,a\\ b=c\\,d f=1u,g=-0.5,h=\"x\" -12",
        };
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(samples[i % samples.Length]);
            var mutations = 1 + random.Next(3);
            for (var m = 0; m < mutations; m++)
            {
                var at = random.Next(bytes.Length);
                bytes[at] = random.Next(3) switch
                {
                    0 => (byte)Specials[random.Next(Specials.Length)],
                    1 => (byte)random.Next(32, 127),
                    _ => bytes[random.Next(bytes.Length)],
                };
            }
            AssertAgrees(Encoding.UTF8.GetString(bytes).Replace("\n", "", StringComparison.Ordinal));
        }
    }

    private const string Specials = " ,=\"\\\r.-eEi0u1t#";

    private static void AssertAgrees(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var fast = new ArrayBufferWriter<byte>();
        var accepted = LineRewriter.TryRewrite(bytes, "gw-1"u8, PlausibleTime.Any, fast);
        var slow = new List<LinePoint>();
        var errors = new List<LineProtocolException>();
        LineProtocolParser.ParsePayload(bytes, slow, errors);
        if (!accepted) return;
        Assert.True(slow.Count == 1 && slow[0].Timestamp is not null, $"fast path accepted a line the parser rejects: {line}");
        var expected = slow[0];
        expected.Tags.RemoveAll(t => t.Key == "gateway");
        expected.Tags.Add(new("gateway", "gw-1"));
        expected.Tags.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var reparsed = new List<LinePoint>();
        LineProtocolParser.ParsePayload(fast.WrittenSpan, reparsed, errors);
        Assert.Single(reparsed);
        var actual = reparsed[0];
        Assert.Equal(expected.Measurement, actual.Measurement);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.Fields, actual.Fields);
        Assert.Equal(expected.Timestamp, actual.Timestamp);
        Assert.EndsWith("\n", Encoding.UTF8.GetString(fast.WrittenSpan), StringComparison.Ordinal);
    }

    private static string Encode(LinePoint point)
    {
        var buffer = new ArrayBufferWriter<byte>();
        point.WriteTo(new LineProtocolWriter(buffer));
        return Encoding.UTF8.GetString(buffer.WrittenSpan).TrimEnd('\n');
    }

    private static Gen<LinePoint> Points()
    {
        var name = Gen.Elements("m", "env", "a b", "x,y", "k=v", "q\"t", "back\\slash", "é", "gateway", "sensor", "tag", "z");
        var value = Gen.OneOf(
            Gen.Choose(-1000, 1000).Select(i => LineFieldValue.FromInteger(i * 1_000_003L)),
            Gen.Choose(0, 1000).Select(i => LineFieldValue.FromUInteger((ulong)i * 7)),
            Gen.Choose(-100000, 100000).Select(i => LineFieldValue.FromFloat(i / 7.0)),
            Gen.Elements(true, false).Select(LineFieldValue.FromBoolean),
            Gen.Elements("", "text", "with \"quotes\"", "back\\slash", "a, b=c").Select(LineFieldValue.FromString));
        return from measurement in name
               from tagKeys in Gen.SubListOf(["gateway", "sensor", "tag", "kind", "a b", "z"])
               from tagValue in Gen.Elements("v", "a b", "x,y", "gw-1", "evil", "k=v")
               from fields in Gen.NonEmptyListOf(Gen.Zip(name, value))
               from ts in Gen.Choose(-5, 2_000_000_000)
               select new LinePoint
               {
                   Measurement = measurement,
                   Tags = tagKeys.Select(k => new KeyValuePair<string, string>(k, tagValue)).ToList(),
                   Fields = fields.DistinctBy(f => f.Item1).Select(f => new LineField(f.Item1, f.Item2)).ToList(),
                   Timestamp = ts * 1000L,
               };
    }
}
