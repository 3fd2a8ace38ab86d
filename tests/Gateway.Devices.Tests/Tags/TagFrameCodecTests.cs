using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Devices.Tags;
using Gateway.Hardware.Simulation.Tags;

namespace Gateway.Devices.Tests.Tags;

public sealed class TagFrameCodecTests
{
    internal static readonly byte[] Key = Convert.FromHexString("39c0aed1e9d761a80e90ad53d3f2491a");

    /// <summary>Tag a1b2c3d4, counter 7, moving + position, 3600 mV, 8.48 / -13.23 (made with gatewayctl tags encode).</summary>
    internal const string GoldenWithPosition = "01a1b2c3d400000007090e10050df200f81d432047ce306b";

    [Fact]
    public void Decode_Golden_GivesEveryField()
    {
        var frame = TagFrameCodec.Decode(Convert.FromHexString(GoldenWithPosition));
        Assert.Equal(0xA1B2C3D4u, frame.TagId);
        Assert.Equal(7u, frame.Counter);
        Assert.Equal(TagFlags.Moving | TagFlags.Position, frame.Flags);
        Assert.Equal(3600, frame.BatteryMillivolts);
        Assert.Equal(8.48, frame.Latitude, 7);
        Assert.Equal(-13.23, frame.Longitude, 7);
        Assert.Equal("a1b2c3d4", frame.TagHex);
        using var cmac = new AesCmac(Key);
        Assert.True(TagFrameCodec.VerifyMic(Convert.FromHexString(GoldenWithPosition), cmac));
    }

    [Fact]
    public void Encode_Golden_ReproducesTheBytes()
    {
        using var cmac = new AesCmac(Key);
        var frame = new TagFrame(0xA1B2C3D4, 7, TagFlags.Moving | TagFlags.Position, 3600, 84_800_000, -132_300_000, 0);
        var bytes = new byte[24];
        Assert.Equal(24, TagFrameCodec.Encode(frame, cmac, bytes));
        Assert.Equal(GoldenWithPosition, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Encode_WithoutPosition_Is16BytesAndNaNPosition()
    {
        using var cmac = new AesCmac(Key);
        var bytes = new byte[24];
        var n = TagFrameCodec.Encode(new TagFrame(1, 2, TagFlags.LowBattery, 3100, 5, 6, 0), cmac, bytes);
        Assert.Equal(16, n);
        var frame = TagFrameCodec.Decode(bytes.AsSpan(0, n));
        Assert.False(frame.HasPosition);
        Assert.True(double.IsNaN(frame.Latitude));
        Assert.True(TagFrameCodec.VerifyMic(bytes.AsSpan(0, n), cmac));
    }

    [Fact]
    public void Encode_AgreesWithTheSimulatedTagFirmware_ForRandomFrames()
    {
        using var cmac = new AesCmac(Key);
        var inputs = ArbMap.Default.GeneratorFor<(uint, uint, byte, ushort, bool)>().ToArbitrary();
        var prop = Prop.ForAll(inputs, input =>
        {
            var (id, counter, flags, battery, position) = input;
            var f = (byte)(flags & 0x07);
            var sim = SimulatedTagFrame.Encode(Key, id, counter, f, battery, position ? -33.9 : null, position ? 151.2 : null);
            var frame = new TagFrame(id, counter, (TagFlags)f | (position ? TagFlags.Position : 0), battery, position ? -339_000_000 : 0, position ? 1_512_000_000 : 0, 0);
            var ours = new byte[24];
            var n = TagFrameCodec.Encode(frame, cmac, ours);
            return sim.AsSpan().SequenceEqual(ours.AsSpan(0, n));
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), prop);
    }

    [Fact]
    public void TryRead_EveryPrefix_ReturnsFalseAndConsumesNothing()
    {
        var bytes = Convert.FromHexString(GoldenWithPosition);
        for (var n = 0; n < bytes.Length; n++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, n));
            Assert.False(TagFrameCodec.TryRead(ref reader, out _));
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Fact]
    public void TryRead_SplitIntoSegments_ReadsTheSameFrame()
    {
        var bytes = Convert.FromHexString(GoldenWithPosition);
        for (var split = 1; split < bytes.Length; split++)
        {
            var reader = new SequenceReader<byte>(Segments.Of(bytes[..split], bytes[split..]));
            Assert.True(TagFrameCodec.TryRead(ref reader, out var frame));
            Assert.Equal(24, reader.Consumed);
            Assert.Equal(TagFrameCodec.Decode(bytes), frame);
        }
    }

    [Fact]
    public void TryRead_TwoFramesBackToBack_ReadsBoth()
    {
        using var cmac = new AesCmac(Key);
        var buffer = new byte[40];
        var n = TagFrameCodec.Encode(new TagFrame(5, 1, 0, 3000, 0, 0, 0), cmac, buffer);
        Convert.FromHexString(GoldenWithPosition).CopyTo(buffer, n);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(buffer));
        Assert.True(TagFrameCodec.TryRead(ref reader, out var first));
        Assert.True(TagFrameCodec.TryRead(ref reader, out var second));
        Assert.Equal(5u, first.TagId);
        Assert.Equal(0xA1B2C3D4u, second.TagId);
        Assert.Equal(0, reader.Remaining);
    }

    public static TheoryData<string, TagFrameError> Malformed => new()
    {
        { "02" + GoldenWithPosition[2..], TagFrameError.UnknownVersion },
        { "00", TagFrameError.UnknownVersion },
        { GoldenWithPosition[..30], TagFrameError.WrongLength },
        { GoldenWithPosition + "00", TagFrameError.WrongLength },
        { "01", TagFrameError.WrongLength },
        { "", TagFrameError.WrongLength },
        // Position flag cleared: 24 bytes where the flags promise 16.
        { GoldenWithPosition[..18] + "01" + GoldenWithPosition[20..], TagFrameError.WrongLength },
        // Latitude 0x7fffffff (214.7°).
        { GoldenWithPosition[..24] + "7fffffff" + GoldenWithPosition[32..], TagFrameError.BadPosition },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Decode_Malformed_ThrowsWithTheReason(string hex, TagFrameError error)
    {
        var ex = Assert.Throws<TagFrameException>(() => TagFrameCodec.Decode(Convert.FromHexString(hex)));
        Assert.Equal(error, ex.Error);
    }

    [Fact]
    public void VerifyMic_AnySingleBitFlipped_Fails()
    {
        using var cmac = new AesCmac(Key);
        var bytes = Convert.FromHexString(GoldenWithPosition);
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var copy = (byte[])bytes.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(TagFrameCodec.VerifyMic(copy, cmac), $"bit {bit}");
        }
    }

    [Fact]
    public void Decode_RandomBytes_EitherDecodesOrThrowsTagFrameException()
    {
        var prop = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            try
            {
                var frame = TagFrameCodec.Decode(bytes);
                return bytes.Length == frame.WireLength;
            }
            catch (TagFrameException)
            {
                return true;
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), prop);
    }

    [Fact]
    public void TryRead_RandomBytes_NeverThrowsAnythingButTagFrameException()
    {
        var prop = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            // Bias towards plausible frames: a version byte in front.
            var input = bytes.Length > 0 ? [0x01, .. bytes] : bytes;
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
            try
            {
                return !TagFrameCodec.TryRead(ref reader, out _) ? reader.Consumed == 0 : reader.Consumed is 16 or 24;
            }
            catch (TagFrameException)
            {
                return true;
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), prop);
    }
}
