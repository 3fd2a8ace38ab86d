using System.Buffers;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Tests.Codec;

internal static class CodecTestHelpers
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static byte[] Encode(MqttPacket packet, int maxPacketSize = int.MaxValue)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketWriter.Write(writer, packet, maxPacketSize);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes exactly one packet that must span the whole sequence.</summary>
    public static MqttPacket DecodeOne(ReadOnlySequence<byte> bytes, int maxPacketSize = int.MaxValue)
    {
        var reader = new SequenceReader<byte>(bytes);
        Assert.True(new MqttPacketReader(maxPacketSize).TryRead(ref reader, out var packet));
        Assert.True(reader.End, "the packet did not consume all bytes");
        return packet;
    }

    public static MqttPacket DecodeOne(byte[] bytes, int maxPacketSize = int.MaxValue) => DecodeOne(new ReadOnlySequence<byte>(bytes), maxPacketSize);

    /// <summary>Decodes and returns whether a whole packet was there, and how many bytes were consumed.</summary>
    public static (bool Ok, long Consumed) TryDecode(ReadOnlySequence<byte> bytes, int maxPacketSize = int.MaxValue)
    {
        var reader = new SequenceReader<byte>(bytes);
        var ok = new MqttPacketReader(maxPacketSize).TryRead(ref reader, out _);
        return (ok, reader.Consumed);
    }

    /// <summary>The same bytes as a multi-segment sequence cut at the given offsets.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts) => Gateway.TestKit.Buffers.Sequences.AtCuts(bytes, cuts);

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes) => Gateway.TestKit.Buffers.Sequences.OneBytePerSegment(bytes);
}
