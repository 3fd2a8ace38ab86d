using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using static Gateway.Mqtt.Tests.Codec.CodecTestHelpers;

namespace Gateway.Mqtt.Tests.Codec;

/// <summary>Random and mutated input: the decoder returns packets, asks for more bytes, or throws MqttProtocolException; nothing else.</summary>
public class MqttPacketFuzzTests
{
    private static readonly byte[][] Seeds = MqttPacketGoldenTests.Golden.Select(row => Hex((string)row[2])).ToArray();

    [Fact]
    public void Decode_RandomBytes_OnlyProtocolExceptionOrProgress()
    {
        var bytes = Gen.Choose(0, 255).Select(b => (byte)b).ListOf().Select(l => l.ToArray());
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Arb.From(bytes), input => DecodeAll(input, 1024)));
    }

    [Fact]
    public void Decode_MutatedGoldenPackets_OnlyProtocolExceptionOrProgress()
    {
        var mutated =
            from seed in Gen.Elements(Seeds)
            from index in Gen.Choose(0, seed.Length - 1)
            from value in Gen.Choose(0, 255)
            from cut in Gen.Choose(0, seed.Length)
            select Mutate(seed, index, (byte)value, cut);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(Arb.From(mutated), input => DecodeAll(input, 64)));
    }

    [Fact]
    public void Decode_ManyRandomMutations_NeverThrowAnythingElse()
    {
        var random = new Random(20260101);
        for (var i = 0; i < 20_000; i++)
        {
            var input = (byte[])Seeds[random.Next(Seeds.Length)].Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--) input[random.Next(input.Length)] = (byte)random.Next(256);
            Assert.True(DecodeAll(input, 128));
            Assert.True(DecodeAll(input[..random.Next(input.Length + 1)], 128));
        }
    }

    private static byte[] Mutate(byte[] seed, int index, byte value, int cut)
    {
        var copy = (byte[])seed.Clone();
        copy[index] = value;
        return copy[..Math.Max(cut, index + 1)];
    }

    /// <summary>Decodes packets until the decoder needs more bytes; true unless something other than MqttProtocolException escapes.</summary>
    private static bool DecodeAll(byte[] input, int maxPacketSize)
    {
        var decoder = new MqttPacketReader(maxPacketSize);
        var reader = new SequenceReader<byte>(Split(input, input.Length / 3, input.Length / 2));
        try
        {
            // Each successful read consumes at least 2 bytes, so this loop ends.
            while (decoder.TryRead(ref reader, out var packet))
            {
                // Whatever decodes must encode again (a decoded packet is well-formed data); the head of a skipped
                // oversized PUBLISH is not a packet that is ever sent.
                if (packet is not OversizedPublishPacket) Encode(packet);
            }
            return true;
        }
        catch (MqttProtocolException)
        {
            return true;
        }
    }
}
