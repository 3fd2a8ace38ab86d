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
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var points = cuts.Where(c => c > 0 && c < bytes.Length).Distinct().Order().Append(bytes.Length).ToArray();
        Segment? first = null, last = null;
        var start = 0;
        foreach (var end in points)
        {
            var memory = bytes.AsMemory(start, end - start);
            if (first is null) first = last = new Segment(memory, 0);
            else last = last!.Append(memory);
            start = end;
        }
        if (first is null) return ReadOnlySequence<byte>.Empty;
        return new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes) => Split(bytes, [.. Enumerable.Range(1, Math.Max(0, bytes.Length - 1))]);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
