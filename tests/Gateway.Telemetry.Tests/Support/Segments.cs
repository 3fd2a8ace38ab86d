using System.Buffers;

namespace Gateway.Telemetry.Tests.Support;

/// <summary>Builds multi-segment sequences, as a pipe hands them out after several socket reads.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, int segmentLength)
    {
        if (bytes.IsEmpty) return ReadOnlySequence<byte>.Empty;
        Segment? first = null;
        Segment? last = null;
        for (int i = 0; i < bytes.Length; i += segmentLength)
        {
            var chunk = bytes[i..Math.Min(bytes.Length, i + segmentLength)].ToArray();
            if (last is null) first = last = new Segment(chunk, 0);
            else last = last.Append(chunk);
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    public static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes);

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
