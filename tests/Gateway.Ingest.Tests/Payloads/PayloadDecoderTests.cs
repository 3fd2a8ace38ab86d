using System.Buffers;
using System.IO.Compression;
using System.Text;
using Gateway.Ingest.Payloads;

namespace Gateway.Ingest.Tests.Payloads;

public sealed class PayloadDecoderTests
{
    [Fact]
    public void Decode_StringFieldWithCarriageReturn_IsCountedMalformed_NotThrown()
    {
        var (text, result) = Decode("m,sensor=s msg=\"a\rb\",n=1 1\nok f=1 2\n", "gw");
        Assert.Equal(1, result.Points);
        Assert.Equal("ok,gateway=gw f=1 2\n", text);
    }

    [Fact]
    public void Decode_LineProtocolNoise_NeverThrowsAnythingButInvalidData()
    {
        var random = new Random(3);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            if (i % 2 == 0) for (var j = 0; j < bytes.Length; j++) bytes[j] = (byte)Noise[bytes[j] % Noise.Length];
            try
            {
                PayloadDecoder.Decode(bytes, "gw", PlausibleTime.Any, new ArrayBufferWriter<byte>());
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [Fact]
    public void Decode_SetsGatewayFromTopic_ReplacingAnyClaimInThePayload()
    {
        var (text, result) = Decode("env,sensor=e,gateway=evil temperature=21.5 1700000000000\n", "cp-1");
        Assert.Equal("env,gateway=cp-1,sensor=e temperature=21.5 1700000000000\n", text);
        Assert.Equal(new DecodedPayload(1, 0, 0, null), result);
    }

    [Fact]
    public void Decode_AddsGatewayTagWhenAbsent_AndSortsTags()
    {
        var (text, _) = Decode("m,z=1,a=2 f=1i 5\nm f=true 6", "gw");
        Assert.Equal("m,a=2,gateway=gw,z=1 f=1i 5\nm,gateway=gw f=true 6\n", text);
    }

    [Fact]
    public void Decode_MalformedAndTimestamplessLines_AreCountedAndTheRestKept()
    {
        var (text, result) = Decode("good f=1 1\nbroken\nnotime f=2\ngood2 f=3 3\n", "gw");
        Assert.Equal("good,gateway=gw f=1 1\ngood2,gateway=gw f=3 3\n", text);
        Assert.Equal(2, result.Points);
        Assert.Equal(1, result.MalformedLines);
        Assert.Equal(1, result.MissingTimestamp);
        Assert.NotNull(result.FirstError);
    }

    [Fact]
    public void Decode_GzipPayload_IsInflated()
    {
        var raw = Encoding.UTF8.GetBytes("m,sensor=s v=1i 1700000000000\n");
        var (text, result) = Decode(Gzip(raw), "gw");
        Assert.Equal("m,gateway=gw,sensor=s v=1i 1700000000000\n", text);
        Assert.Equal(1, result.Points);
    }

    [Fact]
    public void Decode_GzipBomb_IsRefusedWithInvalidData()
    {
        var bomb = Gzip(new byte[PayloadDecoder.MaxDecompressedBytes + 1024]);
        Assert.True(bomb.Length < 100_000);
        var ex = Assert.Throws<InvalidDataException>(() => PayloadDecoder.Decode(bomb, "gw", PlausibleTime.Any, new ArrayBufferWriter<byte>()));
        Assert.Contains("inflates beyond", ex.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x1f, 0x8b })]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02 })]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff })]
    public void Decode_CorruptGzip_ThrowsInvalidData(byte[] payload)
    {
        Assert.Throws<InvalidDataException>(() => PayloadDecoder.Decode(payload, "gw", PlausibleTime.Any, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Decode_GzipTruncatedAtEveryLength_IsAlwaysRefused()
    {
        var full = Gzip(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 50).Select(i => $"m,sensor=s v={i}i {1700000000000 + i}\n"))));
        Assert.Equal(50, PayloadDecoder.Decode(full, "gw", PlausibleTime.Any, new ArrayBufferWriter<byte>()).Points);
        for (var cut = 2; cut < full.Length; cut++)
            Assert.Throws<InvalidDataException>(() => PayloadDecoder.Decode(full.AsMemory(0, cut), "gw", PlausibleTime.Any, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Decode_RandomBytes_NeverThrowsAnythingButInvalidData()
    {
        var random = new Random(3);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            if (i % 3 == 0 && bytes.Length > 2) { bytes[0] = 0x1f; bytes[1] = 0x8b; }
            try { PayloadDecoder.Decode(bytes, "gw", PlausibleTime.Any, new ArrayBufferWriter<byte>()); }
            catch (InvalidDataException) { }
        }
    }

    [Fact]
    public void Decode_TimestampsOutsideThePlausibleWindow_AreDroppedAndCounted()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        var window = PlausibleTime.Around(now, TimeSpan.FromDays(366), TimeSpan.FromMinutes(5));
        var payload = string.Join('\n',
            "env,sensor=enclosure temperature=20 1800000000000",             // now: kept
            "tag,sensor=lora,tag=0a1b2c3d lat=1,lon=1 253402300800000",      // 10000-01-01 in ms: beyond DateTimeOffset
            "tag,tag=0a1b2c3d,sensor=lora lat=1,lon=1 253402214400000",      // 9999-12-31 (unsorted tags: the slow path)
            "env,sensor=enclosure temperature=20 1800000000000000000",       // nanoseconds
            "env,sensor=enclosure temperature=20 1700000000000",             // three years old
            "env,sensor=enclosure temperature=21 1800000299000");            // 299 s ahead: inside the window
        var output = new ArrayBufferWriter<byte>();
        var result = PayloadDecoder.Decode(Encoding.UTF8.GetBytes(payload), "gw", window, output);
        Assert.Equal((2, 4, 0), (result.Points, result.OutsideTimeWindow, result.MalformedLines));
        Assert.Equal("env,gateway=gw,sensor=enclosure temperature=20 1800000000000\nenv,gateway=gw,sensor=enclosure temperature=21 1800000299000\n",
            Encoding.UTF8.GetString(output.WrittenSpan));
        var points = new List<Gateway.Telemetry.LineProtocol.LinePoint>();
        Assert.Equal(4, PayloadDecoder.DecodePoints(Encoding.UTF8.GetBytes(payload), "gw", window, points).OutsideTimeWindow);
        Assert.Equal(2, points.Count);
    }

    [Theory]
    [InlineData("env,sensor=enclosure temperature=99.9,gateway=\"sim-0002\" 1800000000000")]
    [InlineData("env,gateway=evil-05,sensor=enclosure gateway=\"sim-0002\",temperature=99.9 1800000000000")]
    [InlineData("env,sensor=enclosure temperature=99.9,sensor=\"battery\" 1800000000000")]
    [InlineData("tag,sensor=lora,tag=0a1b2c3d lat=1,tag=5i 1800000000000")]
    [InlineData("tag,tag=0a1b2c3d,sensor=lora lat=1,tag=5i 1800000000000")]
    public void Decode_FieldNamedLikeAnOwnedTag_IsRefusedAndCounted(string line)
    {
        var output = new ArrayBufferWriter<byte>();
        var result = PayloadDecoder.Decode(Encoding.UTF8.GetBytes(line + "\nenv,sensor=enclosure gateway_name=\"x\",temperature=1 1800000000000\n"), "evil-05", PlausibleTime.Any, output);
        Assert.Equal((1, 1), (result.Points, result.ShadowingFields));
        Assert.Equal("env,gateway=evil-05,sensor=enclosure gateway_name=\"x\",temperature=1 1800000000000\n", Encoding.UTF8.GetString(output.WrittenSpan));
        var points = new List<Gateway.Telemetry.LineProtocol.LinePoint>();
        Assert.Equal(1, PayloadDecoder.DecodePoints(Encoding.UTF8.GetBytes(line), "evil-05", PlausibleTime.Any, points).ShadowingFields);
        Assert.Empty(points);
    }

    [Fact]
    public void Decode_AssetTagsOverTheGatewaysQuota_AreRefusedAndCounted()
    {
        var tags = new TagAdmission(maxPerGateway: 2, newPerMinute: 60, burst: 2, configuredTags: [], TimeProvider.System);
        var payload = "tag,sensor=lora,tag=a0000001 lat=1 1800000000000\ntag,sensor=lora,tag=a0000002 lat=1 1800000000000\n" +
            "tag,sensor=lora,tag=a0000003 lat=1 1800000000000\nenv,sensor=enclosure temperature=1 1800000000000\ntag,sensor=lora,tag=a0000001 lat=2 1800000000001\n";
        var output = new ArrayBufferWriter<byte>();
        var result = PayloadDecoder.Decode(Encoding.UTF8.GetBytes(payload), "gw", PlausibleTime.Any, output, tags);
        Assert.Equal((4, 1), (result.Points, result.RefusedTags));
        Assert.DoesNotContain("a0000003", Encoding.UTF8.GetString(output.WrittenSpan), StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, long> { ["gw"] = 1 }, tags.Refusals());
    }

    private const string Noise = "m,=\" \\\nf1i.t\r";

    private static (string Text, DecodedPayload Result) Decode(string payload, string gateway) => Decode(Encoding.UTF8.GetBytes(payload), gateway);

    private static (string Text, DecodedPayload Result) Decode(byte[] payload, string gateway)
    {
        var output = new ArrayBufferWriter<byte>();
        var result = PayloadDecoder.Decode(payload, gateway, PlausibleTime.Any, output);
        return (Encoding.UTF8.GetString(output.WrittenSpan), result);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.SmallestSize)) gz.Write(data);
        return ms.ToArray();
    }
}
