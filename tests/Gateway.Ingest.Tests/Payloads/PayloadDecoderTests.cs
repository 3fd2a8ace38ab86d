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
                PayloadDecoder.Decode(bytes, "gw", new ArrayBufferWriter<byte>());
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
        var ex = Assert.Throws<InvalidDataException>(() => PayloadDecoder.Decode(bomb, "gw", new ArrayBufferWriter<byte>()));
        Assert.Contains("inflates beyond", ex.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x1f, 0x8b })]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02 })]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff })]
    public void Decode_CorruptGzip_ThrowsInvalidData(byte[] payload)
    {
        Assert.Throws<InvalidDataException>(() => PayloadDecoder.Decode(payload, "gw", new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Decode_GzipTruncatedAtEveryLength_IsAlwaysRefused()
    {
        var full = Gzip(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 50).Select(i => $"m,sensor=s v={i}i {1700000000000 + i}\n"))));
        Assert.Equal(50, PayloadDecoder.Decode(full, "gw", new ArrayBufferWriter<byte>()).Points);
        for (var cut = 2; cut < full.Length; cut++)
            Assert.Throws<InvalidDataException>(() => PayloadDecoder.Decode(full.AsMemory(0, cut), "gw", new ArrayBufferWriter<byte>()));
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
            try { PayloadDecoder.Decode(bytes, "gw", new ArrayBufferWriter<byte>()); }
            catch (InvalidDataException) { }
        }
    }

    private const string Noise = "m,=\" \\\nf1i.t\r";

    private static (string Text, DecodedPayload Result) Decode(string payload, string gateway) => Decode(Encoding.UTF8.GetBytes(payload), gateway);

    private static (string Text, DecodedPayload Result) Decode(byte[] payload, string gateway)
    {
        var output = new ArrayBufferWriter<byte>();
        var result = PayloadDecoder.Decode(payload, gateway, output);
        return (Encoding.UTF8.GetString(output.WrittenSpan), result);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.SmallestSize)) gz.Write(data);
        return ms.ToArray();
    }
}
