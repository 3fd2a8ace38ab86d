using System.Buffers;

namespace Gateway.TestKit.Buffers;

/// <summary>
/// Multi-segment <see cref="ReadOnlySequence{T}"/>s, as a pipe hands them out after several socket or serial reads.
/// Every parser's tests feed the same bytes split in several ways (STYLE.md habit 5); this is the one place that
/// builds such sequences.
/// </summary>
public static class Sequences
{
    /// <summary>The bytes cut at the given offsets (offsets outside 1..length-1 and repeats are ignored). The segments
    /// share <paramref name="bytes"/>' memory.</summary>
    public static ReadOnlySequence<byte> AtCuts(byte[] bytes, params int[] cuts)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var ends = cuts.Where(c => c > 0 && c < bytes.Length).Distinct().Order().Append(bytes.Length).ToArray();
        Segment? first = null, last = null;
        var start = 0;
        foreach (var end in ends)
        {
            var memory = bytes.AsMemory(start, end - start);
            if (last is null) first = last = new Segment(memory, 0);
            else last = last.Append(memory);
            start = end;
        }
        return bytes.Length == 0 ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>The bytes in segments of <paramref name="segmentLength"/> (the last may be shorter); copies them.</summary>
    public static ReadOnlySequence<byte> OfLength(ReadOnlySpan<byte> bytes, int segmentLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentLength, 1);
        var copy = bytes.ToArray();
        return AtCuts(copy, [.. Enumerable.Range(1, Math.Max(0, (copy.Length - 1) / segmentLength)).Select(i => i * segmentLength)]);
    }

    /// <summary>Every byte in a segment of its own: the worst split a reader can meet.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes) => AtCuts(bytes, [.. Enumerable.Range(1, Math.Max(0, bytes.Length - 1))]);

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
