using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gateway.DiskQueue.Disk;

namespace Gateway.DiskQueue.Tests.Disk;

public sealed class RecordFrameTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("123456789", 0xE3069283u)]        // the CRC-32C check value (RFC 3720 B.4, Castagnoli)
    [InlineData("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public void Crc32C_MatchesPublishedCheckValues(string text, uint expected) =>
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Crc32C_Of32ZeroBytes_MatchesRfc3720Vector() =>
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32])); // RFC 3720 B.4 "32 bytes of zeroes"

    [Fact]
    public void WriteThenCheck_RoundTrips()
    {
        var payload = Encoding.UTF8.GetBytes("env,gateway=g temperature=21.5 1700000000000\n");
        var frame = new byte[RecordFrame.HeaderSize + payload.Length];
        RecordFrame.Write(frame, 42, 3, 1_700_000_000_123, payload);
        Assert.Equal(FrameStatus.Valid, RecordFrame.Check(frame, out var h));
        Assert.Equal(new FrameHeader(payload.Length, 42, 1_700_000_000_123, 3), h);
    }

    [Fact]
    public void Check_EveryPrefix_IsIncomplete_NeverValid()
    {
        var frame = Frame("abc");
        for (var n = 0; n < frame.Length; n++)
            Assert.Equal(FrameStatus.Incomplete, RecordFrame.Check(frame.AsSpan(0, n), out _));
    }

    [Fact]
    public void Check_AnySingleBitFlip_IsInvalidOrIncomplete()
    {
        var frame = Frame("counter seq=1i 1\n");
        for (var bit = 0; bit < frame.Length * 8; bit++)
        {
            var copy = (byte[])frame.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(FrameStatus.Valid, RecordFrame.Check(copy, out _));
        }
    }

    [Fact]
    public void Check_OversizedLength_IsInvalid()
    {
        var frame = Frame("x");
        BitConverter.TryWriteBytes(frame.AsSpan(4), RecordFrame.MaxPayload + 1);
        Assert.Equal(FrameStatus.Invalid, RecordFrame.Check(frame, out _));
    }

    [Fact]
    public void Check_RandomBytes_NeverThrows_NeverValid()
    {
        var bytes = Gen.Choose(0, 255).Select(b => (byte)b).ListOf().Select(l => l.ToArray());
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(Arb.From(bytes), input =>
            RecordFrame.Check(input, out _) != FrameStatus.Valid));
    }

    private static byte[] Frame(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[RecordFrame.HeaderSize + payload.Length];
        RecordFrame.Write(frame, 1, 1, 1, payload);
        return frame;
    }
}
